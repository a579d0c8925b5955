"""The assessment lifecycle (DESIGN.md §6): who may move an assessment from which state to which.

draft → submitted → in_review → (changes_requested → submitted)* → assessed → published

The table below is the whole rule. Every move goes through `transition`, which checks the state and the
actor's role, runs the move's own precondition, records the change in the audit trail and notifies people.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.access import Action, can
from assessment.exceptions import RuleViolation
from assessment.models import Assessment, AssessmentState
from assessment.services import audit, notifications

State = AssessmentState


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    role: str  # an access.Action: WORK for the project's team, REVIEW for assessors


MOVES = {
    move.name: move
    for move in (
        Move(
            "submit",
            gettext_lazy("Submit for review"),
            (State.DRAFT, State.CHANGES_REQUESTED),
            State.SUBMITTED,
            Action.WORK,
        ),
        Move("start_review", gettext_lazy("Start the review"), (State.SUBMITTED,), State.IN_REVIEW, Action.REVIEW),
        Move(
            "request_changes",
            gettext_lazy("Send back for more information"),
            (State.IN_REVIEW,),
            State.CHANGES_REQUESTED,
            Action.REVIEW,
        ),
        Move("complete_review", gettext_lazy("Complete the review"), (State.IN_REVIEW,), State.ASSESSED, Action.REVIEW),
        Move("reopen_review", gettext_lazy("Reopen the review"), (State.ASSESSED,), State.IN_REVIEW, Action.REVIEW),
        Move("publish", gettext_lazy("Publish the result"), (State.ASSESSED,), State.PUBLISHED, Action.REVIEW),
    )
}


ROLE_NAMES = {Action.WORK: gettext_lazy("the project's team"), Action.REVIEW: gettext_lazy("an assessor")}


def allowed_moves(assessment: Assessment, user) -> list[Move]:
    """The moves this person may take now (the preconditions are checked when they take one)."""
    return [
        move
        for move in MOVES.values()
        if assessment.state in move.sources and _may_take(user, assessment, move) is None
    ]


def _may_take(user, assessment: Assessment, move: Move) -> str | None:
    """None when the person's role allows the move, else why not."""
    if not can(user, move.role, assessment.project):
        if move.role == Action.WORK:
            return _("Only the project's team may do this.")
        return _("Only an assessor of the organisation may do this.")
    if move.role == Action.REVIEW and assessment.assessor_id not in (None, user.pk):
        return _("This assessment is assigned to %(name)s.") % {"name": assessment.assessor}
    return None


def refusal(assessment: Assessment, move: Move) -> RuleViolation:
    allowed = [
        f"{other.label} ({ROLE_NAMES[other.role]})" for other in MOVES.values() if assessment.state in other.sources
    ]
    message = _("“%(move)s” is not possible while the assessment is %(state)s.") % {
        "move": move.label,
        "state": assessment.get_state_display(),
    }
    if allowed:
        message += " " + _("Possible now: %(moves)s.") % {"moves": "; ".join(allowed)}
    elif assessment.state == State.PUBLISHED:
        message += " " + _("A published assessment is final; start a new one to supersede it.")
    return RuleViolation(message, field="state")


@transaction.atomic
def transition(*, assessment: Assessment, move_name: str, actor, comment: str = "") -> Assessment:
    """Takes one move of the lifecycle, or raises RuleViolation saying why not and what is possible."""
    move = MOVES.get(move_name)
    if move is None:
        raise RuleViolation(_("Unknown action “%(name)s”.") % {"name": move_name}, field="action")
    assessment = (
        Assessment.objects.select_for_update().select_related("project", "organisation", "model").get(pk=assessment.pk)
    )
    # Who may take the move comes first: someone who never may (a manager asking to publish) is told so, not
    # what the state allows.
    role_refusal = _may_take(actor, assessment, move)
    if role_refusal:
        raise PermissionDenied(role_refusal)
    if assessment.state not in move.sources:
        raise refusal(assessment, move)
    PRECONDITIONS.get(move.name, _no_precondition)(assessment, actor)
    before = assessment.state
    assessment.state = move.target
    fields = ["state", "updated_at"]
    if move.name == "submit":
        assessment.submitted_at = timezone.now()
        fields.append("submitted_at")
    if move.role == Action.REVIEW and assessment.assessor_id is None:
        assessment.assessor = actor  # whoever takes a review step on an unassigned assessment takes it on
        fields.append("assessor")
    assessment.save(update_fields=fields)
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=actor,
        action=f"assessment.{move.name}",
        target=str(assessment.pk),
        before={"state": before},
        after={"state": assessment.state, **({"comment": comment} if comment else {})},
    )
    AFTER_MOVE.get(move.name, _no_precondition)(assessment, actor)
    notifications.assessment_moved(
        assessment=assessment, move=move.name, actor=actor, resubmission=before == State.CHANGES_REQUESTED
    )
    return assessment


def _no_precondition(assessment: Assessment, actor) -> None:
    return None


def _check_complete(assessment: Assessment, actor) -> None:
    from assessment.services.assessments import missing_answers

    missing = missing_answers(assessment)
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise RuleViolation(
            _("%(count)d criteria up to the target level are not answered yet: %(codes)s")
            % {"count": len(missing), "codes": shown},
            field="answers",
        )


def _check_information_requested(assessment: Assessment, actor) -> None:
    from assessment.selectors.review import review_counts

    if not review_counts(assessment).info_requested:
        raise RuleViolation(
            _("Request information on at least one criterion before sending the assessment back."), field="decisions"
        )


def _check_all_decided(assessment: Assessment, actor) -> None:
    from assessment.selectors.review import review_counts

    counts = review_counts(assessment)
    if counts.awaiting or counts.info_requested:
        raise RuleViolation(
            _(
                "%(awaiting)d criteria still await a decision and %(requested)d have a request for information "
                "open; decide every one before completing the review."
            )
            % {"awaiting": counts.awaiting, "requested": counts.info_requested},
            field="decisions",
        )


def _freeze(assessment: Assessment, actor) -> None:
    from assessment.services.publication import freeze_snapshot

    freeze_snapshot(assessment=assessment, actor=actor)


PRECONDITIONS: dict[str, Callable[[Assessment, object], None]] = {
    "submit": _check_complete,
    "request_changes": _check_information_requested,
    "complete_review": _check_all_decided,
}
AFTER_MOVE: dict[str, Callable[[Assessment, object], None]] = {"publish": _freeze}


@transaction.atomic
def assign_assessor(*, assessment: Assessment, assessor, actor) -> Assessment:
    """An organisation admin assigns any of its assessors; an assessor may take an unassigned assessment."""
    assessment = Assessment.objects.select_for_update().select_related("project", "organisation").get(pk=assessment.pk)
    if assessment.state not in ASSIGNABLE_STATES:
        raise RuleViolation(
            _("Assessors are assigned once the assessment is submitted and until it is published; it is %(state)s.")
            % {"state": assessment.get_state_display()},
            field="state",
        )
    is_admin = can(actor, Action.ADMINISTER, assessment.project)
    takes_it_on = assessor.pk == actor.pk and assessment.assessor_id in (None, actor.pk)
    if not (is_admin or (takes_it_on and can(actor, Action.REVIEW, assessment.project))):
        raise PermissionDenied(
            _("Only an organisation admin assigns assessors; an assessor may take an unassigned one.")
        )
    membership = assessment.organisation.memberships.filter(user=assessor, is_assessor=True).first()
    if membership is None:
        raise RuleViolation(
            _("%(name)s is not an assessor of this organisation.") % {"name": assessor}, field="assessor"
        )
    before = assessment.assessor.get_username() if assessment.assessor else None
    assessment.assessor = assessor
    assessment.save(update_fields=["assessor", "updated_at"])
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=actor,
        action="assessment.assigned",
        target=str(assessment.pk),
        before={"assessor": before},
        after={"assessor": assessor.get_username()},
    )
    notifications.assessor_assigned(assessment=assessment, actor=actor)
    return assessment


ASSIGNABLE_STATES = (State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.ASSESSED)
