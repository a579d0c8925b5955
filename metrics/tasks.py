"""Celery tasks of the metrics app: thin, idempotent, take ids, call one service."""

from celery import shared_task
from django.db import DatabaseError

from metrics.services import hooks, linking


@shared_task(
    name="metrics.relink_project",
    queue="metrics",
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=110,
    time_limit=120,
)
def relink_project(project_id: int) -> None:
    """Recomputes the project's change and incident links from scratch; a deleted project links nothing."""
    linking.relink_project(project_id=project_id)


@shared_task(name="metrics.forget_old_deliveries", queue="metrics")
def forget_old_deliveries() -> int:
    """Keeps the webhook replay records to the replay window (beat runs it hourly)."""
    return hooks.forget_old_deliveries()
