"""Forms of the questionnaire: they check shape only; services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import AnswerValue

MAX_TEXT = 5000


class StartAssessmentForm(forms.Form):
    target_level = forms.TypedChoiceField(
        label=_("Target level"), choices=[(level, level) for level in range(1, 6)], coerce=int, initial=3
    )
    parts = forms.MultipleChoiceField(label=_("Parts in scope"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, part_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parts"].choices = part_choices


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=AnswerValue.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=MAX_TEXT)
    justification = forms.CharField(label=_("Why it does not apply"), required=False, max_length=MAX_TEXT)


class EvidenceForm(forms.Form):
    criterion = forms.CharField(max_length=130)
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(label=_("Link"), required=False, max_length=2000, assume_scheme="https")
    note = forms.CharField(label=_("Note"), required=False, max_length=20_000, widget=forms.Textarea)
    name = forms.CharField(label=_("Title"), required=False, max_length=200)
    effective_on = forms.DateField(label=_("Effective date"), required=False)
    expires_on = forms.DateField(label=_("Expiry date"), required=False)


class AttachEvidenceForm(forms.Form):
    criterion = forms.CharField(max_length=130)
    evidence = forms.IntegerField(min_value=1)


class CriterionForm(forms.Form):
    criterion = forms.CharField(max_length=130, required=False)
