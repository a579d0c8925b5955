"""/healthz says the process answers (nothing else); /readyz says whether the database, the broker and the file
store answer, naming what failed."""

import socket

import pytest
from django.urls import reverse


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_liveness_asks_nothing_else(client):
    # No database access is allowed in this test: touching the database would fail it.
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_names_each_check(client, settings):
    body = client.get(reverse("ready")).json()
    expected_broker = "not configured" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "broker": expected_broker, "store": "ok"},
        "failed": [],
    }


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_makes_the_process_unready(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get(reverse("ready"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
    assert response.json()["checks"]["database"] == "ok"


def test_health_checks_skip_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
