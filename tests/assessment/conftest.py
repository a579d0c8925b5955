"""Fixtures of the assessment app's page tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def fresh_cache():
    cache.clear()  # sign-in throttling counts live there


@pytest.fixture
def admin_client(client, orgadmin):
    client.force_login(orgadmin)
    return client
