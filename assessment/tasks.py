"""Celery tasks: thin, idempotent, take ids, call one service."""

from celery import shared_task

from assessment.services import catalog


@shared_task(name="assessment.run_catalog_import", queue="default")
def run_catalog_import(catalog_import_id: int) -> None:
    catalog.run_catalog_import_now(catalog_import_id=catalog_import_id)
