"""Formatting for questionnaire templates."""

from django import template

from assessment.models import AnswerValue

register = template.Library()


@register.simple_tag
def answer_choices():
    return AnswerValue.choices


@register.filter
def answer_label(value: str) -> str:
    return AnswerValue(value).label if value in AnswerValue.values else ""


@register.filter
def level_list(levels) -> str:
    """[2, 3] → "2, 3"."""
    return ", ".join(str(level) for level in levels)
