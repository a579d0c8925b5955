"""Webhook subscriptions of an organisation (organisation admins only): list, add, pause/resume, delete, test."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.access import Action, access_organisation, access_webhook_subscription
from assessment.forms.organisation import show_violation
from assessment.forms.webhooks import SubscriptionForm
from assessment.selectors import webhooks as selectors
from assessment.services import webhooks
from assessment.services.exceptions import RuleViolation
from assessment.services.webhook_delivery import MAX_ATTEMPTS


@login_required
@require_GET
def webhook_list(request, slug: str):
    organisation = access_organisation(request.user, slug, action=Action.ADMINISTER)
    context = {
        "organisation": organisation,
        "subscriptions": selectors.subscriptions(organisation),
        "max_attempts": MAX_ATTEMPTS,
    }
    return render(request, "organisation/webhook_list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def webhook_add(request, slug: str):
    """On success the secret is shown in the answer to the POST itself, once: it is never stored in the session
    and never shown again, and the page is not cached."""
    organisation = access_organisation(request.user, slug, action=Action.ADMINISTER)
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            subscription = webhooks.create_subscription(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            context = {"organisation": organisation, "subscription": subscription}
            return render(request, "organisation/webhook_created.html", context)
    return render(request, "organisation/webhook_add.html", {"organisation": organisation, "form": form})


@login_required
@require_POST
def webhook_active(request, slug: str, subscription_id: int):
    """Pauses (active=false) or resumes (active=true)."""
    subscription = access_webhook_subscription(request.user, slug, subscription_id)
    active = request.POST.get("active") == "true"
    webhooks.set_subscription_active(subscription=subscription, active=active, actor=request.user)
    message = _("Webhook to %(url)s resumed.") if active else _("Webhook to %(url)s paused.")
    messages.success(request, message % {"url": subscription.target_url})
    return redirect("organisation-webhooks", slug=slug)


@login_required
@require_POST
def webhook_test(request, slug: str, subscription_id: int):
    subscription = access_webhook_subscription(request.user, slug, subscription_id)
    try:
        webhooks.send_test_event(subscription=subscription, actor=request.user)
    except RuleViolation as violation:
        messages.error(request, violation.message)
    else:
        messages.success(request, _("A test event was sent to %(url)s.") % {"url": subscription.target_url})
    return redirect("organisation-webhooks", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_delete(request, slug: str, subscription_id: int):
    """GET asks for confirmation; POST deletes."""
    subscription = access_webhook_subscription(request.user, slug, subscription_id)
    if request.method == "POST":
        webhooks.delete_subscription(subscription=subscription, actor=request.user)
        messages.success(request, _("Webhook to %(url)s deleted.") % {"url": subscription.target_url})
        return redirect("organisation-webhooks", slug=slug)
    context = {"organisation": subscription.organisation, "subscription": subscription}
    return render(request, "organisation/webhook_delete.html", context)
