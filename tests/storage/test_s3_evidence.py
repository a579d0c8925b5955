"""Evidence in an S3-compatible store (a real moto server on loopback): upload by API and by the HTML form, read
and scored through the store, downloaded as an attachment, removed; a tampered object fails with a reason; a
store that does not answer gets a 503 and leaves nothing behind."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from assessment.models import AuditEntry, Evidence
from assessment.services.evidence import add_evidence
from assessment.services.scoring import score_evidence_now

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
JUNIT = (
    b'<?xml version="1.0"?><testsuite name="unit" tests="3" failures="0">'
    b'<testcase name="a"/><testcase name="b"/><testcase name="c"/></testsuite>'
)
CRITERION = "cd.tm.auto.execution@3"


def api_upload(client, user, assessment, content: bytes = JUNIT, name: str = "report.xml"):
    token = Token.objects.get_or_create(user=user)[0].key
    return client.post(
        f"/api/v1/assessments/{assessment.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content), "criteria": [CRITERION]},
        headers={"authorization": f"Token {token}", "accept-language": "en"},
    )


def form_upload(client, assessment, content: bytes = JUNIT):
    return client.post(
        reverse("evidence-add", args=(assessment.pk,)),
        {"criterion": CRITERION, "file": SimpleUploadedFile("report.xml", content)},
        headers={"hx-request": "true", "accept-language": "en"},
    )


def local_files(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_an_api_upload_is_stored_in_the_bucket_scored_and_downloaded(
    client, team, assessor, outsider, assessment, s3_evidence, evidence_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_upload(client, team, assessment)
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert s3_evidence.read(evidence.file.name) == JUNIT
    assert evidence.sha256 == hashlib.sha256(JUNIT).hexdigest()
    assert (evidence.status, evidence.kind, evidence.facts["junit.tests"]) == ("scored", "junit", 3)
    assert local_files(evidence_storage) == []  # nothing on the web side's disk

    client.force_login(assessor)
    download = client.get(reverse("evidence-download", args=(evidence.pk,)))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="report.xml"')
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(download.streaming_content) == JUNIT
    client.force_login(outsider)
    assert client.get(reverse("evidence-download", args=(evidence.pk,))).status_code == 404


def test_the_html_form_stores_in_the_bucket(client, team, assessment, s3_evidence, evidence_storage):
    client.force_login(team)
    response = form_upload(client, assessment)
    assert response.status_code == 200
    evidence = Evidence.objects.get()
    assert evidence.file.name in s3_evidence.names()
    assert s3_evidence.read(evidence.file.name) == JUNIT
    assert local_files(evidence_storage) == []


def test_removal_keeps_the_object_for_the_audit_trail(client, team, assessment, s3_evidence):
    response = api_upload(client, team, assessment)
    evidence_id = response.json()["id"]
    removed = client.delete(
        f"/api/v1/evidence/{evidence_id}/", headers={"authorization": f"Token {Token.objects.get(user=team).key}"}
    )
    assert removed.status_code == 204
    evidence = Evidence.objects.get(pk=evidence_id)
    assert evidence.is_removed
    assert s3_evidence.read(evidence.file.name) == JUNIT


@pytest.mark.parametrize(
    ("tampered", "reason"),
    [
        (JUNIT.replace(b'name="a"', b'name="z"'), "SHA-256 digest differs"),
        (JUNIT + b"<!-- more -->", f"has {len(JUNIT) + 13} bytes, not the {len(JUNIT)} bytes uploaded"),
    ],
)
def test_a_tampered_object_fails_the_evidence_with_a_reason(team, assessment, s3_evidence, tampered, reason):
    # Stored but not yet read: plain database tests never run on-commit callbacks.
    evidence = add_evidence(
        assessment=assessment,
        actor=team,
        criteria_codes=[CRITERION],
        upload=SimpleUploadedFile("report.xml", JUNIT),
    )
    s3_evidence.client().put_object(Bucket="evidence", Key=evidence.file.name, Body=tampered)
    score_evidence_now(evidence_id=evidence.pk, task_id="tamper-test")
    evidence.refresh_from_db()
    assert evidence.status == "failed"
    assert reason in evidence.reason
    assert evidence.facts == {}


def test_an_object_gone_from_the_bucket_fails_the_evidence(team, assessment, s3_evidence):
    evidence = add_evidence(
        assessment=assessment, actor=team, criteria_codes=[CRITERION], upload=SimpleUploadedFile("r.xml", JUNIT)
    )
    s3_evidence.client().delete_object(Bucket="evidence", Key=evidence.file.name)
    score_evidence_now(evidence_id=evidence.pk, task_id="missing-test")
    evidence.refresh_from_db()
    assert (evidence.status, evidence.reason) == ("failed", "The stored file is missing.")


def test_when_the_store_is_down_an_api_upload_answers_503_and_writes_nothing(
    client, team, assessment, store_down, evidence_storage
):
    audit_entries = AuditEntry.objects.count()
    response = api_upload(client, team, assessment)
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The file store is unavailable, so nothing was saved; try again in a minute.",
        "errors": {},
    }
    assert Evidence.objects.count() == 0
    assert AuditEntry.objects.count() == audit_entries
    assert local_files(evidence_storage) == []


def test_when_the_store_is_down_the_form_says_so_with_503(client, team, assessment, store_down):
    client.force_login(team)
    response = form_upload(client, assessment)
    assert response.status_code == 503
    assert "The file store is unavailable" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_when_the_store_is_down_scoring_hands_the_evidence_back_for_a_retry(
    team, assessment, s3_evidence, settings, object_store
):
    from assessment.services.exceptions import StoreUnavailable
    from tests.storage.conftest import free_port, storage_options

    evidence = add_evidence(
        assessment=assessment, actor=team, criteria_codes=[CRITERION], upload=SimpleUploadedFile("r.xml", JUNIT)
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage_options(f"http://127.0.0.1:{free_port()}")}
    with pytest.raises(StoreUnavailable):
        score_evidence_now(evidence_id=evidence.pk, task_id="down-test")
    evidence.refresh_from_db()
    assert evidence.status == "pending"
    settings.STORAGES = {**settings.STORAGES, "default": storage_options(object_store.endpoint)}
    score_evidence_now(evidence_id=evidence.pk, task_id="down-test")
    evidence.refresh_from_db()
    assert (evidence.status, evidence.kind) == ("scored", "junit")


def test_readiness_names_the_store_when_it_does_not_answer(client, store_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["store"]


def test_readiness_with_the_store_up(client, s3_evidence):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["store"] == "ok"
