"""Values every page's navigation needs, read lazily: only a page that shows the menu pays for them."""

from django.db.models import Count, Subquery
from django.utils.functional import SimpleLazyObject

from assessment.access import memberships
from assessment.models import Notification


def navigation(request) -> dict:
    """The organisations the signed-in person administers, whether they assess anywhere and how many
    notifications they have not read: one query for all three (notifications come only from organisations)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"admin_organisations": [], "is_assessor_anywhere": False, "unread_notifications": 0}
    unread = (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    roles = SimpleLazyObject(lambda: list(memberships(user).annotate(unread=Subquery(unread))))
    return {
        "admin_organisations": SimpleLazyObject(lambda: [m.organisation for m in roles if m.is_admin]),
        "is_assessor_anywhere": SimpleLazyObject(lambda: any(m.is_assessor for m in roles)),
        "unread_notifications": SimpleLazyObject(lambda: (roles[0].unread or 0) if roles else 0),
    }
