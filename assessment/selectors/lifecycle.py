"""The lifecycle's table (DESIGN.md §6): which move goes from which state to which, and whose it is to take.

draft → submitted → in_review → (changes_requested → submitted)* → assessed → published

A read: the moves a person may take now. Taking one is services/lifecycle.py's `transition`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.access import Action, can
from assessment.models import Assessment, AssessmentState

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
        move for move in MOVES.values() if assessment.state in move.sources and may_take(user, assessment, move) is None
    ]


def may_take(user, assessment: Assessment, move: Move) -> str | None:
    """None when the person's role allows the move, else why not."""
    if not can(user, move.role, assessment.project):
        if move.role == Action.WORK:
            return _("Only the project's team may do this.")
        return _("Only an assessor of the organisation may do this.")
    if move.role == Action.REVIEW and assessment.assessor_id not in (None, user.pk):
        return _("This assessment is assigned to %(name)s.") % {"name": assessment.assessor}
    return None


# While an assessor can be assigned (or take the assessment on).
ASSIGNABLE_STATES = (State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.ASSESSED)
