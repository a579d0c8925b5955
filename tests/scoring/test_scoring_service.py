"""Scoring through the service and the task in-process: facts, verdicts, stored levels, failures, idempotency."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessment.models import Evidence, Verdict
from assessment.services.assessments import AnswerInput, save_answers
from assessment.services.evidence import add_evidence, remove_evidence
from assessment.services.scoring import MAX_ATTEMPTS, claim_for_scoring, score_evidence_now
from assessment.tasks import sweep_unscored_evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

JUNIT = (
    b'<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="3">'
    b'<testcase classname="t" name="a" time="0.1"/><testcase classname="t" name="b" time="0.2"/>'
    b'<testcase classname="t" name="c" time="0.3"><failure message="boom">trace</failure></testcase>'
    b"</testsuite></testsuites>"
)
GITLAB = b"""stages: [build, test, deploy]
build:
  stage: build
  script: [make build]
test:
  stage: test
  script: [pytest --junitxml=report.xml]
deploy:
  stage: deploy
  environment: production
  script: [kubectl apply -f k8s/]
"""


def upload(assessment, team, content: bytes, name: str, codes, capture):
    with capture(execute=True):
        evidence = add_evidence(
            assessment=assessment, actor=team, criteria_codes=codes, upload=SimpleUploadedFile(name, content)
        )
    evidence.refresh_from_db()
    return evidence


def test_a_junit_report_is_read_and_its_facts_recorded(assessment, team, django_capture_on_commit_callbacks):
    evidence = upload(
        assessment, team, JUNIT, "report.xml", ["cd.tm.auto.execution@3"], django_capture_on_commit_callbacks
    )
    assert (evidence.status, evidence.kind) == ("scored", "junit")
    assert evidence.facts["junit.tests"] == 3 and evidence.facts["junit.failures"] == 1
    assert evidence.attempts == 1


def test_verdicts_combine_the_facts_of_every_piece_and_levels_follow(
    assessment, team, django_capture_on_commit_callbacks
):
    code = "cd.tm.auto.execution@3"  # checks: junit.tests > 0 and pipeline.has_test == true
    upload(assessment, team, JUNIT, "report.xml", [code], django_capture_on_commit_callbacks)
    verdict = Verdict.objects.get(assessment=assessment, criterion__code=code)
    assert verdict.value == "inconclusive"
    assert "Nothing read so far says whether there is any test job" in verdict.explanation_en
    assert "已读取的证据均未说明是否有测试作业" in verdict.explanation_zh

    upload(assessment, team, GITLAB, ".gitlab-ci.yml", [code], django_capture_on_commit_callbacks)
    verdict.refresh_from_db()
    assert verdict.value == "met", verdict.explanation_en
    assert "Number of tests in report.xml: 3 (level 3 asks for more than 0)." in verdict.explanation_en
    assert "Test job found in gitlab-ci.yml (level 3 asks for automated tests in the pipeline)." in (
        verdict.explanation_en
    )
    assert "report.xml 中的测试用例数：3（3 级要求大于 0）。" in verdict.explanation_zh
    assessment.refresh_from_db()
    assert assessment.stored_levels["provisional"]["subitems"]["cd.tm.auto.execution"]["level"] == "0"


def test_a_met_verdict_fills_an_unanswered_criterion_but_never_overrides_an_answer(
    assessment, team, django_capture_on_commit_callbacks
):
    save_answers(
        assessment=assessment,
        actor=team,
        items=[
            AnswerInput("cd.drm.mode.method@1", "met"),
            AnswerInput("cd.drm.mode.method@2", "met"),
        ],
    )
    upload(assessment, team, GITLAB, ".gitlab-ci.yml", ["cd.drm.mode.method@3"], django_capture_on_commit_callbacks)
    assessment.refresh_from_db()
    assert assessment.stored_levels["provisional"]["subitems"]["cd.drm.mode.method"]["level"] == "3"
    save_answers(assessment=assessment, actor=team, items=[AnswerInput("cd.drm.mode.method@3", "not_met")])
    from assessment.services.levels import refresh_stored_levels

    assert refresh_stored_levels(assessment)["provisional"]["subitems"]["cd.drm.mode.method"]["level"] == "2"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'<?xml version="1.0"?><testsuite tests="1"><testcase name="a">', "truncated"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "gzip"),
        (
            b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><testsuite name="&lol3;"/>',
            "",
        ),
    ],
)
def test_unreadable_files_fail_with_a_reason_and_nothing_else_breaks(
    assessment, team, django_capture_on_commit_callbacks, content, reason
):
    evidence = upload(
        assessment, team, content, "bad.xml", ["cd.tm.auto.execution@3"], django_capture_on_commit_callbacks
    )
    assert evidence.status in ("failed", "scored")
    if evidence.status == "failed":
        assert evidence.reason and reason.lower() in evidence.reason.lower()
    good = upload(assessment, team, JUNIT, "ok.xml", ["cd.tm.auto.execution@3"], django_capture_on_commit_callbacks)
    assert good.status == "scored"


def test_unrecognised_files_are_kept_for_people(assessment, team, django_capture_on_commit_callbacks):
    evidence = upload(
        assessment, team, b"%PDF-1.7\n%%EOF\n", "process.pdf", ["cd.cm.vc.vcs@2"], django_capture_on_commit_callbacks
    )
    assert (evidence.status, evidence.kind, evidence.facts) == ("scored", "other", {})


def test_scoring_twice_gives_one_result(assessment, team, django_capture_on_commit_callbacks):
    evidence = upload(
        assessment, team, JUNIT, "report.xml", ["cd.tm.auto.execution@3"], django_capture_on_commit_callbacks
    )
    score_evidence_now(evidence_id=evidence.pk, task_id="another-delivery")
    evidence.refresh_from_db()
    assert evidence.attempts == 1 and evidence.status == "scored"
    assert Verdict.objects.filter(assessment=assessment, criterion__code="cd.tm.auto.execution@3").count() == 1


def test_a_reading_in_progress_is_left_to_its_worker_but_its_own_redelivery_takes_it_back(assessment, team):
    evidence = add_evidence(
        assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@2"], upload=SimpleUploadedFile("r.xml", JUNIT)
    )
    assert claim_for_scoring(evidence.pk, "first") is not None
    assert claim_for_scoring(evidence.pk, "duplicate") is None
    assert claim_for_scoring(evidence.pk, "first") is not None  # the same message after its worker died


def test_a_file_that_keeps_killing_the_worker_fails_after_the_cap(assessment, team):
    evidence = add_evidence(
        assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@2"], upload=SimpleUploadedFile("r.xml", JUNIT)
    )
    for _ in range(MAX_ATTEMPTS):
        assert claim_for_scoring(evidence.pk, "poison") is not None
    assert claim_for_scoring(evidence.pk, "poison") is None
    evidence.refresh_from_db()
    assert evidence.status == "failed" and "abandoned" in evidence.reason


def test_the_sweeper_sends_evidence_left_pending(assessment, team, settings):
    evidence = add_evidence(
        assessment=assessment,
        actor=team,
        criteria_codes=["cd.tm.auto.execution@3"],
        upload=SimpleUploadedFile("r.xml", JUNIT),
    )  # on_commit never fires here: "broker down"
    assert sweep_unscored_evidence() == 0  # still within its grace period
    Evidence.objects.filter(pk=evidence.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(seconds=settings.EVIDENCE_PENDING_GRACE_SECONDS + 1)
    )
    assert sweep_unscored_evidence() == 1
    evidence.refresh_from_db()
    assert evidence.status == "scored"


def test_removing_evidence_withdraws_its_support(assessment, team, django_capture_on_commit_callbacks):
    code = "cd.tm.auto.execution@3"
    junit = upload(assessment, team, JUNIT, "report.xml", [code], django_capture_on_commit_callbacks)
    upload(assessment, team, GITLAB, ".gitlab-ci.yml", [code], django_capture_on_commit_callbacks)
    remove_evidence(evidence=junit, actor=team)
    verdict = Verdict.objects.get(assessment=assessment, criterion__code=code)
    assert verdict.value == "inconclusive" and junit.pk not in verdict.evidence_ids


def test_expired_evidence_no_longer_supports_a_criterion(assessment, team, django_capture_on_commit_callbacks):
    code = "cd.drm.mode.method@3"
    last_year = timezone.localdate() - datetime.timedelta(days=400)
    with django_capture_on_commit_callbacks(execute=True):
        add_evidence(
            assessment=assessment,
            actor=team,
            criteria_codes=[code],
            upload=SimpleUploadedFile(".gitlab-ci.yml", GITLAB),
            effective_on=last_year,
            expires_on=last_year + datetime.timedelta(days=30),
        )
    assert Verdict.objects.get(assessment=assessment, criterion__code=code).value == "inconclusive"
