"""Ingest enqueues relinking after commit; a real Celery worker on the `metrics` queue links the events.

The worker lives for this module only: the session-wide one would keep running into the fault tests, which
start and kill workers of their own (tests/scoring/test_faults.py) and must be alone with them.
"""

import pytest

from metrics.models import Change, Deployment
from tests.conftest import worker_in_this_process
from tests.metrics.conftest import change, deployment
from tests.test_worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def metrics_worker():
    with worker_in_this_process(queues=["metrics"]) as worker:
        yield worker


def test_posted_events_are_linked_by_the_worker(metrics_worker, api_as, team, project):
    from django.conf import settings

    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this test must cross the real queue"
    payload = [
        deployment("d1", "2026-05-01T10:00:00+08:00", commit_sha="s1"),
        change("c1", "2026-05-01T08:00:00+08:00", merged_at="2026-05-01T09:00:00+08:00"),
    ]
    response = api_as(team).post(f"/api/v1/projects/{project.pk}/events/", payload, format="json")
    assert response.status_code == 200, response.content
    linked = wait_for(lambda: Change.objects.filter(deployment__isnull=False).first())
    assert linked.deployment == Deployment.objects.get() and linked.deployed_at == linked.deployment.finished_at
