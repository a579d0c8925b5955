"""The webhook subscription form: shape only; the service checks where the URL leads."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.forms.organisation import no_control_characters
from assessment.models import WebhookEvent
from assessment.services.webhook_targets import MAX_URL_LENGTH


class SubscriptionForm(forms.Form):
    target_url = forms.URLField(
        label=_("Target URL"),
        max_length=MAX_URL_LENGTH,
        assume_scheme="https",
        help_text=_("Where the events are POSTed, e.g. https://ci.example.com/hooks/devops-maturity."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=200, validators=[no_control_characters]
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        initial=[WebhookEvent.LEVEL_CHANGED],
        widget=forms.CheckboxSelectMultiple,
    )
