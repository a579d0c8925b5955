"""Formatting for the organisation admin pages."""

from django import template

from assessment.models import Membership, Role

register = template.Library()


@register.filter
def role_labels(membership: Membership) -> list[str]:
    """The member's roles in the reader's language, in the order the roles are defined."""
    return [Role(role).label for role in membership.roles]
