"""A project's published assessments over time: levels per sub-domain, the change between any two, and the
delivery figures' change between their periods. Levels come from selectors.levels (which reads a published
assessment's frozen snapshot), a few queries per published assessment."""

from dataclasses import dataclass

from assessment.models import Answer, Assessment, AssessmentState, Evidence, Project, ScoringStatus
from assessment.reports import delivery
from assessment.scoring.levels import Level
from assessment.selectors.levels import catalog_scope, verdicts_of
from assessment.selectors.reports import (
    CONFIRMED,
    METRIC_SNAPSHOT,
    READINGS,
    Overall,
    both_readings,
    level_names,
    overall_level,
)


@dataclass
class TrendPoint:
    assessment: Assessment
    overall: Overall
    subdomains: dict[str, Level]  # by code
    facts: dict  # delivery facts of its latest metric snapshot, or {}


@dataclass
class SubdomainChange:
    code: str
    name: str
    before: Level | None
    after: Level | None

    @property
    def change(self) -> int:
        if self.before is None or self.after is None:
            return 0
        return self.after.achieved - self.before.achieved


@dataclass
class Trends:
    project: Project
    reading: str
    points: list[TrendPoint]
    subdomains: list[tuple[str, str]]  # (code, name) in catalogue order, the table's columns
    before: TrendPoint | None
    after: TrendPoint | None
    changes: list[SubdomainChange]
    deltas: list[delivery.Delta]


def _snapshot_facts(assessment_ids: list[int]) -> dict[int, dict]:
    rows = (
        Evidence.objects.filter(
            assessment_id__in=assessment_ids,
            kind=METRIC_SNAPSHOT,
            status=ScoringStatus.SCORED,
            removed_at__isnull=True,
        )
        .order_by("assessment_id", "-effective_on", "-uploaded_at", "-pk")
        .values_list("assessment_id", "facts")
    )
    latest: dict[int, dict] = {}
    for assessment_id, facts in rows:
        latest.setdefault(assessment_id, facts or {})
    return latest


def _point(assessment: Assessment, reading: str, facts: dict) -> tuple[TrendPoint, list[tuple[str, str]]]:
    scope = catalog_scope(assessment)
    answers = dict(Answer.objects.filter(assessment=assessment).values_list("criterion_id", "value"))
    levels = both_readings(assessment, scope, answers, verdicts_of(assessment))[reading]
    overall = overall_level(levels, level_names(assessment.model))
    subdomains = {group.node.code: group.level for group in levels.subdomains}
    columns = [(group.node.code, group.node.name) for group in levels.subdomains]
    return TrendPoint(assessment, overall, subdomains, facts), columns


def project_trends(project: Project, *, reading: str = CONFIRMED, before_id=None, after_id=None) -> Trends:
    """Published assessments oldest first; by default the last two are compared."""
    reading = reading if reading in READINGS else CONFIRMED
    published = list(
        Assessment.objects.filter(project=project, state=AssessmentState.PUBLISHED)
        .select_related("model")
        .order_by("published_at", "pk")
    )
    facts = _snapshot_facts([assessment.pk for assessment in published])
    points, columns = [], []
    for assessment in published:
        point, point_columns = _point(assessment, reading, facts.get(assessment.pk, {}))
        points.append(point)
        columns.extend(column for column in point_columns if column not in columns)
    by_id = {point.assessment.pk: point for point in points}
    before = by_id.get(_as_int(before_id)) or (points[-2] if len(points) >= 2 else None)
    after = by_id.get(_as_int(after_id)) or (points[-1] if len(points) >= 2 else None)
    changes, deltas = [], []
    if before and after:
        changes = [
            SubdomainChange(code, name, before.subdomains.get(code), after.subdomains.get(code))
            for code, name in columns
        ]
        deltas = delivery.deltas(before.facts, after.facts)
    return Trends(project, reading, points, columns, before, after, changes, deltas)


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
