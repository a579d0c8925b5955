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


def test_an_upload_is_scored_by_the_worker_and_the_levels_change(celery_worker, assessment, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessment.models import Evidence, Verdict
    from assessment.services.assessments import AnswerInput, save_answers
    from assessment.services.evidence import add_evidence

    save_answers(
        assessment=assessment,
        actor=team,
        items=[
            AnswerInput("cd.drm.mode.method@1", "met"),
            AnswerInput("cd.drm.mode.method@2", "met"),
        ],
    )
    pipeline = (
        b"stages: [build, deploy]\nbuild:\n  stage: build\n  script: [make]\ndeploy:\n  stage: deploy\n"
        b"  environment: production\n  script: [kubectl apply -f k8s/]\n"
    )
    evidence = add_evidence(
        assessment=assessment,
        actor=team,
        criteria_codes=["cd.drm.mode.method@3"],
        upload=SimpleUploadedFile(".gitlab-ci.yml", pipeline),
    )

    def scored():
        evidence.refresh_from_db()
        return evidence.status in ("scored", "failed")

    wait_for(scored)
    assert (evidence.status, evidence.kind) == ("scored", "gitlab_ci"), evidence.reason
    assert Verdict.objects.get(assessment=assessment, criterion__code="cd.drm.mode.method@3").value == "met"
    assessment.refresh_from_db()
    assert assessment.stored_levels["provisional"]["subitems"]["cd.drm.mode.method"]["level"] == "3"
    assert Evidence.objects.get(pk=evidence.pk).attempts == 1
