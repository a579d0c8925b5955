"""API helpers: a client that calls as a person with their token, the way a CI script does."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Throttle counts live in the cache; one test's sign-ins must not slow the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bystander(django_user_model, acme):
    """A team member of Acme who is not on the project's team."""
    from assessment.models import Membership

    user = django_user_model.objects.create_user("bystander", password="correct horse battery")
    Membership.objects.create(organisation=acme[0], user=user, is_team_member=True)
    return user
