"""Reads for review: the assessors' queue, the review page's rows and how far the review has come.

A fixed number of queries whatever the catalogue or evidence size: answers, verdicts, decisions and evidence
are each read once for the whole assessment.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from assessment.access import Action, can
from assessment.models import (
    Answer,
    AnswerValue,
    Assessment,
    AssessmentState,
    Criterion,
    Decision,
    DecisionValue,
    Evidence,
    SubDomain,
    SubItem,
    VerdictValue,
)
from assessment.models.evidence import EXPIRY_WARNING_DAYS
from assessment.selectors.levels import VerdictInfo, catalog_scope, confirmed_levels, verdicts_of
from assessment.selectors.lifecycle import ASSIGNABLE_STATES, allowed_moves
from assessment.selectors.questionnaire import evidence_by_criterion

REVIEW_STATES = (
    AssessmentState.SUBMITTED,
    AssessmentState.IN_REVIEW,
    AssessmentState.CHANGES_REQUESTED,
    AssessmentState.ASSESSED,
)


def review_queue(user, organisation_ids: list[int]) -> QuerySet[Assessment]:
    """Assessments under review in these organisations that are assigned to this assessor or to nobody yet."""
    return (
        Assessment.objects.filter(organisation_id__in=organisation_ids, state__in=REVIEW_STATES)
        .filter(Q(assessor=user) | Q(assessor__isnull=True))
        .select_related("project", "organisation", "assessor")
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def decisions_of(assessment: Assessment) -> dict[int, Decision]:
    """Every decision of the assessment by criterion id (current or invalidated by a later change): one query."""
    rows = Decision.objects.filter(assessment=assessment).select_related("decided_by")
    return {decision.criterion_id: decision for decision in rows}


@dataclass
class ReviewCounts:
    to_review: int = 0  # criteria up to the target level that the team claims (answered, or met by the checks)
    accepted: int = 0
    rejected: int = 0
    info_requested: int = 0

    @property
    def awaiting(self) -> int:
        return self.to_review - self.accepted - self.rejected - self.info_requested


def review_counts(assessment: Assessment) -> ReviewCounts:
    answered = set(Answer.objects.filter(assessment=assessment).values_list("criterion_id", flat=True))
    decisions = dict(
        Decision.objects.filter(assessment=assessment, is_current=True).values_list("criterion_id", "value")
    )
    return _counts(assessment, answered, verdicts_of(assessment), decisions)


def _counts(
    assessment: Assessment, answered: set[int], verdicts: dict[int, VerdictInfo], decisions: dict[int, str]
) -> ReviewCounts:
    counts = ReviewCounts()
    for criterion in catalog_scope(assessment).criteria:
        claimed = criterion.pk in answered or getattr(verdicts.get(criterion.pk), "value", "") == VerdictValue.MET
        if criterion.level > assessment.target_level or not claimed:
            continue
        counts.to_review += 1
        value = decisions.get(criterion.pk)
        counts.accepted += value == DecisionValue.ACCEPTED
        counts.rejected += value == DecisionValue.REJECTED
        counts.info_requested += value == DecisionValue.INFO_REQUESTED
    return counts


@dataclass
class ReviewRow:
    criterion: Criterion
    answer: Answer | None
    verdict: VerdictInfo | None
    decision: Decision | None
    evidence: list[Evidence] = field(default_factory=list)
    may_decide: bool = True  # false when the reviewer made this claim or uploaded its evidence
    is_required: bool = True  # up to the target level

    @property
    def current_decision(self) -> Decision | None:
        return self.decision if self.decision is not None and self.decision.is_current else None

    @property
    def needs_review(self) -> bool:
        decision = self.current_decision
        is_claimed = self.answer is not None or getattr(self.verdict, "value", "") == VerdictValue.MET
        return is_claimed and (decision is None or decision.value == DecisionValue.INFO_REQUESTED)

    @property
    def is_override(self) -> bool:
        """Whether accepting or rejecting goes against the automatic verdict (then a reason is required)."""
        return self.verdict is not None and self.verdict.value in (VerdictValue.MET, VerdictValue.NOT_MET)

    @property
    def may_bulk_accept(self) -> bool:
        answer_agrees = self.answer is None or self.answer.value == AnswerValue.MET
        verdict_met = getattr(self.verdict, "value", "") == VerdictValue.MET
        return self.may_decide and self.current_decision is None and verdict_met and answer_agrees


@dataclass
class ReviewSubItem:
    subitem: SubItem
    rows: list[ReviewRow]


@dataclass
class ReviewPage:
    assessment: Assessment
    counts: ReviewCounts
    subdomains: list[tuple[SubDomain, list[ReviewSubItem]]]
    rows: list[ReviewRow]

    @property
    def bulk_acceptable(self) -> list[ReviewRow]:
        return [row for row in self.rows if row.may_bulk_accept]


def review_page(assessment: Assessment, reviewer, *, only_open: bool = False) -> ReviewPage:
    """Every criterion in scope with the team's claim, its evidence, the automatic verdict and the decision.
    With only_open, the criteria that still need a decision (after a resubmission: what changed)."""
    scope = catalog_scope(assessment)
    answers = {a.criterion_id: a for a in Answer.objects.filter(assessment=assessment).select_related("updated_by")}
    verdicts = verdicts_of(assessment)
    decisions = decisions_of(assessment)
    evidence = evidence_by_criterion(assessment, criterion_ids=[criterion.pk for criterion in scope.criteria])
    rows = [
        _row(
            assessment,
            criterion,
            answers.get(criterion.pk),
            verdicts.get(criterion.pk),
            decisions.get(criterion.pk),
            evidence.get(criterion.pk, []),
            reviewer,
        )
        for criterion in scope.criteria
    ]
    current = {cid: d.value for cid, d in decisions.items() if d.is_current}
    counts = _counts(assessment, set(answers), verdicts, current)
    shown = [row for row in rows if row.needs_review] if only_open else rows
    return ReviewPage(assessment, counts, _grouped(scope, shown), rows)


def _grouped(scope, rows: list[ReviewRow]) -> list[tuple[SubDomain, list[ReviewSubItem]]]:
    by_subitem: dict[int, list[ReviewRow]] = defaultdict(list)
    for row in rows:
        by_subitem[row.criterion.subitem_id].append(row)
    by_subdomain: dict[int, list[ReviewSubItem]] = defaultdict(list)
    for subitem in scope.subitems:
        if by_subitem.get(subitem.pk):
            by_subdomain[subitem.item.subdomain_id].append(ReviewSubItem(subitem, by_subitem[subitem.pk]))
    return [(node, by_subdomain[node.pk]) for node in scope.subdomains if by_subdomain.get(node.pk)]


def review_row(assessment: Assessment, criterion: Criterion, reviewer) -> ReviewRow:
    """One criterion's row, after a decision on it (the htmx response)."""
    answer = Answer.objects.filter(assessment=assessment, criterion=criterion).select_related("updated_by").first()
    linked = evidence_by_criterion(assessment, criterion_ids=[criterion.pk]).get(criterion.pk, [])
    decision = Decision.objects.filter(assessment=assessment, criterion=criterion).select_related("decided_by").first()
    return _row(assessment, criterion, answer, verdicts_of(assessment).get(criterion.pk), decision, linked, reviewer)


def _row(assessment: Assessment, criterion: Criterion, answer, verdict, decision, linked: list, reviewer) -> ReviewRow:
    """A row; the reviewer may not decide on a claim they made or on evidence they uploaded (the service checks
    the same rule when they try, see services/review.py)."""
    own_work = (answer is not None and answer.updated_by_id == reviewer.pk) or any(
        item.uploaded_by_id == reviewer.pk for item in linked
    )
    return ReviewRow(
        criterion,
        answer,
        verdict,
        decision,
        linked,
        may_decide=not own_work,
        is_required=criterion.level <= assessment.target_level,
    )


def lifecycle_panel(assessment: Assessment, user) -> dict:
    """What the assessment page shows about the review: the moves this person may take, who may be assigned,
    the confirmed levels once anything was accepted, open requests for the team, and the successor."""
    project = assessment.project
    may_assign = assessment.state in ASSIGNABLE_STATES and can(user, Action.ADMINISTER, project)
    decided = Decision.objects.filter(assessment=assessment, is_current=True).exists()
    return {
        "moves": allowed_moves(assessment, user),
        "may_review": can(user, Action.REVIEW, project),
        "may_take_on": assessment.state in ASSIGNABLE_STATES
        and assessment.assessor_id is None
        and can(user, Action.REVIEW, project),
        "assessors": list(
            assessment.organisation.memberships.filter(is_assessor=True)
            .select_related("user")
            .order_by("user__username")
        )
        if may_assign
        else [],
        "confirmed": confirmed_levels(assessment) if decided or assessment.snapshot else None,
        "open_requests": Decision.objects.filter(
            assessment=assessment, is_current=True, value=DecisionValue.INFO_REQUESTED
        ).count()
        if assessment.state == AssessmentState.CHANGES_REQUESTED
        else 0,
        "successor": getattr(assessment, "superseded_by", None)
        if assessment.state == AssessmentState.PUBLISHED
        else None,
        "may_supersede": assessment.state == AssessmentState.PUBLISHED and can(user, Action.WORK, project),
        "expiring_evidence": expiring_evidence(assessment),
    }


def expiring_evidence(assessment: Assessment) -> list[Evidence]:
    """The assessment's evidence that has expired or expires within the warning window, soonest first."""
    horizon = timezone.localdate() + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    rows = Evidence.objects.filter(assessment=assessment, removed_at__isnull=True, expires_on__lte=horizon)
    return list(rows.order_by("expires_on", "pk").only("pk", "name", "expires_on", "source"))
