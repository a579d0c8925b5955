"""Forms of the organisation admin pages: they check shape only; services check the rules."""

import unicodedata

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessment.models import Role
from assessment.services.exceptions import RuleViolation

MAX_DESCRIPTION = 5000
_JOINERS = {"\u200c", "\u200d"}  # zero-width (non-)joiners are part of some scripts and emoji


def _has_invisible_characters(text: str, allowed: str = "") -> bool:
    """Control characters and invisible formatting (bidirectional overrides, zero-width spaces)."""
    return any(
        unicodedata.category(char) in {"Cc", "Cf"} and char not in allowed and char not in _JOINERS for char in text
    )


def no_control_characters(value: str) -> None:
    if _has_invisible_characters(value):
        raise ValidationError(_("Remove the control or invisible characters."), code="control_characters")


def no_control_characters_but_line_breaks(value: str) -> None:
    if _has_invisible_characters(value, allowed="\n\r\t"):
        raise ValidationError(_("Remove the control or invisible characters."), code="control_characters")


def show_violation(form: forms.Form, violation: RuleViolation) -> None:
    """Puts a service's refusal beside the field it concerns (or above the form); the input stays as typed."""
    if not violation.errors:
        form.add_error(None, violation.message)
    for field, messages in violation.errors.items():
        form.add_error(field if field in form.fields else None, messages)


def _roles_field() -> forms.MultipleChoiceField:
    # Not required here: "at least one role" is the service's rule, and its message says so.
    return forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class MemberAddForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("An existing account, or the name of a new one: letters, digits and @ . + - _ only."),
    )
    email = forms.EmailField(
        label=_("Email"), max_length=254, help_text=_("A new account gets an invitation here to choose a password.")
    )
    roles = _roles_field()


class MemberRolesForm(forms.Form):
    roles = _roles_field()


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[no_control_characters])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters_but_line_breaks],
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"), choices=[(level, level) for level in range(1, 6)], coerce=int, initial=3
    )
    team = forms.TypedMultipleChoiceField(
        label=_("Team"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisation's team members; give someone the team member role to add them here."),
    )

    def __init__(self, *args, team_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = team_choices
