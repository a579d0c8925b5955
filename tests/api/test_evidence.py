"""Evidence over the API: multipart upload of a file, link or note; hostile input; reading and removing."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Evidence
from assessment.services.evidence import add_evidence
from tests.api.error_shape import assert_error_shape

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
JUNIT = b'<?xml version="1.0"?><testsuite name="unit" tests="3" failures="0"/>'


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    """Uploaded files go to a throwaway folder, never the developer's var/evidence."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


def url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/evidence/"


def upload(client, assessment, **fields):
    return client.post(url(assessment), fields, format="multipart")


def raw_upload(client, assessment, file_name: str, content: bytes, criteria: str = "cd.cm.vc.vcs@1"):
    """A multipart body written by hand, so the file name reaches the server exactly as a hostile client sends it."""
    boundary = "evidence-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="criteria"\r\n\r\n{criteria}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(url(assessment), body, content_type=f"multipart/form-data; boundary={boundary}")


def test_team_member_uploads_a_file(api_as, team, assessment):
    response = upload(
        api_as(team),
        assessment,
        file=SimpleUploadedFile("junit.xml", JUNIT),
        criteria=["cd.cm.vc.vcs@1", "cd.cm.vc.vcs@2"],
        effective_on="2026-01-15",
        expires_on="2026-12-31",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    evidence = Evidence.objects.get(pk=body["id"])
    assert body["name"] == "junit.xml" and body["assessment"] == assessment.pk
    assert (body["kind"], body["status"], body["reason"]) == ("file", "pending", "")
    assert (body["facts"], body["verdicts"]) == ({}, [])
    assert body["sha256"] == hashlib.sha256(JUNIT).hexdigest() == evidence.sha256
    assert (body["source"], body["media_type"], body["size"]) == ("file", "application/xml", len(JUNIT))
    assert (body["url"], body["note"]) == ("", "")
    assert body["criteria"] == ["cd.cm.vc.vcs@1", "cd.cm.vc.vcs@2"]
    assert body["uploaded_by"] == "team" and body["uploaded_at"]
    assert (body["effective_on"], body["expires_on"]) == ("2026-01-15", "2026-12-31")
    assert body["download_url"] == f"http://testserver/evidence/{evidence.pk}/download/"


def test_links_and_notes_and_comma_separated_criteria(api_as, team, assessment):
    client = api_as(team)
    link = upload(client, assessment, url="https://ci.example.com/job/42", criteria="cd.cm.vc.vcs@1, cd.cm.vc.vcs@2")
    assert link.status_code == 201, link.content
    assert (link.json()["kind"], link.json()["url"], link.json()["download_url"]) == (
        "link",
        "https://ci.example.com/job/42",
        None,
    )
    assert link.json()["criteria"] == ["cd.cm.vc.vcs@1", "cd.cm.vc.vcs@2"]
    note = upload(client, assessment, note="Every repo is in GitLab.\nSee the wiki.", criteria="cd.cm.vc.vcs@1")
    assert note.status_code == 201
    assert (note.json()["kind"], note.json()["name"], note.json()["note"]) == (
        "note",
        "Every repo is in GitLab.",
        "Every repo is in GitLab.\nSee the wiki.",
    )


def test_list_shows_evidence_that_was_not_removed(api_as, team, manager, assessment):
    kept = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="kept")
    gone = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="gone")
    assert api_as(team).delete(f"/api/v1/evidence/{gone.pk}/").status_code == 204
    listed = api_as(manager).get(url(assessment)).json()
    assert [row["id"] for row in listed["results"]] == [kept.pk]


def test_payload_cannot_set_uploader_organisation_or_status(api_as, team, outsider, assessment):
    response = upload(
        api_as(team),
        assessment,
        file=SimpleUploadedFile("ours.pdf", PDF),
        criteria="cd.cm.vc.vcs@1",
        uploaded_by=outsider.pk,
        organisation=outsider.memberships.get().organisation_id,
        status="scored",
        sha256="0" * 64,
    )
    assert response.status_code == 201
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert (evidence.uploaded_by, evidence.organisation.slug) == (team, "acme")
    # A file waits for a worker to read it, whatever the payload says.
    assert response.json()["status"] == "pending" and evidence.sha256 == hashlib.sha256(PDF).hexdigest()


def test_oversize_files_are_refused(api_as, team, assessment, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 4096)
    response = upload(api_as(team), assessment, file=big, criteria="cd.cm.vc.vcs@1")
    assert_error_shape(response, 400, "file")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",  # a Windows executable
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00",  # a Linux executable
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"\xff\xfe\x00\x00 not text",
    ],
)
def test_files_are_judged_by_content_not_name(api_as, team, assessment, content):
    disguised = SimpleUploadedFile("report.pdf", content)
    response = upload(api_as(team), assessment, file=disguised, criteria="cd.cm.vc.vcs@1")
    assert_error_shape(response, 400, "file")
    assert not Evidence.objects.exists()


def test_a_file_named_only_dots_is_dropped_and_refused(api_as, team, assessment):
    assert_error_shape(raw_upload(api_as(team), assessment, "..", PDF), 400, "file")
    assert not Evidence.objects.exists()


def test_empty_files_are_refused(api_as, team, assessment):
    response = upload(api_as(team), assessment, file=SimpleUploadedFile("empty.pdf", b""), criteria="cd.cm.vc.vcs@1")
    assert_error_shape(response, 400, "file")


@pytest.mark.parametrize(
    ("file_name", "shown"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("report\x07\x1b[31m.pdf", "report[31m.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("...pdf", "pdf"),
    ],
)
def test_file_names_are_display_text_only(api_as, team, assessment, evidence_root, file_name, shown):
    response = raw_upload(api_as(team), assessment, file_name, PDF)
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert response.json()["name"] == evidence.name == shown
    assert re.fullmatch(rf"evidence/{assessment.organisation_id}/[0-9a-f]{{32}}", evidence.file.name)
    assert (evidence_root / evidence.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"url": "https://"}, "url"),
        ({"note": "   "}, "note"),
        ({"note": "x" * 20_001}, "note"),
        ({}, "file"),
        ({"url": "https://ci.example.com", "note": "and a note"}, "file"),
        ({"note": "x", "criteria": ""}, "criteria"),
        ({"note": "x", "criteria": " , ,"}, "criteria"),
        ({"note": "x", "criteria": "cd.no.such@1"}, "criteria"),
        ({"note": "x", "criteria": "agile.value.artifacts.content@1"}, "criteria"),
        ({"note": "x", "effective_on": "2026-02-30"}, "effective_on"),
        ({"note": "x", "effective_on": "2026-03-01", "expires_on": "2026-01-01"}, "expires_on"),
        ({"note": "x", "name": "n" * 256}, "name"),
    ],
)
def test_bad_uploads_are_400_with_the_field(api_as, team, assessment, fields, field):
    fields = {"criteria": "cd.cm.vc.vcs@1", **fields}
    assert_error_shape(upload(api_as(team), assessment, **fields), 400, field)
    assert not Evidence.objects.exists()


def test_too_many_criteria_or_fields_are_a_400(api_as, team, assessment):
    comma_separated = [",".join(f"cd.cm.vc.vcs@{n}" for n in range(start, start + 101)) for start in (0, 101, 202)]
    assert_error_shape(upload(api_as(team), assessment, note="x", criteria=comma_separated), 400, "criteria")
    fields = [f"cd.cm.vc.vcs@{n}" for n in range(1500)]
    assert_error_shape(upload(api_as(team), assessment, note="x", criteria=fields), 400)
    assert not Evidence.objects.exists()


def test_missing_criteria_field_is_a_400(api_as, team, assessment):
    assert_error_shape(upload(api_as(team), assessment, note="x"), 400, "criteria")


def test_a_file_and_a_link_together_are_refused(api_as, team, assessment):
    response = upload(
        api_as(team),
        assessment,
        file=SimpleUploadedFile("a.pdf", PDF),
        url="https://ci.example.com",
        criteria="cd.cm.vc.vcs@1",
    )
    assert_error_shape(response, 400, "file")


def test_json_bodies_are_refused(api_as, team, assessment):
    response = api_as(team).post(url(assessment), {"note": "x", "criteria": ["cd.cm.vc.vcs@1"]}, format="json")
    assert_error_shape(response, 415)


@pytest.mark.parametrize("persona", ["assessor", "manager", "orgadmin", "bystander"])
def test_only_the_projects_team_uploads_and_removes(api_as, team, assessment, persona, request):
    user = request.getfixturevalue(persona)
    assert_error_shape(upload(api_as(user), assessment, note="x", criteria="cd.cm.vc.vcs@1"), 403)
    evidence = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="team's")
    assert_error_shape(api_as(user).delete(f"/api/v1/evidence/{evidence.pk}/"), 403)
    assert api_as(user).get(f"/api/v1/evidence/{evidence.pk}/").json()["name"] == "team's"
    assert Evidence.objects.filter(removed_at__isnull=True).count() == 1


def test_outsider_gets_404_on_evidence(api_as, team, outsider, assessment):
    evidence = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="secret")
    client = api_as(outsider)
    assert_error_shape(client.get(url(assessment)), 404)
    assert_error_shape(upload(client, assessment, note="x", criteria="cd.cm.vc.vcs@1"), 404)
    assert_error_shape(client.get(f"/api/v1/evidence/{evidence.pk}/"), 404)
    assert_error_shape(client.delete(f"/api/v1/evidence/{evidence.pk}/"), 404)
    assert Evidence.objects.get(pk=evidence.pk).removed_at is None


def test_removing_evidence(api_as, team, assessment):
    evidence = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="old")
    client = api_as(team)
    assert client.delete(f"/api/v1/evidence/{evidence.pk}/").status_code == 204
    evidence.refresh_from_db()
    assert evidence.removed_by == team and evidence.removed_at
    assert_error_shape(client.get(f"/api/v1/evidence/{evidence.pk}/"), 404)
    assert_error_shape(client.delete(f"/api/v1/evidence/{evidence.pk}/"), 404)


def test_no_evidence_changes_once_submitted(api_as, team, assessment):
    evidence = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="old")
    assessment.state = "submitted"
    assessment.save(update_fields=["state"])
    client = api_as(team)
    assert_error_shape(upload(client, assessment, note="new", criteria="cd.cm.vc.vcs@1"), 409, "state")
    assert_error_shape(client.delete(f"/api/v1/evidence/{evidence.pk}/"), 409, "state")


def test_listing_costs_the_same_for_one_piece_or_many(api_as, team, assessment):
    client = api_as(team)
    add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="first")
    client.get(url(assessment))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(assessment)).json()["count"] == 1
    for number in range(6):
        codes = ["cd.cm.vc.vcs@1", f"cd.cm.vc.vcs@{number % 5 + 1}"]
        add_evidence(assessment=assessment, actor=team, criteria_codes=codes, note=f"note {number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(assessment)).json()["count"] == 7
    assert len(one) == len(many) <= 7  # includes one query for the assessment's verdicts
