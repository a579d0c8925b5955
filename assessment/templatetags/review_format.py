"""Formatting for review, audit and notification templates."""

from django import template

from assessment.models import Notification
from assessment.selectors.notifications import notification_text as _notification_text

register = template.Library()


@register.filter
def notification_text(notification: Notification) -> str:
    """The notification in the reader's language."""
    return _notification_text(notification)
