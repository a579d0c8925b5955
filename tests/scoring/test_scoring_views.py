"""What people see of scoring: the reading status that updates itself, the facts, and the automatic verdict."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from assessment.services.evidence import add_evidence
from tests.scoring.test_scoring_service import GITLAB, JUNIT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
CODE = "cd.tm.auto.execution@3"


def test_a_file_being_read_polls_until_it_is_read(client, team, assessment, django_capture_on_commit_callbacks):
    evidence = add_evidence(
        assessment=assessment, actor=team, criteria_codes=[CODE], upload=SimpleUploadedFile("report.xml", JUNIT)
    )  # not read yet: no commit here
    client.force_login(team)
    row_url = f"/evidence/{evidence.pk}/row/?criterion={CODE}"
    pending = client.get(row_url, headers={"hx-request": "true", "accept-language": "en"}).content.decode()
    assert 'hx-trigger="every 2s"' in pending and "Waiting to be read" in pending

    from assessment.services.scoring import score_evidence_now

    score_evidence_now(evidence_id=evidence.pk, task_id="t")
    scored = client.get(row_url, headers={"hx-request": "true", "accept-language": "en"}).content.decode()
    assert 'hx-trigger="every 2s"' not in scored
    assert "Read · junit" in scored and "3 tests, 1 failed" in scored and "junit.failures" in scored
    assert "Automatic check" in scored and "Inconclusive" in scored


def test_the_questionnaire_shows_the_verdict_with_its_explanation(
    client, team, assessment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_evidence(
            assessment=assessment, actor=team, criteria_codes=[CODE], upload=SimpleUploadedFile("r.xml", JUNIT)
        )
        add_evidence(
            assessment=assessment,
            actor=team,
            criteria_codes=[CODE],
            upload=SimpleUploadedFile(".gitlab-ci.yml", GITLAB),
        )
    client.force_login(team)
    page = client.get(f"/assessments/{assessment.pk}/questionnaire/cd.tm/", headers={"accept-language": "en"})
    body = page.content.decode()
    assert 'class="verdict verdict-met"' in body and "junit.tests 3 &gt; 0" in body
    chinese = client.get(f"/assessments/{assessment.pk}/questionnaire/cd.tm/", headers={"accept-language": "zh-CN"})
    assert "自动检查: 满足" in chinese.content.decode()


def test_the_api_reports_status_kind_facts_and_verdicts(client, team, assessment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = add_evidence(
            assessment=assessment, actor=team, criteria_codes=[CODE], upload=SimpleUploadedFile("r.xml", JUNIT)
        )
    token = Token.objects.create(user=team).key
    body = client.get(f"/api/v1/evidence/{evidence.pk}/", headers={"authorization": f"Token {token}"}).json()
    assert (body["status"], body["kind"], body["reason"]) == ("scored", "junit", "")
    assert body["facts"]["junit.tests"] == 3
    assert body["verdicts"] == [
        {"criterion": CODE, "verdict": "inconclusive", "explanation": body["verdicts"][0]["explanation"]}
    ]
