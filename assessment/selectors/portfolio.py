"""The managers' portfolio: every project of an organisation with its current assessment's levels.

Reads the levels stored on each assessment (services/levels.py computes them through selectors.levels after
every change), so the page costs a fixed number of queries however many projects the organisation has.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from assessment.levels import LEVELS, Level, roll_up
from assessment.models import Answer, Assessment, AssessmentState, Evidence, Organisation, Project
from assessment.selectors.catalog import current_model, model_catalog
from assessment.selectors.reports import CONFIRMED, PROVISIONAL, LevelName, level_names

SORTS = ("name", "level", "-level", "target", "activity", "state")
NO_LEVEL = -1  # sorts projects without any assessment last


@dataclass
class StoredReading:
    overall: Level | None  # None when no levels are stored yet
    subdomains: dict[str, Level]


@dataclass
class PortfolioRow:
    project: Project
    assessment: Assessment | None
    provisional: StoredReading
    confirmed: StoredReading
    cells: list[Level | None] = field(default_factory=list)  # provisional level per portfolio sub-domain

    @property
    def last_activity(self):
        return self.assessment.last_activity if self.assessment else self.project.created_at

    @property
    def is_below_target(self) -> bool:
        overall = self.provisional.overall
        return overall is not None and overall.achieved < self.target_level

    @property
    def target_level(self) -> int:
        """The current assessment's target (what its levels were measured against), else the project's."""
        return self.assessment.target_level if self.assessment else self.project.target_level


@dataclass
class Filters:
    query: str = ""
    state: str = ""
    below_target: bool = False
    sort: str = "name"


@dataclass
class Portfolio:
    organisation: Organisation
    subdomains: list  # SubDomain nodes of the current model, the heat map's columns
    rows: list[PortfolioRow]
    distribution: list[tuple[int, int]]  # (level, projects), of the provisional overall level
    unassessed: int
    level_names: dict[int, LevelName]
    filters: Filters
    total: int


def _level(data: dict | None) -> Level | None:
    if not data:
        return None
    return Level(data["achieved"], next_partly=str(data.get("level", "")).endswith("-"))


def stored_reading(assessment: Assessment | None, reading: str) -> StoredReading:
    """One reading of the levels as stored on the assessment: overall (rolled up over parts) and per sub-domain."""
    stored = (assessment.stored_levels or {}).get(reading) if assessment else None
    if not stored:
        return StoredReading(None, {})
    parts = [_level(data) for data in stored.get("parts", {}).values()]
    overall = parts[0] if len(parts) == 1 else (roll_up(parts) if parts else None)
    return StoredReading(overall, {code: _level(data) for code, data in stored.get("subdomains", {}).items()})


def _latest_assessments(organisation: Organisation) -> dict[int, Assessment]:
    outer = OuterRef("pk")
    latest_answer = Answer.objects.filter(assessment_id=outer).order_by("-updated_at").values("updated_at")[:1]
    latest_evidence = Evidence.objects.filter(assessment_id=outer).order_by("-uploaded_at").values("uploaded_at")[:1]
    assessments = (
        Assessment.objects.filter(organisation=organisation)
        .only("pk", "project_id", "state", "target_level", "created_at", "updated_at", "stored_levels", "model_id")
        .annotate(
            last_activity=Greatest(
                "updated_at",
                Coalesce(Subquery(latest_answer), "updated_at"),
                Coalesce(Subquery(latest_evidence), "updated_at"),
                output_field=DateTimeField(),
            )
        )
        .order_by("project_id", "-created_at", "-pk")
    )
    latest: dict[int, Assessment] = {}
    for assessment in assessments:
        latest.setdefault(assessment.project_id, assessment)
    return latest


def portfolio(organisation: Organisation, filters: Filters) -> Portfolio:
    """Every project of the organisation, filtered and sorted; the distribution counts all of them."""
    model = current_model()
    subdomains = [node for node in model_catalog(model).subdomains if node.part.is_assessable] if model else []
    latest = _latest_assessments(organisation)
    rows = []
    for project in Project.objects.filter(organisation=organisation).order_by("name"):
        assessment = latest.get(project.pk)
        provisional = stored_reading(assessment, PROVISIONAL)
        row = PortfolioRow(project, assessment, provisional, stored_reading(assessment, CONFIRMED))
        row.cells = [provisional.subdomains.get(node.code) for node in subdomains]
        rows.append(row)
    used = [index for index in range(len(subdomains)) if any(row.cells[index] for row in rows)]
    for row in rows:
        row.cells = [row.cells[index] for index in used]
    counts = Counter(row.provisional.overall.achieved for row in rows if row.provisional.overall is not None)
    return Portfolio(
        organisation=organisation,
        subdomains=[subdomains[index] for index in used],
        rows=_sorted(_filtered(rows, filters), filters.sort),
        distribution=[(level, counts.get(level, 0)) for level in (0, *LEVELS)],
        unassessed=sum(1 for row in rows if row.provisional.overall is None),
        level_names=level_names(model) if model else {},
        filters=filters,
        total=len(rows),
    )


def _filtered(rows: list[PortfolioRow], filters: Filters) -> list[PortfolioRow]:
    query = filters.query.casefold()
    return [
        row
        for row in rows
        if (not query or query in row.project.name.casefold())
        and (not filters.state or (row.assessment and row.assessment.state == filters.state))
        and (not filters.below_target or row.is_below_target)
    ]


def _overall_key(row: PortfolioRow) -> tuple:
    overall = row.provisional.overall
    return (overall.achieved, overall.next_partly) if overall else (NO_LEVEL, False)


def _sorted(rows: list[PortfolioRow], sort: str) -> list[PortfolioRow]:
    by_name = sorted(rows, key=lambda row: row.project.name.casefold())
    if sort == "level":
        return sorted(by_name, key=_overall_key)
    if sort == "-level":
        return sorted(by_name, key=_overall_key, reverse=True)
    if sort == "target":
        return sorted(by_name, key=lambda row: row.target_level, reverse=True)
    if sort == "activity":
        return sorted(by_name, key=lambda row: row.last_activity, reverse=True)
    if sort == "state":
        order = list(AssessmentState.values)
        return sorted(by_name, key=lambda row: order.index(row.assessment.state) if row.assessment else len(order))
    return by_name
