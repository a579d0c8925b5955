"""Celery tasks: thin, idempotent, take ids, call one service."""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from assessment.models import Assessment
from assessment.services import catalog, levels, notifications, reports, scoring, webhook_delivery


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


@shared_task(name="assessment.sweep_stale_levels", queue="default")
def sweep_stale_levels() -> int:
    """Sends the level refresh again for assessments whose stored levels fell behind their data (a refresh lost
    on its way): no stored level stays stale for longer than a sweep."""
    assessment_ids = levels.assessments_with_stale_levels()
    for assessment_id in assessment_ids:
        refresh_levels.delay(assessment_id)
    return len(assessment_ids)


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


@shared_task(name="assessment.deliver_webhook", queue="default", soft_time_limit=30, time_limit=40)
def deliver_webhook(delivery_id: int) -> None:
    """One attempt at a webhook delivery; safe to run twice (a delivered one is never sent again)."""
    try:
        webhook_delivery.deliver_now(delivery_id=delivery_id)
    except webhook_delivery.RetryLater as later:
        # The database counts the attempts and stops at its cap. A new message rather than self.retry(): run
        # eagerly (the embedded default) a retry raises through the caller, while this runs the next attempt
        # at once. When the broker is down the delivery waits, pending, for the sweeper.
        deliver_webhook.apply_async((delivery_id,), countdown=later.delay)


@shared_task(name="assessment.sweep_webhook_deliveries", queue="default")
def sweep_webhook_deliveries() -> int:
    """Re-enqueues deliveries whose message was lost (e.g. the broker was down when the level changed)."""
    delivery_ids = list(webhook_delivery.deliveries_due().values_list("pk", flat=True)[:500])
    for delivery_id in delivery_ids:
        deliver_webhook.delay(delivery_id)
    return len(delivery_ids)


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
