"""Forms of the metrics pages: shape only; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.forms.organisation import no_control_characters
from metrics.models import Provider


class IngestTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, validators=[no_control_characters], help_text=_("e.g. the pipeline using it")
    )


class RotateSecretForm(forms.Form):
    provider = forms.ChoiceField(choices=Provider.choices)


class EventImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    type = forms.ChoiceField(
        label=_("Type of every row"),
        required=False,
        choices=[
            ("", _("Given by a type column")),
            ("deployment", _("Deployments")),
            ("change", _("Changes")),
            ("build", _("Builds")),
            ("incident", _("Incidents")),
        ],
    )
