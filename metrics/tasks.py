"""Celery tasks of the metrics app: thin, idempotent, take ids, call one service."""

from celery import shared_task
from django.db import DatabaseError

from metrics.services import hooks, recompute


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
    """Recomputes the project's links, figures and metric snapshots from scratch; a deleted project does nothing."""
    recompute.recompute_project(project_id=project_id)


@shared_task(name="metrics.snapshot_every_project", queue="metrics", soft_time_limit=1700, time_limit=1800)
def snapshot_every_project() -> int:
    """Once a day: a period may have completed, so open assessments get the latest complete period's figures."""
    return recompute.snapshot_every_project()


@shared_task(name="metrics.forget_old_deliveries", queue="metrics")
def forget_old_deliveries() -> int:
    """Keeps the webhook replay records to the replay window (beat runs it hourly)."""
    return hooks.forget_old_deliveries()
