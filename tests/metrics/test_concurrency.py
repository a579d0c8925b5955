"""Duplicate deliveries arriving at the same moment, against the real PostgreSQL from several threads.

Each thread has its own connection, so the rows must be committed: transactional tests, PostgreSQL only
(SQLite serialises writers by locking the whole file, so it has no race to test).
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from metrics.models import Change, Deployment, HookDelivery
from metrics.services.credentials import project_hook
from tests.metrics.conftest import change, deployment
from tests.metrics.test_webhooks import deployment_status, github_post

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]
COPIES = 6


def in_threads(action) -> list:
    """Runs the action in COPIES threads released together; each closes its own connection."""
    barrier = threading.Barrier(COPIES)

    def one(_index):
        try:
            barrier.wait(timeout=10)
            return action()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=COPIES) as pool:
        return list(pool.map(one, range(COPIES)))


def test_concurrent_identical_batches_store_each_event_once(project, team):
    token = Token.objects.create(user=team).key
    batch = [deployment(f"d{n}", "2026-05-01T10:00:00Z") for n in range(50)]
    batch += [change(f"c{n}", "2026-05-01T09:00:00Z") for n in range(50)]

    def post():
        response = Client().post(
            f"/api/v1/projects/{project.pk}/events/",
            batch,
            content_type="application/json",
            headers={"authorization": f"Token {token}"},
        )
        return response.status_code, response.json()

    answers = in_threads(post)
    assert {status for status, _body in answers} == {200}
    assert sum(body["created"] for _status, body in answers) == 100  # exact counts: one writer created each
    assert sum(body["unchanged"] for _status, body in answers) == 100 * (COPIES - 1)
    assert Deployment.objects.count() == 50 and Change.objects.count() == 50


def test_concurrent_identical_webhook_deliveries_apply_once(project):
    hook = project_hook(project=project)
    statuses = in_threads(lambda: github_post(Client(), hook, "deployment_status", deployment_status()).status_code)
    assert statuses.count(202) == 1 and statuses.count(200) == COPIES - 1
    assert Deployment.objects.count() == 1 and HookDelivery.objects.count() == 1
