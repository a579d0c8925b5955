"""Submitting while a team member uploads evidence: the upload lands before the submission or is refused with
409, never written into a submitted assessment (PostgreSQL, real connections in threads)."""

import threading
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from assessment.models import AuditEntry, Evidence
from assessment.services import evidence as evidence_services
from assessment.services.assessments import start_assessment
from tests.api.error_shape import assert_error_shape
from tests.review.flow import answer_required

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_tasks"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers on one file lock and has no row locks to test",
    ),
]

JUNIT = b'<?xml version="1.0"?><testsuite name="unit" tests="3" failures="0"/>'
# How long an upload whose state check has passed waits for a submission to commit before it writes. Enough for
# a submission that is free to go (the old ordering let it); one held by the upload's lock waits this out.
PAUSE_SECONDS = 0.5


@dataclass
class Window:
    """Widens the gap between the upload's state check and its write, when `widened`: the submission is sent
    once the check has passed, and the upload waits for it to finish (or for PAUSE_SECONDS) before writing."""

    widened: bool
    checked: threading.Event = field(default_factory=threading.Event)
    submitted: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def window(monkeypatch):
    """window(widened) → this round's Window, seen by the upload's state check (patched where add_evidence
    looks it up; the check itself is the real one)."""
    current: list[Window] = []
    check = evidence_services.ensure_team_editable

    def check_then_pause(assessment) -> None:
        check(assessment)  # a refusal is raised at once: nothing to widen
        if current and current[-1].widened:
            current[-1].checked.set()
            current[-1].submitted.wait(timeout=PAUSE_SECONDS)

    monkeypatch.setattr(evidence_services, "ensure_team_editable", check_then_pause)

    def open_window(widened: bool) -> Window:
        current.append(Window(widened))
        return current[-1]

    return open_window


def _client(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def submit_and_upload_at_once(team, assessment_id: int, window: Window) -> dict:
    """Submits from one thread and uploads from another, each with its own connection, released together; the
    responses by kind."""
    barrier, responses = threading.Barrier(2), {}

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            if window.widened:
                window.checked.wait(timeout=10)
            responses["submit"] = _client(team).post(f"/api/v1/assessments/{assessment_id}/submit/", {}, format="json")
            window.submitted.set()
        finally:
            connection.close()

    def upload() -> None:
        fields = {"file": SimpleUploadedFile("junit.xml", JUNIT), "criteria": ["cd.cm.vc.vcs@1"]}
        try:
            barrier.wait(timeout=10)
            url = f"/api/v1/assessments/{assessment_id}/evidence/"
            responses["upload"] = _client(team).post(url, fields, format="multipart")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit), threading.Thread(target=upload)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def assert_before_submission_or_refused(assessment, responses: dict) -> str:
    """The round's outcome, "landed" or "refused", after checking that it is one of the two."""
    assert responses["submit"].status_code == 200, responses["submit"].content
    submitted = AuditEntry.objects.get(assessment=assessment, action="assessment.submit")
    added = list(AuditEntry.objects.filter(assessment=assessment, action="evidence.added"))
    if responses["upload"].status_code == 409:
        body = assert_error_shape(responses["upload"], 409, "state")
        assert "submitted" in body["detail"].lower()
        assert not Evidence.objects.filter(assessment=assessment).exists()
        assert added == []
        return "refused"
    assert responses["upload"].status_code == 201, responses["upload"].content
    assert Evidence.objects.filter(assessment=assessment).count() == 1
    # Entries are numbered as they are written: the evidence was written before the submission was.
    assert [entry.pk < submitted.pk for entry in added] == [True], "evidence added to a submitted assessment"
    return "landed"


@pytest.mark.parametrize("widened", [True, False], ids=["submission-sent-after-the-check", "released-together"])
def test_an_upload_racing_a_submission_lands_before_it_or_is_refused(caict, project, team, window, widened):
    outcomes = []
    for _round in range(6):
        assessment = start_assessment(project=project, actor=team, target_level=1)
        answer_required(assessment, team)

        responses = submit_and_upload_at_once(team, assessment.pk, window(widened))

        assert set(responses) == {"submit", "upload"}, "a request did not finish"
        outcomes.append(assert_before_submission_or_refused(assessment, responses))
    if widened:
        # The upload checked first and so holds the assessment until its evidence is written.
        assert outcomes == ["landed"] * 6
