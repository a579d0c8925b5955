"""Reads for the questionnaire: a fixed number of queries per page, whatever the catalogue or evidence size."""

import datetime
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import CharField, Value
from django.urls import reverse

from assessment.models import (
    Answer,
    Assessment,
    AssessmentState,
    Criterion,
    Decision,
    DecisionValue,
    Evidence,
    Item,
    ScoringStatus,
    SubDomain,
    SubItem,
    Verdict,
    VerdictValue,
)
from assessment.models.evidence import expiry_status
from assessment.scoring.levels import Level, blocking_levels, roll_up, subitem_level
from assessment.selectors.catalog import model_catalog
from assessment.selectors.claims import Claims, claims_of
from assessment.selectors.levels import (
    AssessmentLevels,
    GroupLevel,
    Scope,
    VerdictInfo,
    catalog_scope,
    part_ids_in_scope,
    provisional_levels,
    verdicts_of,
)


@dataclass
class CriterionRow:
    criterion: Criterion
    answer: Answer | None
    evidence: list["EvidenceEntry"] = field(default_factory=list)

    @property
    def is_required(self) -> bool:
        return self.criterion.level <= self.target

    target: int = 0
    error: str = ""
    verdict: VerdictInfo | None = None  # the automatic advice on this criterion, if it has checks
    request: Decision | None = None  # the assessor's request for information on it, if any


@dataclass
class SubItemBlock:
    subitem: SubItem
    rows: list[CriterionRow]
    level: Level
    blocking: list[int]


class AnswerView(NamedTuple):
    """An answer as the questionnaire reads and shows it (a row of values, not a model instance)."""

    value: str
    comment: str
    justification: str
    updated_at: datetime.datetime


@dataclass
class Progress:
    answered: int
    required: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.required) if self.required else 100

    @property
    def is_complete(self) -> bool:
        return self.answered >= self.required


@dataclass
class SubDomainTab:
    subdomain: SubDomain
    progress: Progress
    level: GroupLevel


@dataclass
class Questionnaire:
    assessment: Assessment
    levels: AssessmentLevels
    tabs: list[SubDomainTab]
    progress: Progress
    current: SubDomain | None = None
    sections: list[tuple[SubDomain, list[tuple[Item, list[SubItemBlock]]]]] = field(default_factory=list)
    verdicts: dict[int, VerdictInfo] = field(default_factory=dict)
    requests: dict[int, Decision] = field(default_factory=dict)  # requests for information by criterion id

    def _neighbour(self, step: int) -> SubDomain | None:
        codes = [tab.subdomain.pk for tab in self.tabs]
        if self.current is None or self.current.pk not in codes:
            return None
        index = codes.index(self.current.pk) + step
        return self.tabs[index].subdomain if 0 <= index < len(self.tabs) else None

    @property
    def blocks(self) -> list[SubItemBlock]:
        return [block for _section, items in self.sections for _item, blocks in items for block in blocks]

    def replace_row(self, row: CriterionRow) -> None:
        """Shows this row (e.g. a refused answer with what the person typed) in place of its criterion's."""
        for block in self.blocks:
            block.rows = [row if shown.criterion.pk == row.criterion.pk else shown for shown in block.rows]

    @property
    def first_incomplete(self) -> "SubDomainTab | None":
        """Where the team goes on answering: the first sub-domain with a required criterion unanswered."""
        return next((tab for tab in self.tabs if not tab.progress.is_complete), None)

    @property
    def previous_subdomain(self) -> SubDomain | None:
        return self._neighbour(-1)

    @property
    def next_subdomain(self) -> SubDomain | None:
        return self._neighbour(1)


def _answers_and_verdicts(assessment: Assessment) -> tuple[dict[int, AnswerView], dict[int, VerdictInfo]]:
    """The team's answers and the automatic verdicts by criterion id, as values, in one query: two kinds of row
    of one shape (criterion, value, two texts, a time), told apart by the last column."""
    answers = (
        Answer.objects.filter(assessment=assessment)
        .annotate(kind=Value(_ANSWER, output_field=CharField()))
        .values_list("criterion_id", "value", "comment", "justification", "updated_at", "kind")
    )
    verdicts = (
        Verdict.objects.filter(assessment=assessment)
        .annotate(kind=Value(_VERDICT, output_field=CharField()))
        .values_list("criterion_id", "value", "explanation_zh", "explanation_en", "computed_at", "kind")
    )
    by_answer: dict[int, AnswerView] = {}
    by_verdict: dict[int, VerdictInfo] = {}
    for criterion_id, *values, kind in answers.union(verdicts, all=True):
        if kind == _ANSWER:
            by_answer[criterion_id] = AnswerView(*values)
        else:
            by_verdict[criterion_id] = VerdictInfo(*values)
    return by_answer, by_verdict


_ANSWER, _VERDICT = "answer", "verdict"


def _progress(assessment: Assessment, scope: Scope, answered: Container[int]) -> dict[int, Progress]:
    """Answered and required criteria (levels up to the target) per sub-domain, from rows already read."""
    target = assessment.target_level
    progress: dict[int, Progress] = {}
    for place in scope.places:
        if place.level <= target:
            counts = progress.get(place.subdomain_id)
            if counts is None:
                counts = progress[place.subdomain_id] = Progress(0, 0)
            counts.required += 1
            counts.answered += place.criterion_id in answered
    return progress


def overview(assessment: Assessment) -> Questionnaire:
    """Sub-domain tabs with progress and levels, without the questions (the assessment's summary page)."""
    return _overview(assessment, catalog_scope(assessment), *_answers_and_verdicts(assessment))


def _overview(
    assessment: Assessment, scope: Scope, answers: dict[int, AnswerView], verdicts: dict[int, VerdictInfo]
) -> Questionnaire:
    values = {criterion_id: stamp.value for criterion_id, stamp in answers.items()}
    levels = provisional_levels(assessment, scope=scope, answers=values, verdicts=verdicts)
    progress = _progress(assessment, scope, answers)
    tabs = [SubDomainTab(group.node, progress.get(group.node.pk, Progress(0, 0)), group) for group in levels.subdomains]
    total = Progress(sum(tab.progress.answered for tab in tabs), sum(tab.progress.required for tab in tabs))
    return Questionnaire(assessment=assessment, levels=levels, tabs=tabs, progress=total, verdicts=verdicts)


def questionnaire(assessment: Assessment, subdomain: SubDomain | None) -> Questionnaire:
    """A sub-domain's questions (or every sub-domain's, when None) with levels, the gap and every tab's progress.

    The catalogue comes from memory (one reading per model version); answers, verdicts, the shown criteria's
    evidence and the assessor's requests are one query each, however many questions there are."""
    scope = catalog_scope(assessment)
    answers, verdicts = _answers_and_verdicts(assessment)
    page = _overview(assessment, scope, answers, verdicts)
    page.current = subdomain
    page.requests = information_requests(assessment)
    shown = [subdomain] if subdomain else [tab.subdomain for tab in page.tabs]
    shown_criteria = (
        None if subdomain is None else [c.pk for c in scope.criteria if c.subitem.item.subdomain_id == subdomain.pk]
    )
    evidence = evidence_by_criterion(assessment, criterion_ids=shown_criteria)
    shown_ids = {sub.pk for sub in shown}
    criteria_of: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in scope.criteria:
        criteria_of[criterion.subitem_id].append(criterion)
    blocks_of: dict[int, list[SubItemBlock]] = defaultdict(list)
    for subitem in (node for node in scope.subitems if node.item.subdomain_id in shown_ids):
        level = page.levels.subitems[subitem.pk]
        rows = [
            CriterionRow(
                criterion,
                answers.get(criterion.pk),
                evidence.get(criterion.pk, []),
                target=assessment.target_level,
                verdict=page.verdicts.get(criterion.pk),
                request=page.requests.get(criterion.pk),
            )
            for criterion in criteria_of[subitem.pk]
        ]
        blocks_of[subitem.item_id].append(SubItemBlock(subitem, rows, level.level, level.blocking))
    sections = {sub.pk: (sub, []) for sub in shown}
    for item in scope.items:
        if item.subdomain_id in sections:
            sections[item.subdomain_id][1].append((item, blocks_of[item.pk]))
    page.sections = list(sections.values())
    return page


def information_requests(assessment: Assessment) -> dict[int, Decision]:
    """The assessor's requests for information by criterion id, for the team to see at their criteria (none
    before the first review: no query for a draft)."""
    if assessment.state == AssessmentState.DRAFT:
        return {}
    rows = Decision.objects.filter(assessment=assessment, value=DecisionValue.INFO_REQUESTED)
    return {decision.criterion_id: decision for decision in rows.select_related("decided_by")}


def evidence_choices(assessment: Assessment) -> list[Evidence]:
    """The assessment's evidence, for attaching one piece to more criteria."""
    return list(
        Evidence.objects.filter(assessment=assessment, removed_at__isnull=True).order_by("name").only("pk", "name")
    )


class EvidenceEntry(NamedTuple):
    """A piece of evidence as the questionnaire and the review page list it (values, not a model instance)."""

    pk: int
    source: str
    name: str
    size: int
    url: str
    note: str
    sha256: str
    uploaded_by_id: int
    uploader: str
    uploaded_at: datetime.datetime
    expires_on: datetime.date | None
    status: str
    kind: str
    summary: str
    reason: str
    facts: dict

    @property
    def expiry_status(self) -> str:
        return expiry_status(self.expires_on)

    def get_status_display(self) -> str:
        return ScoringStatus(self.status).label


_ENTRY_FIELDS = [name for name in EvidenceEntry._fields if name != "uploader"]


def evidence_by_criterion(
    assessment: Assessment, *, criterion_ids: list[int] | None = None
) -> dict[int, list[EvidenceEntry]]:
    """The assessment's evidence (not removed) by criterion id, of the given criteria or of all. One query."""
    evidence = Evidence.objects.filter(assessment=assessment, removed_at__isnull=True)
    if criterion_ids is None:
        evidence = evidence.filter(links__isnull=False)
    else:
        evidence = evidence.filter(links__criterion_id__in=criterion_ids)
    rows = evidence.order_by("uploaded_at", "pk").values_list(
        "links__criterion_id", "uploaded_by__username", *_ENTRY_FIELDS
    )
    grouped: dict[int, list[EvidenceEntry]] = defaultdict(list)
    for criterion_id, uploader, *values in rows:
        grouped[criterion_id].append(EvidenceEntry(*values[:8], uploader, *values[8:]))
    return grouped


@dataclass
class AnswerFeedback:
    """What changes on the page after one answer is saved: the row, its sub-item's level, the progress bars."""

    row: CriterionRow
    subitem: SubItem
    level: Level
    blocking: list[int]
    subdomain_progress: Progress
    subdomain_level: Level
    progress: Progress


def answer_feedback(
    assessment: Assessment, criterion: Criterion, claims: Claims | None = None, *, full_row: bool = True
) -> AnswerFeedback:
    """After a save, from the claims it read and wrote (read here otherwise, one query): the row, the levels and
    every progress bar over the catalogue in scope. With full_row, the row also gets its evidence, verdict and
    request for information (for re-rendering it whole); without, only what the answer form shows."""
    scope = catalog_scope(assessment)
    claims = claims or claims_of(assessment)
    answered = claims.answered
    answers = dict.fromkeys(claims.met_by_checks, VerdictValue.MET) | answered
    subitem = criterion.subitem
    subdomain_id = subitem.item.subdomain_id
    by_subitem: dict[int, dict[int, str | None]] = defaultdict(dict)  # this sub-domain's sub-items
    for place in scope.places:
        if place.subdomain_id == subdomain_id:
            by_subitem[place.subitem_id][place.level] = answers.get(place.criterion_id)
    siblings = by_subitem[subitem.pk]
    progress = _progress(assessment, scope, answered)
    row = CriterionRow(criterion, claims.answer(assessment, criterion.pk), target=assessment.target_level)
    if full_row:
        row.evidence = evidence_by_criterion(assessment, criterion_ids=[criterion.pk]).get(criterion.pk, [])
        row.verdict = verdicts_of(assessment).get(criterion.pk)
        row.request = information_requests(assessment).get(criterion.pk)
    return AnswerFeedback(
        row=row,
        subitem=subitem,
        level=subitem_level(siblings),
        blocking=blocking_levels(siblings, assessment.target_level),
        subdomain_progress=progress.get(subdomain_id, Progress(0, 0)),
        subdomain_level=roll_up([subitem_level(answers) for answers in by_subitem.values()], assessment.model.rollup),
        progress=Progress(sum(p.answered for p in progress.values()), sum(p.required for p in progress.values())),
    )


def find_criterion(assessment: Assessment, code: str) -> Criterion | None:
    """A criterion of the assessment's pinned model and parts in scope, with its sub-item, item and sub-domain.
    Shared with other requests (selectors.catalog.model_catalog): read it, never change it."""
    criterion = model_catalog(assessment.model).criteria_by_code.get(code)
    if criterion is None or criterion.subitem.item.subdomain.part_id not in part_ids_in_scope(assessment):
        return None
    return criterion


def find_subdomain(assessment: Assessment, code: str) -> SubDomain | None:
    part_ids = part_ids_in_scope(assessment)
    catalog = model_catalog(assessment.model)
    return next((node for node in catalog.subdomains if node.code == code and node.part_id in part_ids), None)


def questionnaire_urls(assessment: Assessment) -> dict[str, str]:
    """URL prefixes the page completes with a sub-domain or criterion code: reversing once per page, not per row."""
    return {
        "questionnaire": reverse("questionnaire", args=(assessment.pk, "CODE")).removesuffix("CODE/"),
        "answers": reverse("answer-save", args=(assessment.pk, "CODE")).removesuffix("CODE/"),
        "evidence_add": reverse("evidence-add", args=(assessment.pk,)),
        "evidence_attach": reverse("evidence-attach", args=(assessment.pk,)),
    }
