"""Measured figures become metric-snapshot evidence and verdicts through the usual scoring path."""

import datetime

import pytest
from django.core.management import call_command

from assessment.models import Evidence, Verdict
from assessment.services.snapshots import SNAPSHOT_KIND
from metrics.services.snapshots import snapshot_project
from tests.metrics.figure_events import build, change, deployment, settle

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)  # the latest complete month is October 2026


@pytest.fixture
def october(project, team):
    """A deployment every day of October (two on the 10th, around a failure recovered in an hour)."""
    shipped = [deployment(project, f"2026-10-{day:02d} 10:00", version=f"v{day}") for day in range(1, 32)]
    deployment(project, "2026-10-10 12:00", "failure")
    deployment(project, "2026-10-10 13:00", version="v10b")
    for day in (6, 7, 8):  # Tuesday to Thursday: three merges a day by one developer
        for hour in (9, 11, 15):
            change(
                project, f"2026-10-{day:02d} 08:00", merged=f"2026-10-{day:02d} {hour:02d}:00", shipped_by=shipped[day]
            )
    build(project, "2026-10-05 09:00", "2026-10-05 09:04", "failure")
    build(project, "2026-10-05 09:10", "2026-10-05 09:24")
    settle(project)


def _verdict(assessment, code: str) -> str | None:
    verdict = Verdict.objects.filter(assessment=assessment, criterion__code=code).first()
    return verdict.value if verdict else None


def test_the_latest_complete_month_becomes_evidence_with_verdicts(assessment, october):
    (evidence,) = snapshot_project(project=assessment.project, kind="month", today=TODAY)
    assert (evidence.kind, evidence.status, evidence.effective_on) == (
        SNAPSHOT_KIND,
        "scored",
        datetime.date(2026, 10, 31),
    )
    facts = evidence.facts
    assert facts["snapshot.period_start"] == "2026-10-01"
    assert facts["deployments.count"] == 33
    assert facts["deployments.per_week"] == pytest.approx(32 / 31 * 7, abs=0.01)
    assert facts["deployments.max_per_day"] == 2
    assert facts["deployments.weeks_without_deployment"] == 0  # the whole weeks of 5, 12 and 19 October
    assert facts["deployments.change_fail_rate"] == pytest.approx(1 / 33, abs=1e-4)
    assert facts["deployments.recovery_hours"] == 1
    assert facts["ci.feedback_minutes"] == 20
    assert facts["integration.merges_per_developer_per_day"] == pytest.approx(9 / 22, abs=1e-4)  # 22 weekdays
    assert facts["delivery.pipeline_success_rate"] == 0.5
    linked = set(evidence.links.values_list("criterion__code", flat=True))
    assert {"cd.drm.mode.strategy@3", "cd.drm.mode.quality@3", "cd.bci.ci.feedback@3"} <= linked
    assert _verdict(assessment, "cd.drm.mode.strategy@3") == "met"  # a deployment in every whole week
    assert _verdict(assessment, "cd.drm.mode.strategy@4") == "met"  # two on one day
    assert _verdict(assessment, "cd.drm.mode.quality@3") == "met"  # fail rate ≤ 15 %
    assert _verdict(assessment, "cd.drm.mode.quality@4") == "met"  # recovered within an hour
    assert _verdict(assessment, "cd.bci.ci.feedback@4") == "met"  # 20 min ≤ 30
    assert _verdict(assessment, "cd.bci.ci.feedback@5") == "not_met"  # 20 min > 10
    assert _verdict(assessment, "cd.bci.ci.frequency@3") == "not_met"  # 0.41 merges a developer a day < 1


def test_a_rerun_replaces_the_snapshot_instead_of_adding_one(assessment, october):
    first = snapshot_project(project=assessment.project, kind="month", today=TODAY)[0]
    for day in range(1, 10):  # a bad week after the fact: failures pile up
        deployment(assessment.project, f"2026-10-{day:02d} 11:00", "failure")
    settle(assessment.project)
    second = snapshot_project(project=assessment.project, kind="month", today=TODAY)[0]
    assert second.pk == first.pk
    assert Evidence.objects.filter(assessment=assessment, kind=SNAPSHOT_KIND).count() == 1
    assert second.facts["deployments.change_fail_rate"] == pytest.approx(10 / 42, abs=1e-4)
    assert _verdict(assessment, "cd.drm.mode.quality@3") == "not_met"


def test_each_period_keeps_its_own_snapshot_and_the_newest_counts(assessment, october):
    snapshot_project(project=assessment.project, kind="month", today=TODAY)
    snapshot_project(project=assessment.project, kind="month", today=datetime.date(2026, 12, 2))  # November: none
    assert Evidence.objects.filter(assessment=assessment, kind=SNAPSHOT_KIND).count() == 2
    assert _verdict(assessment, "cd.drm.mode.strategy@2") == "not_met"  # no deployment in November


def test_projects_that_send_no_builds_are_not_judged_on_ci(assessment, project, team):
    deployment(project, "2026-10-02 10:00")
    settle(project)
    (evidence,) = snapshot_project(project=project, kind="month", today=TODAY)
    assert "ci.feedback_minutes" not in evidence.facts
    assert "cd.bci.ci.feedback@3" not in set(evidence.links.values_list("criterion__code", flat=True))


def test_submitted_assessments_are_left_alone(assessment, october):
    assessment.state = "submitted"
    assessment.save(update_fields=["state"])
    assert snapshot_project(project=assessment.project, kind="month", today=TODAY) == []
    assert not Evidence.objects.filter(kind=SNAPSHOT_KIND).exists()


def test_the_command_is_idempotent(assessment, team):
    from django.utils import timezone

    from metrics.selectors.periods import latest_complete

    period = latest_complete(timezone.localdate(), "month")
    deployment(assessment.project, f"{period.start} 10:00")
    call_command("snapshot_metrics", "--project", str(assessment.project.pk))
    call_command("snapshot_metrics")
    evidence = Evidence.objects.get(assessment=assessment, kind=SNAPSHOT_KIND)
    assert evidence.facts["deployments.count"] == 1


def test_daily_deployment_is_read_as_a_capability_not_a_count(assessment, project, team):
    """Two deployments a week pass level 3 (deploying is routine every week); a week without one fails it,
    and the explanation says so in figures, in both languages."""
    for day in (5, 8, 12, 15, 19, 22):  # Mondays and Thursdays of the three whole weeks of October 2026
        deployment(project, f"2026-10-{day:02d} 10:00", version=f"v{day}")
    settle(project)
    snapshot_project(project=project, kind="month", today=TODAY)
    verdict = Verdict.objects.get(assessment=assessment, criterion__code="cd.drm.mode.strategy@3")
    assert verdict.value == "met", verdict.explanation_en  # under five a week, as the old count asked
    assert "Weeks without a production deployment in 交付度量 Delivery metrics 2026-10-01 – 2026-10-31: 0 weeks" in (
        verdict.explanation_en
    )
    assert "(level 3 asks for at most 0 weeks)" in verdict.explanation_en
    assert "中的无生产部署的周数：0 周（3 级要求不超过 0 周）" in verdict.explanation_zh

    deployment(project, "2026-09-30 10:00", version="september")  # outside the period: changes nothing
    Verdict.objects.filter(pk=verdict.pk).delete()
    from metrics.models import Deployment

    Deployment.objects.filter(project=project, version__in=["v12", "v15"]).delete()
    settle(project)
    snapshot_project(project=project, kind="month", today=TODAY)
    verdict = Verdict.objects.get(assessment=assessment, criterion__code="cd.drm.mode.strategy@3")
    assert verdict.value == "not_met"
    assert ": 1 week (level 3 asks for at most 0 weeks)" in verdict.explanation_en
