"""Formatting for catalogue templates, so templates stay free of logic."""

from django import template
from django.utils.translation import gettext as _

from assessment.models.catalog import is_chinese_active

register = template.Library()

_OPERATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}


@register.filter
def level_label(level: int, levels) -> str:
    """'3 全面级' for level 3 of the given model levels."""
    for model_level in levels:
        if model_level.level == level:
            return f"{level} {model_level.name}"
    return str(level)


@register.filter
def check_summary(check: dict) -> str:
    """A check as a person reads it: 'deployments.per_week ≥ 5'."""
    fact, op = check.get("fact", ""), check.get("op", "")
    if op == "exists":
        return _("%(fact)s is reported") % {"fact": fact}
    value = check.get("value")
    if isinstance(value, bool):
        value = _("true") if value else _("false")
    return f"{fact} {_OPERATORS.get(op, op)} {value}"


@register.filter
def check_note(check: dict) -> str:
    return check.get("note_zh" if is_chinese_active() else "note_en", "")
