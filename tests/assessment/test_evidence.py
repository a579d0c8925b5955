"""Evidence in the questionnaire: files judged by content and size, links, notes, reuse, removal, download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import AuditEntry, Evidence
from assessment.services.assessments import AnswerInput, required_criteria, save_answers
from assessment.services.lifecycle import submit_assessment

pytestmark = pytest.mark.django_db
JUNIT = b'<?xml version="1.0"?><testsuite name="unit" tests="2" failures="0"><testcase name="a"/></testsuite>'


def upload(client, assessment, *, htmx: bool = True, **fields):
    data = {"criterion": "cd.tm.auto.execution@3", **fields}
    headers = {"hx-request": "true"} if htmx else {}
    return client.post(
        reverse("evidence-add", args=(assessment.pk,)), data, headers={**headers, "accept-language": "en"}
    )


def test_a_junit_report_is_stored_with_digest_under_a_generated_name(client, team, assessment, evidence_storage):
    client.force_login(team)
    response = upload(client, assessment, file=SimpleUploadedFile("../../etc/report\x07.xml", JUNIT))
    assert response.status_code == 200
    evidence = Evidence.objects.get()
    assert evidence.name == "report.xml"
    assert evidence.media_type == "application/xml" and evidence.size == len(JUNIT)
    assert evidence.sha256 == __import__("hashlib").sha256(JUNIT).hexdigest()
    assert (
        evidence.file.name.startswith(f"evidence/{assessment.organisation_id}/") and "report" not in evidence.file.name
    )
    assert (evidence_storage / evidence.file.name).read_bytes() == JUNIT
    assert list(evidence.criteria.values_list("code", flat=True)) == ["cd.tm.auto.execution@3"]
    assert "report.xml" in response.content.decode()
    assert AuditEntry.objects.filter(action="evidence.added", target="report.xml").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("page.xml", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("image.png", b"<svg onload=alert(1)></svg>"),
        ("binary.txt", b"\x00\x01\x02\x03"),
    ],
)
def test_files_are_judged_by_content_not_name(client, team, assessment, evidence_storage, name, content):
    client.force_login(team)
    response = upload(client, assessment, file=SimpleUploadedFile(name, content))
    assert response.status_code == 422
    assert "This kind of file is not accepted" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not any(path.is_file() for path in evidence_storage.rglob("*")), "no file is left behind"


def test_oversize_files_are_dropped_while_uploading(client, team, assessment, settings, evidence_storage):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    client.force_login(team)
    response = upload(client, assessment, file=SimpleUploadedFile("big.xml", b"<a>" + b"x" * 5000 + b"</a>"))
    assert response.status_code == 422
    assert "The file is larger than the 1.0\xa0KB limit." in response.content.decode()
    assert not Evidence.objects.exists()


def test_links_and_notes(client, team, assessment):
    client.force_login(team)
    assert upload(client, assessment, url="https://ci.example.com/pipelines/42", name="Pipeline 42").status_code == 200
    assert upload(client, assessment, note="Trunk builds run on every push.\nSee the Jenkins job.").status_code == 200
    link, note = Evidence.objects.order_by("pk")
    assert (link.source, link.name, link.url) == ("link", "Pipeline 42", "https://ci.example.com/pipelines/42")
    assert (note.source, note.name) == ("note", "Trunk builds run on every push.")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"note": "   "}, "Give exactly one of a file, a link or a note."),
        ({}, "Give exactly one of a file, a link or a note."),
        ({"url": "https://a.example", "note": "both"}, "Give exactly one of a file, a link or a note."),
        ({"note": "x", "criterion": "cd.cm.vc.vcs@9"}, "is not a criterion of this assessment"),
        ({"note": "x", "effective_on": "2026-11-02", "expires_on": "2026-11-01"}, "expiry date is before"),
        ({"note": "x", "effective_on": "yesterday"}, "Enter a valid date"),
    ],
)
def test_bad_evidence_input_gets_a_clear_error(client, team, assessment, fields, message):
    client.force_login(team)
    response = upload(client, assessment, **fields)
    assert response.status_code in (404, 422)
    if response.status_code == 422:
        assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_one_piece_of_evidence_supports_several_criteria(client, team, assessment):
    client.force_login(team)
    upload(client, assessment, note="Pipeline definition reviewed")
    evidence = Evidence.objects.get()
    response = client.post(
        reverse("evidence-attach", args=(assessment.pk,)),
        {"criterion": "cd.drm.pipeline.process@3", "evidence": evidence.pk},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200
    assert sorted(evidence.criteria.values_list("code", flat=True)) == [
        "cd.drm.pipeline.process@3",
        "cd.tm.auto.execution@3",
    ]


def test_members_download_files_as_attachments_and_outsiders_get_404(client, team, assessor, outsider, assessment):
    client.force_login(team)
    upload(client, assessment, file=SimpleUploadedFile("测试 报告.xml", JUNIT))
    evidence = Evidence.objects.get()
    client.force_login(assessor)
    response = client.get(reverse("evidence-download", args=(evidence.pk,)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == JUNIT
    client.force_login(outsider)
    assert client.get(reverse("evidence-download", args=(evidence.pk,))).status_code == 404
    client.logout()
    assert client.get(reverse("evidence-download", args=(evidence.pk,))).status_code == 302


def test_removal_is_recorded_and_only_possible_while_the_team_may_edit(client, team, assessment):
    client.force_login(team)
    upload(client, assessment, note="first")
    upload(client, assessment, note="second")
    first, second = Evidence.objects.order_by("pk")
    response = client.post(
        reverse("evidence-remove", args=(first.pk,)),
        {"criterion": "cd.tm.auto.execution@3"},
        headers={"hx-request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="note-evidence">second<' in body and 'class="note-evidence">first<' not in body
    first.refresh_from_db()
    assert first.removed_by == team and first.removed_at is not None
    assert AuditEntry.objects.filter(action="evidence.removed", target="first").exists()
    assert client.get(reverse("evidence-download", args=(first.pk,))).status_code == 404

    items = [AnswerInput(code, "met") for code in required_criteria(assessment).values_list("code", flat=True)]
    save_answers(assessment=assessment, items=items, actor=team)
    submit_assessment(assessment=assessment, actor=team)
    response = client.post(
        reverse("evidence-remove", args=(second.pk,)),
        {"criterion": "cd.tm.auto.execution@3"},
        headers={"hx-request": "true", "accept-language": "en"},
    )
    assert response.status_code == 422 and "can no longer be changed" in response.content.decode()
    second.refresh_from_db()
    assert second.removed_at is None


def test_only_the_project_team_adds_evidence(client, assessor, manager, orgadmin, outsider, assessment):
    for person, status in ((assessor, 403), (manager, 403), (orgadmin, 403), (outsider, 404)):
        client.force_login(person)
        assert upload(client, assessment, note="sneaky").status_code == status
    assert not Evidence.objects.exists()
