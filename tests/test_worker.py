"""A real Celery worker, consuming from the real Redis broker, does the work and the database shows it."""

import time

import pytest

from assessment.models import CatalogImport, MaturityModel
from assessment.services.catalog import request_catalog_import
from tests.assessment.test_catalog_loader import SAMPLE

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.1)
    raise AssertionError("the worker did not finish in time")


def test_a_queued_catalogue_import_is_loaded_by_the_worker(celery_worker, django_user_model):
    from django.conf import settings

    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this test must cross the real queue"
    staff = django_user_model.objects.create_superuser("sam", password="correct horse battery")
    catalog_import = request_catalog_import(file_name="team-model.yaml", content=SAMPLE.read_bytes(), user=staff)

    def loaded():
        catalog_import.refresh_from_db()
        return catalog_import.status != "pending"

    wait_for(loaded)
    assert catalog_import.status == "loaded"
    assert MaturityModel.objects.get(key="acme-platform").criteria.count() == 5
    assert CatalogImport.objects.filter(status="pending").count() == 0
