"""Forms of the review: they check shape only; services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.forms.questionnaire import MAX_TEXT
from assessment.models import DecisionValue


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DecisionValue.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=MAX_TEXT)
    override_reason = forms.CharField(
        label=_("Reason for overriding the automatic verdict"), required=False, max_length=MAX_TEXT
    )
    version = forms.IntegerField(required=False, min_value=0)


class MoveForm(forms.Form):
    move = forms.CharField(max_length=40)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=MAX_TEXT)


class AssignForm(forms.Form):
    assessor = forms.IntegerField(label=_("Assessor"), min_value=1)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Your reply"), max_length=MAX_TEXT, widget=forms.Textarea)


class BulkAcceptForm(forms.Form):
    criteria = forms.CharField(max_length=20_000, required=False)  # codes separated by spaces, as confirmed
    confirmed = forms.BooleanField(required=False)

    def codes(self) -> list[str]:
        return self.cleaned_data["criteria"].split()
