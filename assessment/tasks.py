"""Celery tasks: thin, idempotent, take ids, call one service."""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from assessment.models import Assessment
from assessment.services import catalog, levels, notifications, reports, scoring


@shared_task(name="assessment.run_catalog_import", queue="default")
def run_catalog_import(catalog_import_id: int) -> None:
    catalog.run_catalog_import_now(catalog_import_id=catalog_import_id)


@shared_task(
    bind=True,
    name="assessment.score_evidence",
    queue="scoring",
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=max(1, settings.SCORING_TIME_LIMIT_SECONDS - 10),
    time_limit=settings.SCORING_TIME_LIMIT_SECONDS,
)
def score_evidence(self, evidence_id: int) -> None:
    """Reads one piece of evidence; safe to run twice; a lost worker's message is delivered again."""
    scoring.score_evidence_now(evidence_id=evidence_id, task_id=self.request.id or "")


@shared_task(name="assessment.sweep_unscored_evidence", queue="scoring")
def sweep_unscored_evidence() -> int:
    """Re-enqueues evidence that waited too long (e.g. the broker was down at upload): none stays unscored."""
    evidence_ids = list(scoring.evidence_waiting_too_long().values_list("pk", flat=True)[:1000])
    for evidence_id in evidence_ids:
        score_evidence.delay(evidence_id)
    return len(evidence_ids)


@shared_task(
    name="assessment.refresh_levels", queue="default", autoretry_for=(DatabaseError,), max_retries=3, retry_backoff=True
)
def refresh_levels(assessment_id: int) -> None:
    """Recomputes an assessment's stored levels; running it twice gives the same result."""
    assessment = Assessment.objects.filter(pk=assessment_id).select_related("model").first()
    if assessment is not None:
        levels.refresh_stored_levels(assessment)


@shared_task(
    name="assessment.send_notification_emails",
    queue="default",
    autoretry_for=(OSError,),
    max_retries=5,
    retry_backoff=True,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Emails the notifications' recipients (those with an address); returns how many were sent."""
    return notifications.send_emails(notification_ids=notification_ids)


@shared_task(name="assessment.refresh_expired_evidence", queue="scoring")
def refresh_expired_evidence() -> int:
    """Evidence that expired stops supporting its criteria: their verdicts and levels are read again."""
    return scoring.refresh_after_expiry()


@shared_task(
    name="assessment.render_report",
    queue="reports",
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    max_retries=3,
    soft_time_limit=110,
    time_limit=120,
)
def render_report(report_file_id: int) -> None:
    """Renders one report PDF into its cache row; returns quietly when it is gone or already up to date."""
    reports.render_report_file_now(report_file_id=report_file_id)
