"""Values every page's navigation needs."""

from django.db.models import QuerySet

from assessment.models import Organisation


def navigation(request) -> dict[str, QuerySet[Organisation]]:
    """The organisations the signed-in person administers (lazy: one query, only if a page shows the menu)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"admin_organisations": Organisation.objects.none()}
    return {
        "admin_organisations": Organisation.objects.filter(memberships__user=user, memberships__is_admin=True).order_by(
            "name"
        )
    }
