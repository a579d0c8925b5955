"""The managers' portfolio: every project of an organisation with its current assessment's levels.

Reads the level summary stored on each assessment (services/levels.py computes it through selectors.levels after
every change), so the page costs a fixed number of small queries however many projects the organisation has.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime

from assessment.models import Assessment, AssessmentState, MaturityModel, Organisation, Project
from assessment.scoring.levels import LEVELS, Level, roll_up
from assessment.selectors.catalog import current_model, model_catalog
from assessment.selectors.reports import CONFIRMED, PROVISIONAL, LevelName, level_names

SORTS = ("name", "level", "-level", "target", "activity", "state")
NO_LEVEL = -1  # sorts projects without any assessment last


@dataclass
class StoredReading:
    overall: Level | None  # None when no levels are stored yet
    subdomain_data: dict  # code → [achieved, next level partly met], turned into levels only when shown

    def subdomain(self, code: str) -> Level | None:
        data = self.subdomain_data.get(code)
        return Level(data[0], next_partly=data[1]) if data else None


@dataclass
class CurrentAssessment:
    """The newest assessment of a project, as plain values (the portfolio reads fifty of them)."""

    pk: int
    state: str
    target_level: int
    level_summary: dict
    last_activity: datetime.datetime

    @property
    def state_label(self) -> str:
        return AssessmentState(self.state).label


@dataclass
class PortfolioRow:
    project: Project
    assessment: CurrentAssessment | None
    provisional: StoredReading
    confirmed: StoredReading
    columns: list[str] = field(default_factory=list)  # the portfolio's sub-domain codes

    @property
    def cells(self) -> list[Level | None]:
        """The provisional level per portfolio sub-domain (the heat map's row)."""
        return [self.provisional.subdomain(code) for code in self.columns]

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


def stored_reading(summary: dict, reading: str) -> StoredReading:
    """One reading as summarised with the stored levels: overall (rolled up over parts) and per sub-domain."""
    data = summary.get(reading) or {}
    parts = [Level(achieved, next_partly=partly) for achieved, partly in (data.get("parts") or {}).values()]
    if not parts:
        return StoredReading(None, {})
    overall = parts[0] if len(parts) == 1 else roll_up(parts)
    return StoredReading(overall, data.get("subdomains") or {})


def _latest_assessments(organisation: Organisation) -> tuple[dict[int, CurrentAssessment], MaturityModel | None]:
    """Each project's newest assessment with its level summary (its last activity is the later of its own change
    and the last level computation, which follows every answer, scoring and review change), and the model
    version of the newest of them, whose catalogue names the heat map's columns."""
    rows = (
        Assessment.objects.filter(organisation=organisation)
        .order_by("project_id", "-created_at", "-pk")
        .values_list(
            "pk",
            "project_id",
            "state",
            "target_level",
            "updated_at",
            "level_summary",
            "created_at",
            "model_id",
            "model__content_sha256",
            "model__loaded_at",
        )
    )
    latest: dict[int, CurrentAssessment] = {}
    newest = None
    for pk, project_id, state, target_level, updated_at, summary, created_at, *model in rows:
        if project_id not in latest:
            computed = parse_datetime(summary.get("computed_at") or "")
            last_activity = max(updated_at, computed) if computed else updated_at
            latest[project_id] = CurrentAssessment(pk, state, target_level, summary, last_activity)
            if newest is None or created_at > newest[0]:
                newest = (created_at, model)
    if newest is None:
        return latest, None
    model_id, content_sha256, loaded_at = newest[1]
    return latest, MaturityModel(pk=model_id, content_sha256=content_sha256, loaded_at=loaded_at)


def portfolio(organisation: Organisation, filters: Filters) -> Portfolio:
    """Every project of the organisation, filtered and sorted; the distribution counts all of them."""
    latest, model = _latest_assessments(organisation)
    summaries = [assessment.level_summary.get(PROVISIONAL) or {} for assessment in latest.values()]
    used = {code for summary in summaries for code in (summary.get("subdomains") or {})}
    subdomains = [node for node in model_catalog(model).subdomains if node.code in used] if model else []
    columns = [node.code for node in subdomains]
    rows = []
    projects = Project.objects.filter(organisation=organisation).only("pk", "name", "target_level", "created_at")
    for project in projects.order_by("name"):
        assessment = latest.get(project.pk)
        summary = assessment.level_summary if assessment else {}
        reading = stored_reading(summary, PROVISIONAL)
        rows.append(PortfolioRow(project, assessment, reading, stored_reading(summary, CONFIRMED), columns))
    counts = Counter(row.provisional.overall.achieved for row in rows if row.provisional.overall is not None)
    return Portfolio(
        organisation=organisation,
        subdomains=subdomains,
        rows=_sorted(_filtered(rows, filters), filters.sort),
        distribution=[(level, counts.get(level, 0)) for level in (0, *LEVELS)],
        unassessed=sum(1 for row in rows if row.provisional.overall is None),
        level_names=_level_names_of(model),
        filters=filters,
        total=len(rows),
    )


def _level_names_of(model: MaturityModel | None) -> dict[int, LevelName]:
    """The level names of the assessments' model; of the current one before anything is assessed, so the
    distribution's columns are named either way."""
    model = model or current_model()
    return level_names(model) if model else {}


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


def data_version(data: Portfolio) -> tuple:
    """Everything the portfolio's tables show, as a cache key's data part (reports.fragments); a level summary
    is identified by when it was computed."""
    rows = tuple(
        (
            row.project.pk,
            row.project.name,
            row.target_level,
            row.assessment.pk if row.assessment else None,
            row.assessment.state if row.assessment else None,
            row.assessment.level_summary.get("computed_at") if row.assessment else None,
            row.last_activity.isoformat(),
        )
        for row in data.rows
    )
    model = tuple((node.pk, node.code) for node in data.subdomains)
    return (data.organisation.pk, rows, model, tuple(data.distribution), data.unassessed)
