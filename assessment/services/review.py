"""Assessors' decisions on criteria and the team's replies (a change of the team's work reopens decisions:
services/assessments.py `reopen_decisions`).

A decision is taken only while the assessment is in review, by the assessor it is assigned to, on a claim
they did not make themselves (separation of duties). Concurrent decisions on one assessment are serialised by
its row lock; a caller that says which `version` it saw is refused when someone else's decision came first.
Deciding on many criteria at once reads what it checks once and refreshes the levels once.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.access import Action, can
from assessment.models import (
    Answer,
    AnswerValue,
    Assessment,
    AssessmentState,
    Criterion,
    Decision,
    DecisionValue,
    EvidenceLink,
    Verdict,
    VerdictValue,
)
from assessment.services import audit
from assessment.services.assessments import ensure_team_editable
from assessment.services.exceptions import RuleViolation
from assessment.services.queueing import publish_once_after_commit


def may_decide(assessment: Assessment, user) -> bool:
    """Whether this person may take decisions on the assessment now (each criterion may still be refused)."""
    try:
        _ensure_reviewer(assessment, user)
    except (PermissionDenied, RuleViolation):
        return False
    return True


def _locked(assessment: Assessment) -> Assessment:
    """The assessment as it is now, locked until the transaction ends: a decision and a lifecycle move on the
    same assessment never interleave."""
    return Assessment.objects.select_for_update().select_related("project", "organisation").get(pk=assessment.pk)


def _ensure_reviewer(assessment: Assessment, actor) -> None:
    if not can(actor, Action.REVIEW, assessment.project):
        raise PermissionDenied(_("Only an assessor of the organisation may decide on criteria."))
    if assessment.assessor_id != actor.pk:
        raise PermissionDenied(_("Only the assessor this assessment is assigned to may decide on its criteria."))
    if assessment.state != AssessmentState.IN_REVIEW:
        raise RuleViolation(
            _("Decisions are taken while the assessment is in review; it is %(state)s.")
            % {"state": assessment.get_state_display()},
            field="state",
        )


def _ensure_not_own_work(criterion: Criterion, is_own_work: bool) -> None:
    """Nobody reviews a claim they made or evidence they uploaded."""
    if is_own_work:
        raise RuleViolation(
            _("You answered %(code)s or uploaded its evidence, so another assessor has to decide on it.")
            % {"code": criterion.code},
            field="criterion",
        )


@dataclass(frozen=True)
class DecisionInput:
    criterion: Criterion
    value: str
    comment: str = ""
    override_reason: str = ""
    expected_version: int | None = None  # the version the assessor saw; None to decide regardless


def _problems(item: DecisionInput, verdict: str) -> dict[str, str]:
    problems = {}
    if item.value not in DecisionValue.values:
        problems["decision"] = _("Choose accepted, rejected or info_requested.")
    elif item.value != DecisionValue.ACCEPTED and not item.comment.strip():
        problems["comment"] = _("Say what is wrong or what information you need: the team reads this comment.")
    against = (item.value == DecisionValue.ACCEPTED and verdict == VerdictValue.NOT_MET) or (
        item.value == DecisionValue.REJECTED and verdict == VerdictValue.MET
    )
    if against and not item.override_reason.strip():
        problems["override_reason"] = _("This goes against the automatic verdict (%(verdict)s): give the reason.") % {
            "verdict": VerdictValue(verdict).label
        }
    return problems


@transaction.atomic
def decide(*, assessment: Assessment, item: DecisionInput, actor) -> Decision:
    """Records the assessor's decision on one criterion; the previous one is kept in the audit trail."""
    assessment = _locked(assessment)
    _ensure_reviewer(assessment, actor)
    decision = _record(assessment, item, actor, _reads(assessment, [item.criterion], actor))
    _refresh_levels(assessment)
    return decision


@dataclass
class _Reads:
    """What deciding reads about the criteria decided on: read once for a whole batch, not per criterion."""

    verdicts: dict[int, str]  # criterion id → the automatic verdict
    own_work: set[int]  # criteria the actor answered or uploaded evidence for
    decisions: dict[int, Decision]  # criterion id → its decision row, locked


def _reads(assessment: Assessment, criteria: list[Criterion], actor) -> _Reads:
    ids = [criterion.pk for criterion in criteria]
    verdicts = Verdict.objects.filter(assessment=assessment, criterion_id__in=ids).values_list("criterion_id", "value")
    answered = Answer.objects.filter(assessment=assessment, criterion_id__in=ids, updated_by=actor)
    uploaded = EvidenceLink.objects.filter(
        criterion_id__in=ids,
        evidence__assessment=assessment,
        evidence__removed_at__isnull=True,
        evidence__uploaded_by=actor,
    )
    rows = Decision.objects.select_for_update().select_related("decided_by")
    return _Reads(
        verdicts=dict(verdicts),
        own_work=set(answered.values_list("criterion_id", flat=True))
        | set(uploaded.values_list("criterion_id", flat=True)),
        decisions={row.criterion_id: row for row in rows.filter(assessment=assessment, criterion_id__in=ids)},
    )


def _record(assessment: Assessment, item: DecisionInput, actor, reads: _Reads) -> Decision:
    """One decision on the locked assessment: checked, saved and recorded in the audit trail."""
    if item.criterion.model_id != assessment.model_id:
        raise RuleViolation(
            _("%(code)s is not a criterion of this assessment.") % {"code": item.criterion.code}, field="criterion"
        )
    verdict = reads.verdicts.get(item.criterion.pk, "")
    problems = _problems(item, verdict)
    if problems:
        raise RuleViolation(next(iter(problems.values())), errors={k: [v] for k, v in problems.items()})
    _ensure_not_own_work(item.criterion, item.criterion.pk in reads.own_work)
    # Every writer of an assessment's decisions holds the assessment's row lock first (_locked, or the team's
    # ensure_team_editable), so a decision missing now cannot appear before this transaction ends.
    decision = reads.decisions.get(item.criterion.pk) or Decision(
        assessment=assessment, criterion=item.criterion, version=0, decided_by_id=assessment.assessor_id
    )
    if item.expected_version is not None and item.expected_version != decision.version:
        raise RuleViolation(
            _("%(name)s decided on %(code)s meanwhile; look at their decision before you change it.")
            % {"name": decision.decided_by, "code": item.criterion.code},
            field="version",
        )
    before = None if decision.version == 0 else _as_data(decision)
    decision.value, decision.comment = item.value, item.comment.strip()
    decision.override_reason = item.override_reason.strip()
    decision.verdict_value, decision.is_current, decision.reply = verdict, True, ""
    decision.decided_by, decision.decided_at, decision.version = actor, timezone.now(), decision.version + 1
    decision.save()
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=actor,
        action="decision.recorded",
        target=item.criterion.code,
        before=before,
        after=_as_data(decision),
    )
    return decision


def _as_data(decision: Decision) -> dict:
    return {
        "decision": decision.value,
        "comment": decision.comment,
        "override_reason": decision.override_reason,
        "verdict": decision.verdict_value,
        "is_current": decision.is_current,
        "version": decision.version,
    }


def bulk_accept(*, assessment: Assessment, criteria: list[Criterion], actor) -> list[Decision]:
    """Accepts these criteria, each of which must have the automatic verdict `met` and no decision yet; the
    caller shows the person how many first (the confirmation). All or nothing."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _ensure_reviewer(assessment, actor)
        verdicts = dict(
            Verdict.objects.filter(assessment=assessment, criterion__in=criteria).values_list("criterion_id", "value")
        )
        answers = dict(
            Answer.objects.filter(assessment=assessment, criterion__in=criteria).values_list("criterion_id", "value")
        )
        decided = set(
            Decision.objects.filter(assessment=assessment, criterion__in=criteria, is_current=True).values_list(
                "criterion_id", flat=True
            )
        )
        for criterion in criteria:
            answer = answers.get(criterion.pk, AnswerValue.MET)
            if verdicts.get(criterion.pk) != VerdictValue.MET or answer != AnswerValue.MET or criterion.pk in decided:
                raise RuleViolation(
                    _(
                        "%(code)s cannot be accepted in bulk: its automatic verdict is not met, the team's answer "
                        "differs, or it was decided already."
                    )
                    % {"code": criterion.code},
                    field="criteria",
                )
        return decide_many(
            assessment=assessment,
            items=[DecisionInput(criterion, DecisionValue.ACCEPTED) for criterion in criteria],
            actor=actor,
        )


@transaction.atomic
def reply_to_request(*, assessment: Assessment, criterion: Criterion, reply: str, actor) -> Decision:
    """The team's answer to a request for information; the criterion goes back for review."""
    assessment = _locked(assessment)
    ensure_team_editable(assessment)
    decision = (
        Decision.objects.select_for_update()
        .filter(assessment=assessment, criterion=criterion, value=DecisionValue.INFO_REQUESTED)
        .first()
    )
    if decision is None:
        raise RuleViolation(
            _("No information was requested on %(code)s.") % {"code": criterion.code}, field="criterion"
        )
    if not reply.strip():
        raise RuleViolation(_("Write your reply."), field="reply")
    before = _as_data(decision) | {"reply": decision.reply}
    decision.reply, decision.is_current = reply.strip(), False
    decision.save(update_fields=["reply", "is_current"])
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=actor,
        action="decision.replied",
        target=criterion.code,
        before=before,
        after=_as_data(decision) | {"reply": decision.reply},
    )
    return decision


def _refresh_levels(assessment: Assessment) -> None:
    """Confirmed levels follow the decisions, recomputed by a worker after the commit."""
    publish_once_after_commit("assessment.refresh_levels", assessment.pk)


@transaction.atomic
def decide_many(*, assessment: Assessment, items: list[DecisionInput], actor) -> list[Decision]:
    """decide for several criteria, all or nothing; problems are reported by position (e.g. `2.comment`)."""
    assessment = _locked(assessment)
    _ensure_reviewer(assessment, actor)
    reads = _reads(assessment, [item.criterion for item in items], actor)
    decisions, errors = [], {}
    for index, item in enumerate(items):
        try:
            decision = _record(assessment, item, actor, reads)
        except RuleViolation as violation:
            for field, messages in violation.errors.items():
                errors[f"{index}.{field}"] = messages
            continue
        reads.decisions[item.criterion.pk] = decision  # the same criterion twice: the second sees the first
        decisions.append(decision)
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], errors=errors)
    if decisions:
        _refresh_levels(assessment)
    return decisions
