"""The level report of one assessment: every figure the page, the PDF, the API and the exports show.

Levels always come from selectors.levels (provisional_levels, confirmed_levels), never from the answers here, so
the review workflow's and publication's rules flow into every report. A fixed number of queries, whatever the
catalogue's size, the answers or the evidence.
"""

import functools
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count

from assessment.models import (
    Answer,
    Assessment,
    Criterion,
    Decision,
    DecisionValue,
    Evidence,
    EvidenceLink,
    MaturityModel,
    ModelLevel,
    ScoringStatus,
    SubDomain,
    SubItem,
)
from assessment.models.catalog import is_chinese_active
from assessment.reports import charts, delivery
from assessment.scoring.levels import LEVELS, Level, roll_up
from assessment.selectors.catalog import model_catalog
from assessment.selectors.levels import (
    AssessmentLevels,
    Scope,
    catalog_scope,
    claimed_answers,
    confirmed_levels,
    frozen_claims,
    provisional_levels,
    verdicts_of,
)

PROVISIONAL, CONFIRMED = "provisional", "confirmed"
READINGS = (PROVISIONAL, CONFIRMED)
METRIC_SNAPSHOT = "metric_snapshot"
UNANSWERED = "unanswered"
# Bump when the report's content or layout changes, so cached PDFs are rendered again.
REPORT_FORMAT = "1"


@dataclass(frozen=True)
class LevelName:
    level: int
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_zh if is_chinese_active() else self.name_en


@functools.lru_cache(maxsize=8)
def _level_names(model_id: int, content_sha256: str) -> dict[int, LevelName]:
    rows = ModelLevel.objects.filter(model_id=model_id).values_list("level", "name_zh", "name_en")
    return {level: LevelName(level, zh, en) for level, zh, en in rows}


def level_names(model: MaturityModel) -> dict[int, LevelName]:
    """The model version's level names (1 初始级 Initial … 5 卓越级 Outstanding): one query per process."""
    return _level_names(model.pk, model.content_sha256)


@dataclass
class Overall:
    reading: str
    level: Level
    name: LevelName | None  # None at level 0 (not even level 1 met)


@dataclass
class HeatCell:
    level: int
    state: str  # met, partly, not_met, na or unanswered: the answer the reading starts from
    accepted: bool  # an assessor accepted this criterion (current decision)
    above_target: bool


@dataclass
class HeatRow:
    subitem: SubItem
    level: Level
    cells: list[HeatCell]


@dataclass
class HeatGroup:
    subdomain: SubDomain
    level: Level
    rows: list[HeatRow]


@dataclass
class BacklogEntry:
    subdomain: SubDomain
    subitem: SubItem
    subitem_level: Level
    criterion: Criterion
    answer: str  # or "unanswered"
    evidence_count: int
    review: str  # the current decision's value, or "" when not reviewed
    verdict: str  # the automatic verdict's value, or ""


@dataclass
class Coverage:
    criteria: int  # criteria up to the target level
    answered: int
    with_evidence: int
    accepted: int
    rejected: int
    info_requested: int
    awaiting_review: int  # answered, without a current decision


@dataclass
class DeliveryPanel:
    evidence_name: str
    period_start: str
    period_end: str
    figures: list[delivery.Figure]

    @property
    def period_is_named(self) -> bool:
        """Whether the evidence's name already states the period (the metrics bridge names it so)."""
        return bool(self.period_start) and self.period_start in self.evidence_name


@dataclass
class Report:
    assessment: Assessment
    reading: str
    levels: AssessmentLevels  # the reading shown
    overall: Overall
    other: Overall  # the other reading's overall level, always stated beside
    level_names: dict[int, LevelName]
    radar: charts.Radar
    distribution: list[charts.Bar]
    heat: list[HeatGroup]
    backlog: list[BacklogEntry]
    coverage: Coverage
    delivery: DeliveryPanel | None
    answers: dict[int, str] = field(default_factory=dict)  # criterion id → team answer

    @property
    def is_provisional(self) -> bool:
        return self.reading == PROVISIONAL


def overall_level(levels: AssessmentLevels, names: dict[int, LevelName]) -> Overall:
    """The assessment's level across its parts, rolled up by the model's rule like every other group."""
    level = levels.parts[0].level if len(levels.parts) == 1 else roll_up(group.level for group in levels.parts)
    return Overall(levels.reading, level, names.get(level.achieved))


def both_readings(assessment: Assessment, scope: Scope, answers: dict[int, str], verdicts) -> dict:
    provisional = provisional_levels(assessment, scope=scope, answers=answers, verdicts=verdicts)
    return {PROVISIONAL: provisional, CONFIRMED: confirmed_levels(assessment, scope=scope)}


def assessment_report(assessment: Assessment, *, reading: str = PROVISIONAL) -> Report:
    """Everything the report shows, for one reading (the other's overall level included)."""
    reading = reading if reading in READINGS else PROVISIONAL
    scope = catalog_scope(assessment)
    answers = dict(Answer.objects.filter(assessment=assessment).values_list("criterion_id", "value"))
    verdicts = verdicts_of(assessment)
    readings = both_readings(assessment, scope, answers, verdicts)
    levels = readings[reading]
    names = level_names(assessment.model)
    frozen = frozen_claims(assessment)
    if frozen is None:
        evidence_counts = _evidence_counts(assessment)
        decisions = dict(
            Decision.objects.filter(assessment=assessment, is_current=True).values_list("criterion_id", "value")
        )
        claimed = claimed_answers(answers, verdicts)
    else:  # published: every cell as it was published, like the levels
        claimed = answers = frozen
        evidence_counts, decisions = _frozen_review(assessment)
    other = CONFIRMED if reading == PROVISIONAL else PROVISIONAL
    return Report(
        assessment=assessment,
        reading=reading,
        levels=levels,
        overall=overall_level(levels, names),
        other=overall_level(readings[other], names),
        level_names=names,
        radar=_radar(levels, assessment.target_level),
        distribution=charts.bars(_all_distribution(levels)),
        heat=_heat(scope, levels, claimed, decisions, assessment.target_level),
        backlog=_backlog(scope, levels, claimed, evidence_counts, decisions, verdicts),
        coverage=_coverage(scope, assessment.target_level, answers, evidence_counts, decisions),
        delivery=delivery_panel(assessment),
        answers=answers,
    )


def _frozen_review(assessment: Assessment) -> tuple[dict[int, int], dict[int, str]]:
    """Evidence counts and decisions per criterion id from a published assessment's snapshot."""
    by_code = model_catalog(assessment.model).criteria_by_code
    counts: dict[int, int] = {}
    for item in assessment.snapshot.get("evidence", []):
        for code in item.get("criteria", []):
            if code in by_code:
                counts[by_code[code].pk] = counts.get(by_code[code].pk, 0) + 1
    decisions = {
        by_code[row["criterion"]].pk: row["decision"]
        for row in assessment.snapshot.get("decisions", [])
        if row.get("criterion") in by_code
    }
    return counts, decisions


def _evidence_counts(assessment: Assessment) -> dict[int, int]:
    rows = (
        EvidenceLink.objects.filter(evidence__assessment=assessment, evidence__removed_at__isnull=True)
        .values("criterion_id")
        .annotate(count=Count("pk"))
        .values_list("criterion_id", "count")
    )
    return dict(rows)


def _radar(levels: AssessmentLevels, target: int) -> charts.Radar:
    values = [
        (group.node.name, group.level.achieved + (0.5 if group.level.next_partly else 0), group.level.notation)
        for group in levels.subdomains
    ]
    return charts.radar(values, target)


def _all_distribution(levels: AssessmentLevels) -> dict[int, int]:
    counts = Counter(row.level.achieved for row in levels.subitems.values())
    return {level: counts.get(level, 0) for level in (0, *LEVELS)}


def _heat(scope: Scope, levels: AssessmentLevels, claimed, decisions, target: int) -> list[HeatGroup]:
    criteria_by_subitem: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in scope.criteria:
        criteria_by_subitem[criterion.subitem_id].append(criterion)
    groups = []
    for group in levels.subdomains:
        rows = []
        for row in group.subitems:
            cells = [
                HeatCell(
                    level=criterion.level,
                    state=claimed.get(criterion.pk, UNANSWERED),
                    accepted=decisions.get(criterion.pk) == DecisionValue.ACCEPTED,
                    above_target=criterion.level > target,
                )
                for criterion in criteria_by_subitem[row.subitem.pk]
            ]
            rows.append(HeatRow(row.subitem, row.level, cells))
        groups.append(HeatGroup(group.node, group.level, rows))
    return groups


def _backlog(scope: Scope, levels: AssessmentLevels, claimed, evidence_counts, decisions, verdicts):
    """What blocks the next level: each sub-item below target, its blocking criteria, ordered by sub-domain and
    criterion level, so the lowest missing rungs come first within each sub-domain."""
    by_place = {(criterion.subitem_id, criterion.level): criterion for criterion in scope.criteria}
    subdomain_order = {node.pk: index for index, node in enumerate(scope.subdomains)}
    entries = []
    for row in levels.gaps:
        subdomain = row.subitem.item.subdomain
        for level in row.blocking:
            criterion = by_place.get((row.subitem.pk, level))
            if criterion is None:
                continue
            verdict = verdicts.get(criterion.pk)
            entries.append(
                BacklogEntry(
                    subdomain=subdomain,
                    subitem=row.subitem,
                    subitem_level=row.level,
                    criterion=criterion,
                    answer=claimed.get(criterion.pk, UNANSWERED),
                    evidence_count=evidence_counts.get(criterion.pk, 0),
                    review=decisions.get(criterion.pk, ""),
                    verdict=verdict.value if verdict else "",
                )
            )
    entries.sort(key=lambda entry: (subdomain_order[entry.subdomain.pk], entry.criterion.level, entry.subitem.position))
    return entries


def _coverage(scope: Scope, target: int, answers, evidence_counts, decisions) -> Coverage:
    required = [criterion.pk for criterion in scope.criteria if criterion.level <= target]
    answered = [pk for pk in required if pk in answers]
    values = Counter(decisions.get(pk) for pk in required)
    return Coverage(
        criteria=len(required),
        answered=len(answered),
        with_evidence=sum(1 for pk in required if evidence_counts.get(pk)),
        accepted=values[DecisionValue.ACCEPTED],
        rejected=values[DecisionValue.REJECTED],
        info_requested=values[DecisionValue.INFO_REQUESTED],
        awaiting_review=sum(1 for pk in answered if pk not in decisions),
    )


def latest_metric_snapshot(assessment: Assessment) -> Evidence | None:
    """The scored, non-removed delivery-metric evidence of the assessment (the metrics bridge's) with the latest
    period (its effective date is the period's last day), newest first."""
    return (
        Evidence.objects.filter(
            assessment=assessment, kind=METRIC_SNAPSHOT, status=ScoringStatus.SCORED, removed_at__isnull=True
        )
        .only("pk", "name", "facts", "uploaded_at", "effective_on")
        .order_by("-effective_on", "-uploaded_at", "-pk")
        .first()
    )


def delivery_panel(assessment: Assessment) -> DeliveryPanel | None:
    snapshot = latest_metric_snapshot(assessment)
    if snapshot is None:
        return None
    figures = delivery.figures(snapshot.facts)
    if not figures:
        return None
    start, end = delivery.period(snapshot.facts)
    return DeliveryPanel(snapshot.name, start, end, figures)


# One round trip of plain aggregates, one scan per table (an ORM query this size costs more to compile than to run).
# Every answer save sets a new updated_at; evidence is added, read (status_changed_at) or removed; links are
# added or removed (their count); every decision write raises its version.
FINGERPRINT_SQL = """
SELECT a.updated_at, a.state, a.target_level, a.published_at, an.*, ev.*, li.*, ve.*, de.*
FROM assessment_assessment a,
  (SELECT MAX(updated_at) AS answered_at, COUNT(*) AS answers FROM assessment_answer WHERE assessment_id = %s) an,
  (SELECT MAX(status_changed_at) AS read_at, MAX(uploaded_at) AS uploaded_at, MAX(removed_at) AS removed_at
     FROM assessment_evidence WHERE assessment_id = %s) ev,
  (SELECT MAX(link.created_at) AS linked_at, COUNT(*) AS links
     FROM assessment_evidencelink link JOIN assessment_evidence evidence ON evidence.id = link.evidence_id
     WHERE evidence.assessment_id = %s AND evidence.removed_at IS NULL) li,
  (SELECT MAX(computed_at) AS verdicts_at FROM assessment_verdict WHERE assessment_id = %s) ve,
  (SELECT MAX(decided_at) AS decided_at, SUM(version) AS versions FROM assessment_decision WHERE assessment_id = %s) de
WHERE a.id = %s
"""
FINGERPRINT_PARAMS = FINGERPRINT_SQL.count("%s")


def fingerprint(assessment: Assessment, *parts: str) -> str:
    """Changes whenever anything a report shows changes: the assessment, answers, evidence and its links,
    verdicts, decisions (every decision write raises its version). Extra parts (kind, reading, language) are
    mixed in. One query."""
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL, [assessment.pk] * FINGERPRINT_PARAMS)
        row = cursor.fetchone()
    text = "|".join(str(value) for value in (REPORT_FORMAT, assessment.model.content_sha256, *(row or ()), *parts))
    return hashlib.sha256(text.encode()).hexdigest()
