"""The navigation menu's values, kept for a short while per person, so most pages pay nothing for them.

It is data, not HTML: it lives in the default cache (shared by all processes when CACHE_URL is set).
The menu shows the organisations a person administers, whether they assess anywhere and how many notifications
they have not read. It is only a menu: every page checks access itself (assessment/access.py), so a menu a
few seconds old after a role change shows a link that answers 403, never data. The process that changes a
person's roles or notifications forgets their menu at once (forget_navigation): everywhere when the cache is
shared, else other processes within NAVIGATION_SECONDS.
"""

from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Count, Subquery

from assessment.access import memberships
from assessment.models import Notification

NAVIGATION_SECONDS = 30
ANONYMOUS = {"admin_organisations": [], "is_assessor_anywhere": False, "unread_notifications": 0}


@dataclass(frozen=True)
class AdministeredOrganisation:
    slug: str
    name: str


def navigation_of(user) -> dict:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    key = _key(user.pk)
    menu = caches["default"].get(key)
    if menu is None:
        menu = _read_navigation(user)
        caches["default"].set(key, menu, NAVIGATION_SECONDS)
    return menu


def _read_navigation(user) -> dict:
    """One query: the person's memberships, with their unread notifications counted alongside (notifications
    come only from organisations they belong to)."""
    unread = (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    roles = list(memberships(user).annotate(unread=Subquery(unread)))
    return {
        "admin_organisations": [
            AdministeredOrganisation(m.organisation.slug, m.organisation.name) for m in roles if m.is_admin
        ],
        "is_assessor_anywhere": any(m.is_assessor for m in roles),
        "unread_notifications": (roles[0].unread or 0) if roles else 0,
    }


def forget_navigation(*user_ids: int) -> None:
    """After a change of these people's roles or notifications: their next page reads the menu afresh."""
    caches["default"].delete_many([_key(user_id) for user_id in user_ids])


def _key(user_id: int) -> str:
    return f"navigation:{user_id}"
