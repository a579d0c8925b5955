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
    assert (
        'class="verdict verdict-met"' in body and "Number of tests in r.xml: 3 (level 3 asks for more than 0)." in body
    )
    chinese = client.get(f"/assessments/{assessment.pk}/questionnaire/cd.tm/", headers={"accept-language": "zh-CN"})
    assert "自动检查: 满足" in chinese.content.decode()
    assert "r.xml 中的测试用例数：3（3 级要求大于 0）。" in chinese.content.decode()


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
        {
            "criterion": CODE,
            "verdict": "inconclusive",
            "explanation": body["verdicts"][0]["explanation"],
            "uses_this_evidence": True,
        }
    ]


def test_a_file_no_machine_reads_is_not_shown_as_read(client, team, assessment, django_capture_on_commit_callbacks):
    """A YAML file that no reader recognises (a list of owners) sits beside a GitLab pipeline on one criterion: its
    verdict is the pipeline's, says so, and says the owners file was kept for a person."""
    owners = b"owners:\n  - alice\n  - bob\nreview: weekly\n"
    with django_capture_on_commit_callbacks(execute=True):
        unread = add_evidence(
            assessment=assessment,
            actor=team,
            criteria_codes=[CODE],
            upload=SimpleUploadedFile("owners.yml", owners),
        )
        add_evidence(
            assessment=assessment,
            actor=team,
            criteria_codes=[CODE],
            upload=SimpleUploadedFile(".gitlab-ci.yml", GITLAB),
        )
    token = Token.objects.create(user=team).key
    body = client.get(
        f"/api/v1/evidence/{unread.pk}/", headers={"authorization": f"Token {token}", "accept-language": "en"}
    ).json()
    assert body["kind"] == "other" and body["facts"] == {}
    [verdict] = body["verdicts"]
    assert verdict["uses_this_evidence"] is False
    assert "Test job found in gitlab-ci.yml" in verdict["explanation"]
    assert (
        "owners.yml is kept for review by a person: no machine reads it, and it was not used here."
        in (verdict["explanation"])
    )
