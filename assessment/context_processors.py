"""Values every page's navigation needs (see selectors/navigation.py)."""

from assessment.selectors.navigation import navigation_of


def navigation(request) -> dict:
    return navigation_of(getattr(request, "user", None))
