"""Services enqueue tasks by name through assessment/services/queueing.py: the names resolve in every process."""

import time

import pytest
from celery import shared_task
from django.core.cache import cache
from django.db import transaction

from assessment.services.queueing import publish_after_commit, publish_once_after_commit, registered_task
from tests.assessment.test_health import closed_port
from tests.conftest import worker_in_this_process
from tests.test_worker import wait_for

# Every task name a service enqueues (grep publish_after_commit): a renamed task must fail here, not in production.
ENQUEUED_BY_SERVICES = [
    "assessment.deliver_webhook",
    "assessment.refresh_levels",
    "assessment.render_report",
    "assessment.run_catalog_import",
    "assessment.score_evidence",
    "assessment.send_notification_emails",
    "metrics.relink_project",
]

received: list[tuple] = []


@shared_task(name="tests.record_call", queue="default")
def record_call(*args) -> None:
    received.append(args)


@pytest.mark.parametrize("name", ENQUEUED_BY_SERVICES)
def test_every_name_a_service_enqueues_is_registered_by_the_apps(name):
    assert registered_task(name).name == name


def test_a_misspelt_name_fails_in_the_caller_before_anything_commits():
    with pytest.raises(KeyError):
        publish_after_commit("assessment.refresh_level", 1)


@pytest.mark.django_db
def test_in_eager_mode_the_named_task_runs_in_process_once_the_transaction_commits(
    eager_tasks, django_capture_on_commit_callbacks
):
    """The embedded default: send_task would hand the name to a broker that no worker reads; delay runs it."""
    received.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish_after_commit("tests.record_call", 7, "seven")
        assert received == []  # nothing before the commit
    assert len(callbacks) == 1
    assert received == [(7, "seven")]


@pytest.mark.django_db
def test_in_eager_mode_a_recomputation_runs_at_every_commit(eager_tasks, django_capture_on_commit_callbacks):
    """Without a broker there is no later run to wait for: each call runs the task in-process at once."""
    received.clear()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            publish_once_after_commit("tests.record_call", 8)
    assert received == [(8,), (8,), (8,)]


@pytest.fixture(scope="module")
def module_worker():
    """This module's own worker (tests/conftest.py, worker_in_this_process): the session-wide one, started this
    early, would be cut off when a later module's worker stops."""
    with worker_in_this_process() as worker:
        yield worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_calls_sends_the_recomputation_once_and_it_runs_after_the_last_commit(module_worker):
    """Saves one after another: one refresh, which starts after the last of them committed (so it reads it)."""
    received.clear()
    started = time.monotonic()
    for _ in range(5):
        with transaction.atomic():
            publish_once_after_commit("tests.record_call", 9)
        time.sleep(0.2)
    last_commit = time.monotonic()
    wait_for(lambda: received)
    ran_at = time.monotonic()
    time.sleep(1.5)  # a second message, had one been sent, would have run by now
    assert received == [(9,)]
    assert ran_at >= last_commit and ran_at - started >= 3  # sent with a countdown of within + 1 seconds

    wait_for(lambda: cache.get("queued:tests.record_call:9") is None)  # the mark lasts `within` seconds
    with transaction.atomic():
        publish_once_after_commit("tests.record_call", 9)
    wait_for(lambda: len(received) == 2)


@pytest.mark.django_db
def test_a_recomputation_the_broker_refused_is_sent_by_the_next_call(caplog, django_capture_on_commit_callbacks):
    """The broker does not answer: nothing marks the work as sent, so the next call (or the sweeper) sends it."""
    app = registered_task("tests.record_call").app
    previous = app.conf.task_always_eager, app.conf.broker_write_url
    app.conf.task_always_eager, app.conf.broker_write_url = False, f"redis://127.0.0.1:{closed_port()}/0"
    app.amqp._producer_pool, app._pool = None, None  # connect afresh, to the dead address
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publish_once_after_commit("tests.record_call", 10)
    finally:
        app.conf.task_always_eager, app.conf.broker_write_url = previous
        app.amqp._producer_pool, app._pool = None, None
    assert "Broker unavailable: tests.record_call(10,) not sent now" in caplog.text
    assert cache.get("queued:tests.record_call:10") is None
