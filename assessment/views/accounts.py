"""Sign-in with throttling; the other account pages (password change and reset) are Django's own views."""

from django.contrib.auth.views import LoginView

from assessment.forms.accounts import ThrottledAuthenticationForm


class ThrottledLoginView(LoginView):
    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled:
            response.status_code = 429  # Too Many Requests, for scripts; people read the message
        return response


login = ThrottledLoginView.as_view()
