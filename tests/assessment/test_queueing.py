"""Services enqueue tasks by name through assessment/services/queueing.py: the names resolve in every process."""

import pytest
from celery import shared_task

from assessment.services.queueing import publish_after_commit, registered_task

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


@shared_task(name="tests.record_call")
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
