"""Expired evidence no longer supports its criterion; it is flagged to both sides, and 30 days ahead."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessment.models import AuditEntry, Verdict
from assessment.services.evidence import add_evidence
from assessment.tasks import refresh_expired_evidence
from tests.scoring.test_scoring_service import GITLAB, JUNIT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

CODE = "cd.tm.auto.execution@3"  # checks: junit.tests > 0 and pipeline.has_test == true
TODAY = timezone.localdate()
EXPIRES = TODAY + datetime.timedelta(days=40)
EXPIRED = "Expired: no longer supports this criterion"
EXPIRING = "Expires within 30 days"


@pytest.fixture
def met(assessment, team, django_capture_on_commit_callbacks):
    """CODE met by a JUnit report that expires in 40 days and a pipeline definition that does not expire."""
    for name, content, expires_on in (("report.xml", JUNIT, EXPIRES), (".gitlab-ci.yml", GITLAB, None)):
        with django_capture_on_commit_callbacks(execute=True):
            add_evidence(
                assessment=assessment,
                actor=team,
                criteria_codes=[CODE],
                upload=SimpleUploadedFile(name, content),
                expires_on=expires_on,
            )
    assert Verdict.objects.get(assessment=assessment, criterion__code=CODE).value == "met"
    return assessment


@pytest.fixture
def travel(monkeypatch):
    """travel(days): today is that many days ahead, for every reader of timezone.localdate."""

    def to(days: int) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY + datetime.timedelta(days=days))

    return to


def test_the_daily_task_recomputes_the_verdict_once_the_evidence_expired(met, travel):
    travel(40)
    assert refresh_expired_evidence.delay().get() == 0  # the last valid day
    travel(41)

    assert refresh_expired_evidence.delay().get() == 1

    verdict = Verdict.objects.get(assessment=met, criterion__code=CODE)
    assert verdict.value != "met" and "No evidence read so far shows the number of tests" in verdict.explanation_en
    change = AuditEntry.objects.filter(assessment=met, action="verdict.changed", target=CODE).latest("pk")
    assert change.actor is None and change.before == {"verdict": "met"}


def test_a_week_late_run_still_catches_it_and_reruns_are_harmless(met, travel):
    changes = AuditEntry.objects.filter(assessment=met, action="verdict.changed", target=CODE)
    travel(47)
    assert refresh_expired_evidence() == 1
    after_first_run = changes.count()
    assert refresh_expired_evidence() == 1
    assert changes.count() == after_first_run  # the rerun recorded nothing new
    assert Verdict.objects.get(assessment=met, criterion__code=CODE).value != "met"
    travel(49)
    assert refresh_expired_evidence() == 0  # past the week it looks back on: nothing left to do


@pytest.mark.parametrize(
    ("days", "flag", "absent"),
    [(0, None, (EXPIRED, EXPIRING)), (15, EXPIRING, (EXPIRED,)), (41, EXPIRED, (EXPIRING,))],
)
def test_both_sides_see_the_flag(client, met, team, assessor, travel, days, flag, absent):
    travel(days)
    pages = [(team, f"/assessments/{met.pk}/questionnaire/cd.tm/"), (assessor, f"/assessments/{met.pk}/review/")]
    for user, path in pages:
        client.force_login(user)
        html = client.get(path, headers={"accept-language": "en"}).content.decode()
        assert (flag is None or flag in html) and not any(text in html for text in absent), (user, path)


def test_the_flag_appears_on_a_page_already_seen_before_the_warning_window(client, met, team, travel):
    client.force_login(team)
    path = f"/assessments/{met.pk}/questionnaire/cd.tm/"
    assert EXPIRING not in client.get(path, headers={"accept-language": "en"}).content.decode()

    travel(15)
    assert EXPIRING in client.get(path, headers={"accept-language": "en"}).content.decode()
    travel(41)
    assert EXPIRED in client.get(path, headers={"accept-language": "en"}).content.decode()
