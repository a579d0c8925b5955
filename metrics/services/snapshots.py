"""Measured figures become evidence: for each open assessment of a project (draft or changes requested), the
latest complete period's figures are recorded as a metric snapshot (assessment.services.snapshots), and the
criteria whose checks read them get verdicts through the usual scoring path.

Facts published (a fact is left out when there is nothing to measure it from):
- read by the CAICT catalogue's checks: deployments.per_week, deployments.max_per_day,
  deployments.weeks_without_deployment (whole Monday-to-Sunday weeks of the period without a successful
  production deployment; absent when the period holds no whole week), deployments.change_fail_rate,
  deployments.recovery_hours, ci.feedback_minutes, integration.merges_per_developer_per_day (changes merged
  in the period per project team member per weekday);
- for reports: deployments.count, deployments.rework_rate, deployments.period_days,
  delivery.deployment_frequency_per_day, delivery.lead_time_median_hours, delivery.lead_time_p90_hours,
  delivery.delivery_cycle_days, delivery.build_duration_median_seconds, delivery.build_duration_p90_seconds,
  delivery.pipeline_success_rate, delivery.release_per_week, delivery.test_coverage (latest scored coverage
  line rate, 0..1), delivery.recovery_hours, delivery.change_fail_rate;
- the period: snapshot.period (week, month or quarter), snapshot.period_start, snapshot.period_end (last day).
Deployment facts are published only for projects that send production deployments at all, CI facts only for
those that send builds, integration facts only for those that send merged changes: a project that does not
report a kind of event is not judged on it.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from assessment.models import Assessment, Project
from assessment.models.assessments import TEAM_EDITABLE_STATES
from assessment.services.snapshots import record_metric_snapshot
from metrics.models import Build, Change, Deployment, Result
from metrics.selectors.dashboard import latest_coverage
from metrics.selectors.figures import PeriodFigures, project_figures
from metrics.selectors.periods import MONTH, Period, latest_complete, local_midnight
from metrics.services.rollups import refresh_rollups


def _rounded(value, digits: int = 4):
    return None if value is None else round(value, digits)


def _reports(project: Project) -> Project:
    """The project annotated with which kinds of events it sends at all."""
    mine = {"project_id": OuterRef("pk")}
    return Project.objects.annotate(
        sends_deployments=Exists(Deployment.objects.filter(is_production=True, **mine)),
        sends_builds=Exists(Build.objects.filter(**mine)),
        sends_merges=Exists(Change.objects.filter(merged_at__isnull=False, **mine)),
    ).get(pk=project.pk)


def _merges_per_developer_per_day(project: Project, period: Period) -> float | None:
    developers = project.team.count()
    weekdays = sum(
        (period.start + datetime.timedelta(days=offset)).weekday() < 5
        for offset in range((period.end - period.start).days)
    )
    if not developers or not weekdays:
        return None
    merges = Change.objects.filter(
        project=project, merged_at__gte=period.starts_at, merged_at__lt=period.ends_at
    ).count()
    return merges / developers / weekdays


def _weeks_without_deployment(project: Project, period: Period) -> int | None:
    """Whole weeks of the period with no successful production deployment, in one query. The standard asks
    for the capability of daily deployment, not a count: deploying in every week shows it is routine."""
    first_monday = period.start + datetime.timedelta(days=-period.start.weekday() % 7)
    mondays = []
    while first_monday + datetime.timedelta(days=7 * (len(mondays) + 1)) <= period.end:
        mondays.append(first_monday + datetime.timedelta(days=7 * len(mondays)))
    if not mondays:
        return None
    weeks = {
        f"week_{index}": Count(
            "pk",
            filter=Q(
                finished_at__gte=local_midnight(monday),
                finished_at__lt=local_midnight(monday + datetime.timedelta(days=7)),
            ),
        )
        for index, monday in enumerate(mondays)
    }
    counts = Deployment.objects.filter(project=project, is_production=True, result=Result.SUCCESS).aggregate(**weeks)
    return sum(1 for count in counts.values() if not count)


def _deployment_facts(figures: PeriodFigures) -> dict:
    # The project sends deployments, so a period without any is a measured zero, not a gap.
    return {
        "deployments.count": figures.deployments,
        "deployments.per_week": _rounded(figures.deployment_frequency_per_week or 0.0, 2),
        "deployments.max_per_day": figures.max_deployments_per_day or 0,
        "deployments.change_fail_rate": _rounded(figures.change_fail_rate),
        "deployments.recovery_hours": _rounded(figures.recovery_median_hours, 2),
        "deployments.rework_rate": _rounded(figures.rework_rate),
        "delivery.deployment_frequency_per_day": _rounded(figures.deployment_frequency_per_day or 0.0),
        "delivery.change_fail_rate": _rounded(figures.change_fail_rate),
        "delivery.recovery_hours": _rounded(figures.recovery_median_hours, 2),
        "delivery.release_per_week": _rounded(figures.release_per_week or 0.0, 2),
        "delivery.lead_time_median_hours": _rounded(figures.lead_time_median_hours, 2),
        "delivery.lead_time_p90_hours": _rounded(figures.lead_time_p90_hours, 2),
        "delivery.delivery_cycle_days": _rounded(figures.delivery_cycle_median_days, 2),
    }


def _build_facts(figures: PeriodFigures) -> dict:
    return {
        "ci.feedback_minutes": _rounded(figures.ci_feedback_median_minutes, 1),
        "delivery.build_duration_median_seconds": _rounded(figures.build_duration_median_seconds, 1),
        "delivery.build_duration_p90_seconds": _rounded(figures.build_duration_p90_seconds, 1),
        "delivery.pipeline_success_rate": _rounded(figures.pipeline_success_rate),
    }


def snapshot_facts(project: Project, period: Period) -> dict:
    """The facts of the project's figures for the period (see the module docstring for the names)."""
    project = _reports(project)
    figures = project_figures(project.pk, [period])[0]
    facts: dict = {
        "snapshot.period": period.kind,
        "snapshot.period_start": period.start.isoformat(),
        "snapshot.period_end": period.last_day.isoformat(),
        "deployments.period_days": (period.end - period.start).days,
    }
    if project.sends_deployments:
        facts |= _deployment_facts(figures)
        facts["deployments.weeks_without_deployment"] = _weeks_without_deployment(project, period)
    if project.sends_builds and figures.builds:
        facts |= _build_facts(figures)
    if project.sends_merges:
        facts["integration.merges_per_developer_per_day"] = _rounded(_merges_per_developer_per_day(project, period))
    coverage = latest_coverage([project.pk]).get(project.pk)
    if coverage:
        facts["delivery.test_coverage"] = coverage.line_rate
    return {name: value for name, value in facts.items() if value is not None}


def _summary(facts: dict, period: Period) -> str:
    parts = [f"Delivery metrics {period.start} – {period.last_day} ({period.kind})"]
    if "deployments.count" in facts:
        parts.append(
            f"{facts['deployments.count']} production deployments ({facts['deployments.per_week']} a week), "
            f"change fail rate {facts.get('deployments.change_fail_rate', 0):.0%}"
        )
    if "delivery.lead_time_median_hours" in facts:
        parts.append(f"median lead time {facts['delivery.lead_time_median_hours']} h")
    if "ci.feedback_minutes" in facts:
        parts.append(f"CI red to green {facts['ci.feedback_minutes']} min")
    return "; ".join(parts)


def snapshot_project(*, project: Project, kind: str = MONTH, today: datetime.date | None = None) -> list:
    """Records the latest complete period's snapshot in each open assessment of the project; returns the
    evidence recorded. Safe to run again: the same period's snapshot is replaced, not duplicated."""
    refresh_rollups(project_ids=[project.pk])
    period = latest_complete(today or timezone.localdate(), kind)
    assessments = list(Assessment.objects.filter(project=project, state__in=TEAM_EDITABLE_STATES))
    if not assessments:
        return []
    facts = snapshot_facts(project, period)
    recorded = [
        record_metric_snapshot(
            assessment=assessment,
            facts=facts,
            period_start=period.start,
            period_end=period.last_day,
            summary=_summary(facts, period),
        )
        for assessment in assessments
    ]
    return [evidence for evidence in recorded if evidence is not None]
