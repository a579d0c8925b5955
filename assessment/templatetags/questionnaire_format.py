"""Formatting for questionnaire templates."""

from django import template

from assessment.models import AnswerValue, DecisionValue, VerdictValue

register = template.Library()


@register.filter
def answer_label(value: str) -> str:
    return AnswerValue(value).label if value in AnswerValue.values else ""


@register.filter
def verdict_label(value: str) -> str:
    return VerdictValue(value).label if value in VerdictValue.values else ""


@register.filter
def level_list(levels) -> str:
    """[2, 3] → "2, 3"."""
    return ", ".join(str(level) for level in levels)


@register.simple_tag
def decision_choices():
    return DecisionValue.choices


@register.filter
def decision_label(value: str) -> str:
    return DecisionValue(value).label if value in DecisionValue.values else ""
