"""The assessment lifecycle (DESIGN.md §6): taking a move from one state to the next.

The table of moves is selectors/lifecycle.py. Every move goes through `transition`, which checks the state and
the actor's role, runs the move's own precondition, records the change in the audit trail and notifies people;
publishing freezes the result (services/publication.py).
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.access import Action, can
from assessment.models import Assessment, AssessmentState
from assessment.selectors.lifecycle import ASSIGNABLE_STATES, MOVES, ROLE_NAMES, Move, may_take
from assessment.selectors.review import review_counts
from assessment.services import audit, notifications
from assessment.services.assessments import missing_answers
from assessment.services.exceptions import RuleViolation
from assessment.services.publication import freeze_snapshot

State = AssessmentState


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
    role_refusal = may_take(actor, assessment, move)
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


def submit_assessment(*, assessment: Assessment, actor) -> Assessment:
    """Hands the assessment to the assessors once every criterion up to the target level is answered."""
    if assessment.state == AssessmentState.SUBMITTED:
        # Said plainly, followed by what is possible now (as every refused move does).
        message = _("This assessment is already submitted.") + " " + refusal(assessment, MOVES["submit"]).message
        raise RuleViolation(message, field="state")
    return transition(assessment=assessment, move_name="submit", actor=actor)


def _no_precondition(assessment: Assessment, actor) -> None:
    return None


def _check_complete(assessment: Assessment, actor) -> None:
    missing = missing_answers(assessment)
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise RuleViolation(
            _("%(count)d criteria up to the target level are not answered yet: %(codes)s")
            % {"count": len(missing), "codes": shown},
            field="answers",
        )


def _check_information_requested(assessment: Assessment, actor) -> None:
    if not review_counts(assessment).info_requested:
        raise RuleViolation(
            _("Request information on at least one criterion before sending the assessment back."), field="decisions"
        )


def _check_all_decided(assessment: Assessment, actor) -> None:
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
