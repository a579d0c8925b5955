"""Reads for the metrics pages and API: a project's figures over a range of periods, the latest test coverage
from scored evidence, an organisation's projects side by side, and, where the periods shown hold no event, how
many events the figures would count and when the latest was. A constant number of queries each."""

import datetime
from dataclasses import dataclass, replace

from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone

from assessment.models import Assessment, Evidence, Organisation, Project, ScoringStatus
from metrics.bands import BandTable, band_table
from metrics.models import Build, BuildResult, Change, Deployment, Incident
from metrics.selectors.figures import PeriodFigures, figures_for_projects
from metrics.selectors.periods import Period, latest_complete, periods_between, recent_periods, site_zone

COVERAGE_FACT = "coverage.line_rate"


@dataclass(frozen=True)
class Coverage:
    line_rate: float
    evidence_id: int
    assessment_id: int
    effective_on: datetime.date


@dataclass(frozen=True)
class EventSummary:
    """The events of a project that the figures count, over all time."""

    count: int
    latest_at: datetime.datetime

    @property
    def latest_day(self) -> datetime.date:
        return self.latest_at.astimezone(site_zone()).date()


@dataclass(frozen=True)
class ProjectDashboard:
    project: Project
    kind: str
    series: list[PeriodFigures]
    coverage: Coverage | None
    bands: BandTable
    elsewhere: EventSummary | None = None  # set when the periods shown hold no event but others do

    @property
    def current(self) -> PeriodFigures | None:
        return self.series[-1] if self.series else None

    @property
    def has_events(self) -> bool:
        return any(figures.has_events for figures in self.series)


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    figures: PeriodFigures
    coverage: Coverage | None
    elsewhere: EventSummary | None = None


def choose_periods(kind: str, first_day: datetime.date | None, last_day: datetime.date | None) -> list[Period]:
    """The periods to show: from first_day to last_day, or the recent ones up to today by default."""
    today = timezone.localdate()
    if first_day is None and last_day is None:
        return recent_periods(today, kind)
    last_day = last_day or today
    return periods_between(first_day or last_day, last_day, kind)


def latest_coverage(project_ids: list[int]) -> dict[int, Coverage]:
    """Per project, the newest scored evidence reporting coverage.line_rate in its latest assessment (one query)."""
    latest = Assessment.objects.filter(project_id=OuterRef("assessment__project_id")).order_by("-created_at", "-pk")
    evidence = (
        Evidence.objects.filter(
            assessment__project_id__in=project_ids,
            assessment_id=Subquery(latest.values("pk")[:1]),
            status=ScoringStatus.SCORED,
            removed_at__isnull=True,
            facts__has_key=COVERAGE_FACT,
        )
        .order_by("-effective_on", "-uploaded_at", "-pk")
        .values_list("pk", "assessment_id", "assessment__project_id", "effective_on", "facts")
    )
    found: dict[int, Coverage] = {}
    for pk, assessment_id, project_id, effective_on, facts in evidence:
        value = facts.get(COVERAGE_FACT)
        if project_id not in found and isinstance(value, int | float) and not isinstance(value, bool):
            found[project_id] = Coverage(float(value), pk, assessment_id, effective_on)
    return found


# Each kind of event with the time the figures file it under (metrics/selectors/figures.py) and the rows they read.
_ANCHORED = (
    (Deployment.objects.filter(is_production=True), "finished_at"),
    (Change.objects.filter(deployed_at__isnull=False), "deployed_at"),
    (Build.objects.exclude(result=BuildResult.CANCELLED), "finished_at"),
    (Incident.objects.all(), "opened_at"),
)


def event_summaries(project_ids: list[int]) -> dict[int, EventSummary]:
    """Per project with any, how many events the figures count and the latest one's time (one query)."""
    first, *others = [
        queryset.filter(project_id__in=project_ids)
        .values("project_id")
        .order_by()
        .annotate(count=Count("pk"), latest=Max(anchor))
        for queryset, anchor in _ANCHORED
    ]
    counts: dict[int, int] = {}
    latest: dict[int, datetime.datetime] = {}
    for row in first.union(*others, all=True):
        project_id = row["project_id"]
        counts[project_id] = counts.get(project_id, 0) + row["count"]
        latest[project_id] = max(latest.get(project_id, row["latest"]), row["latest"])
    return {project_id: EventSummary(counts[project_id], latest[project_id]) for project_id in counts}


def project_dashboard(project: Project, periods: list[Period], *, look_elsewhere: bool = False) -> ProjectDashboard:
    """The figures of the project over the periods (consecutive, of one kind, at least one); with look_elsewhere,
    when they hold no event, the summary of the project's events in other periods."""
    series = figures_for_projects([project.pk], periods)[project.pk]
    coverage = latest_coverage([project.pk]).get(project.pk)
    dashboard = ProjectDashboard(project, periods[0].kind, series, coverage, band_table())
    if dashboard.has_events or not look_elsewhere:
        return dashboard
    return replace(dashboard, elsewhere=event_summaries([project.pk]).get(project.pk))


def organisation_overview(organisation: Organisation, kind: str) -> tuple[Period, list[ProjectRow]]:
    """Every project's figures for the latest complete period of the kind."""
    period = latest_complete(timezone.localdate(), kind)
    projects = list(Project.objects.filter(organisation=organisation).order_by("name"))
    ids = [project.pk for project in projects]
    figures, coverage = figures_for_projects(ids, [period]), latest_coverage(ids)
    quiet = [project_id for project_id in ids if not figures[project_id][0].has_events]
    elsewhere = event_summaries(quiet) if quiet else {}
    return period, [
        ProjectRow(project, figures[project.pk][0], coverage.get(project.pk), elsewhere.get(project.pk))
        for project in projects
    ]
