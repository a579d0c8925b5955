"""Reads for the metrics pages and API: a project's figures over a range of periods, the latest test coverage
from scored evidence, and an organisation's projects side by side. A constant number of queries each."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from assessment.models import Assessment, Evidence, Organisation, Project, ScoringStatus
from metrics.bands import BandTable, band_table
from metrics.selectors.figures import PeriodFigures, figures_for_projects
from metrics.selectors.periods import Period, latest_complete, periods_between, recent_periods

COVERAGE_FACT = "coverage.line_rate"


@dataclass(frozen=True)
class Coverage:
    line_rate: float
    evidence_id: int
    assessment_id: int
    effective_on: datetime.date


@dataclass(frozen=True)
class ProjectDashboard:
    project: Project
    kind: str
    series: list[PeriodFigures]
    coverage: Coverage | None
    bands: BandTable

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


def project_dashboard(project: Project, periods: list[Period]) -> ProjectDashboard:
    """The figures of the project over the periods (consecutive, of one kind, at least one)."""
    series = figures_for_projects([project.pk], periods)[project.pk]
    coverage = latest_coverage([project.pk]).get(project.pk)
    return ProjectDashboard(project, periods[0].kind, series, coverage, band_table())


def organisation_overview(organisation: Organisation, kind: str) -> tuple[Period, list[ProjectRow]]:
    """Every project's figures for the latest complete period of the kind."""
    period = latest_complete(timezone.localdate(), kind)
    projects = list(Project.objects.filter(organisation=organisation).order_by("name"))
    ids = [project.pk for project in projects]
    figures, coverage = figures_for_projects(ids, [period]), latest_coverage(ids)
    return period, [ProjectRow(project, figures[project.pk][0], coverage.get(project.pk)) for project in projects]
