"""Levels of an assessment, computed from its answers: per sub-item, sub-domain and part, with the gap to target.

Reads a fixed number of queries (criteria and answers as plain values), whatever the catalogue's size.
"""

import datetime
import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum

from assessment.models import (
    Answer,
    Assessment,
    AssessmentState,
    Criterion,
    Decision,
    DecisionValue,
    Evidence,
    EvidenceLink,
    Item,
    Part,
    SubDomain,
    SubItem,
    Verdict,
    VerdictValue,
)
from assessment.models.catalog import is_chinese_active
from assessment.scoring.levels import MET, NOT_APPLICABLE, Level, blocking_levels, distribution, roll_up, subitem_level
from assessment.selectors.catalog import model_catalog


@dataclass
class SubItemLevel:
    subitem: SubItem
    level: Level
    blocking: list[int]  # criterion levels up to the target that are not met


@dataclass
class GroupLevel:
    node: SubDomain | Part
    level: Level
    distribution: dict[int, int]
    subitems: list[SubItemLevel] = field(default_factory=list)


@dataclass
class AssessmentLevels:
    reading: str  # "provisional" (team answers) or "confirmed" (assessor-accepted only)
    target: int
    subitems: dict[int, SubItemLevel]
    subdomains: list[GroupLevel]
    parts: list[GroupLevel]

    @property
    def gaps(self) -> list[SubItemLevel]:
        return [row for row in self.subitems.values() if row.level.achieved < self.target]


class CriterionPlace(NamedTuple):
    """Where a criterion sits, as plain ids: for the level and progress sums over a whole scope."""

    criterion_id: int
    level: int
    subitem_id: int
    subdomain_id: int


@dataclass
class Scope:
    """The catalogue of an assessment's parts in scope, shared by every request (built once per model version
    and set of parts). The nodes come from selectors.catalog.model_catalog: read them, never change them."""

    parts: list[Part]
    subdomains: list[SubDomain]
    items: list[Item]
    subitems: list[SubItem]  # with their item and its sub-domain, in catalogue order
    criteria: list[Criterion]  # with their sub-item, in sub-item and level order
    places: list[CriterionPlace] = field(default_factory=list)  # the criteria's, in the same order


def parts_in_scope(assessment: Assessment) -> list[Part]:
    """The assessment's parts by number, from the model version's catalogue. Parts are set when an assessment
    starts and never change, so which they are is read once per process (see _part_ids)."""
    part_ids = _part_ids(assessment.pk, assessment.created_at)
    return [part for part in model_catalog(assessment.model).parts if part.pk in part_ids]


# Keyed by creation time as well as id, so an id reused after a deletion (SQLite) is read afresh.
@functools.lru_cache(maxsize=4096)
def _part_ids(assessment_id: int, created_at: datetime.datetime) -> frozenset[int]:
    links = Assessment.parts.through.objects.filter(assessment_id=assessment_id)
    return frozenset(links.values_list("part_id", flat=True))


def part_ids_in_scope(assessment: Assessment) -> list[int]:
    return [part.pk for part in parts_in_scope(assessment)]


def catalog_scope(assessment: Assessment) -> Scope:
    """Parts, sub-domains, items, sub-items and criteria of the assessment's scope: no query once the model
    version's catalogue and the assessment's parts are in memory."""
    parts = parts_in_scope(assessment)
    catalog = model_catalog(assessment.model)
    key = tuple(part.pk for part in parts)
    scope = catalog.scopes.get(key)
    if scope is None:
        scope = catalog.scopes[key] = _build_scope(catalog, parts)
    return scope


def _build_scope(catalog, parts: list[Part]) -> Scope:
    part_ids = {part.pk for part in parts}
    subdomains = [node for node in catalog.subdomains if node.part_id in part_ids]
    subdomain_ids = {node.pk for node in subdomains}
    items = [node for node in catalog.items if node.subdomain_id in subdomain_ids]
    subitems = [node for node in catalog.subitems if node.item.subdomain_id in subdomain_ids]
    criteria = [node for node in catalog.criteria if node.subitem.item.subdomain_id in subdomain_ids]
    places = [CriterionPlace(node.pk, node.level, node.subitem_id, node.subitem.item.subdomain_id) for node in criteria]
    return Scope(parts, subdomains, items, subitems, criteria, places)


class VerdictInfo(NamedTuple):
    value: str
    explanation_zh: str
    explanation_en: str
    computed_at: datetime.datetime

    @property
    def explanation(self) -> str:
        return self.explanation_zh if is_chinese_active() else self.explanation_en


def verdicts_of(assessment: Assessment) -> dict[int, VerdictInfo]:
    """The assessment's automatic verdicts by criterion id: one query."""
    rows = Verdict.objects.filter(assessment=assessment).values_list(
        "criterion_id", "value", "explanation_zh", "explanation_en", "computed_at"
    )
    return {criterion_id: VerdictInfo(*info) for criterion_id, *info in rows}


def claimed_answers(answers: dict[int, str], verdicts: dict[int, VerdictInfo]) -> dict[int, str]:
    """The team's answers, and "met" where the team has not answered but the automatic checks are met."""
    claimed = {criterion_id: info.value for criterion_id, info in verdicts.items() if info.value == VerdictValue.MET}
    claimed.update(answers)
    return claimed


def provisional_levels(
    assessment: Assessment,
    *,
    scope: Scope | None = None,
    answers: dict[int, str] | None = None,
    verdicts: dict[int, VerdictInfo] | None = None,
) -> AssessmentLevels:
    """The team's answers plus the automatic verdicts: an answer always wins (verdicts are advice), a criterion
    the team has not answered yet counts as met when its checks are met. N/A counts as met until an assessor
    says otherwise. Pass the scope, the team's answers (criterion id → value) and verdicts when already read.
    A published assessment is read from its snapshot only."""
    scope = scope or catalog_scope(assessment)
    frozen = _frozen(assessment, "claimed")
    if frozen is not None:
        return _levels(assessment, scope, frozen, reading="provisional", na_approved=True)
    if answers is None:
        answers = dict(Answer.objects.filter(assessment=assessment).values_list("criterion_id", "value"))
    claimed = claimed_answers(answers, verdicts_of(assessment) if verdicts is None else verdicts)
    return _levels(assessment, scope, claimed, reading="provisional", na_approved=True)


def confirmed_levels(assessment: Assessment, *, scope: Scope | None = None) -> AssessmentLevels:
    """Assessor-accepted criteria only (see accepted_answers); a published assessment from its snapshot."""
    frozen = _frozen(assessment, "accepted")
    accepted = frozen if frozen is not None else accepted_answers(assessment)
    return _levels(assessment, scope or catalog_scope(assessment), accepted, reading="confirmed", na_approved=False)


def claimed_now(assessment: Assessment) -> dict[int, str]:
    """The team's claims as they stand: answers, and "met" where only the automatic checks say so."""
    answers = dict(Answer.objects.filter(assessment=assessment).values_list("criterion_id", "value"))
    return claimed_answers(answers, verdicts_of(assessment))


def accepted_answers(assessment: Assessment) -> dict[int, str]:
    """The claims an assessor accepted and that still stand (a later change reopens them): an accepted N/A is
    approved and counts as met; rejected and unreviewed criteria do not count."""
    accepted = set(
        Decision.objects.filter(assessment=assessment, is_current=True, value=DecisionValue.ACCEPTED).values_list(
            "criterion_id", flat=True
        )
    )
    if not accepted:
        return {}
    claimed = claimed_now(assessment)
    return {
        criterion_id: MET if claimed[criterion_id] == NOT_APPLICABLE else claimed[criterion_id]
        for criterion_id in accepted
        if criterion_id in claimed
    }


def frozen_claims(assessment: Assessment) -> dict[int, str] | None:
    """The team's claims as published (criterion id → answer), or None while the assessment is not published."""
    return _frozen(assessment, "claimed")


def _frozen(assessment: Assessment, key: str) -> dict[int, str] | None:
    """The snapshot's claims or accepted criteria of a published assessment; None while it is not published."""
    if assessment.state != AssessmentState.PUBLISHED or not assessment.snapshot:
        return None
    return {int(criterion_id): value for criterion_id, value in assessment.snapshot.get(key, {}).items()}


def _levels(
    assessment: Assessment, scope: Scope, answers: dict[int, str], *, reading: str, na_approved: bool
) -> AssessmentLevels:
    by_subitem: dict[int, dict[int, str | None]] = defaultdict(dict)
    for place in scope.places:
        by_subitem[place.subitem_id][place.level] = answers.get(place.criterion_id)
    rows = {}
    for subitem in scope.subitems:
        subitem_answers = by_subitem[subitem.pk]
        rows[subitem.pk] = SubItemLevel(
            subitem=subitem,
            level=subitem_level(subitem_answers, na_approved=na_approved),
            blocking=blocking_levels(subitem_answers, assessment.target_level, na_approved=na_approved),
        )
    # A published result keeps the roll-up rule it was published under.
    is_published = assessment.state == AssessmentState.PUBLISHED and assessment.snapshot
    rule = (is_published and assessment.snapshot.get("model", {}).get("rollup")) or assessment.model.rollup
    members: dict[int, list[SubItemLevel]] = defaultdict(list)
    for row in rows.values():
        members[row.subitem.item.subdomain_id].append(row)
    subdomain_groups = [_group(subdomain, members[subdomain.pk], rule) for subdomain in scope.subdomains]
    part_groups = []
    for part in scope.parts:
        part_members = [row for group in subdomain_groups if group.node.part_id == part.pk for row in group.subitems]
        part_groups.append(_group(part, part_members, rule))
    return AssessmentLevels(reading, assessment.target_level, rows, subdomain_groups, part_groups)


def _group(node, members: list[SubItemLevel], rule: str) -> GroupLevel:
    levels = [row.level for row in members]
    return GroupLevel(node=node, level=roll_up(levels, rule), distribution=distribution(levels), subitems=members)


def _per_assessment(model, aggregate, *, path: str = "assessment_id") -> Subquery:
    """One figure of the outer assessment's rows of `model` (`path` leads from a row to its assessment's id)."""
    rows = model.objects.filter(**{path: OuterRef("pk")}).order_by().values(path)
    return Subquery(rows.annotate(figure=aggregate).values("figure"))


def data_version(assessment_id: int) -> str:
    """A digest of what an assessment's levels are computed from, for stored levels to record: every answer save
    stamps `updated_at`, every verdict computation `computed_at`, every decision raises its version, and evidence
    is only added, re-read (`status_changed_at`), linked or removed. One query."""
    figures = {
        "figure_answers": _per_assessment(Answer, Count("pk")),
        "figure_answered_at": _per_assessment(Answer, Max("updated_at")),
        "figure_evidence": _per_assessment(Evidence, Count("pk")),
        "figure_evidence_read_at": _per_assessment(Evidence, Max("status_changed_at")),
        "figure_evidence_removed_at": _per_assessment(Evidence, Max("removed_at")),
        "figure_links": _per_assessment(EvidenceLink, Count("pk"), path="evidence__assessment_id"),
        "figure_verdicts": _per_assessment(Verdict, Count("pk")),
        "figure_verdicts_at": _per_assessment(Verdict, Max("computed_at")),
        "figure_decisions": _per_assessment(Decision, Count("pk")),
        "figure_decision_versions": _per_assessment(Decision, Sum("version")),
        "figure_current_decisions": _per_assessment(Decision, Count("pk", filter=Q(is_current=True))),
    }
    row = Assessment.objects.filter(pk=assessment_id).values(**figures).first()
    return hashlib.sha256(repr(sorted((row or {}).items())).encode()).hexdigest()
