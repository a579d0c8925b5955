"""Scoring by a real worker in another process that shares no disk with the web side: it reads the file from the
S3-compatible store (moto on loopback), and retries until the store answers again."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from assessment.models import Evidence
from assessment.services.evidence import add_evidence
from tests.storage.test_s3_evidence import CRITERION, JUNIT, api_upload, local_files
from tests.storage.workers import publishing_to, worker_process

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def remote_worker(broker_url, object_store, tmp_path_factory, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        worker_process(
            name="s3-worker",
            folder=tmp_path_factory.mktemp("worker"),
            broker_url=broker_url,
            endpoint=object_store.endpoint,
        ) as process,
    ):
        yield process


def wait_for(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")


def test_a_worker_with_no_shared_disk_scores_an_upload_from_the_store(
    client, team, assessment, s3_evidence, evidence_storage, remote_worker, broker_url, tmp_path_factory
):
    with publishing_to(broker_url):
        response = api_upload(client, team, assessment)
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    wait_for(lambda: Evidence.objects.filter(pk=evidence.pk, status="scored").exists())
    evidence.refresh_from_db()
    assert (evidence.kind, evidence.facts["junit.tests"]) == ("junit", 3)
    assert local_files(evidence_storage) == []


def test_a_worker_retries_while_the_store_is_down_and_scores_once_it_is_back(
    team, assessment, s3_evidence, object_store, remote_worker, broker_url
):
    with publishing_to(broker_url):
        with transaction.atomic():
            evidence = add_evidence(
                assessment=assessment, actor=team, criteria_codes=[CRITERION], upload=SimpleUploadedFile("r.xml", JUNIT)
            )
            # Down before the commit sends the task: the worker's first reading cannot reach the store.
            object_store.stop()
        try:
            wait_for(lambda: "retry: Retry in" in remote_worker.read_text())
        finally:
            object_store.start()
    wait_for(lambda: Evidence.objects.filter(pk=evidence.pk, status="scored").exists(), timeout=90)
    evidence.refresh_from_db()
    # Failed readings were handed back and not counted toward the cap on readings that kill a worker.
    assert (evidence.kind, evidence.attempts) == ("junit", 1)
    assert Evidence.objects.filter(pk=evidence.pk, status="scored").count() == 1
