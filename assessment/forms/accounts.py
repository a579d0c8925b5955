"""The sign-in form, throttled: repeated failures for one user name or from one address lock it for a while."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from assessment.services import login_throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    is_throttled = False

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        minutes = login_throttle.minutes_locked(username=username, address=address)
        if minutes:
            self.is_throttled = True
            raise ValidationError(
                ngettext(
                    "Too many failed sign-ins; try again in %(minutes)d minute.",
                    "Too many failed sign-ins; try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            cleaned_data = super().clean()
        except ValidationError:
            login_throttle.record_failure(username=username, address=address)
            raise
        login_throttle.clear(username=username)
        return cleaned_data
