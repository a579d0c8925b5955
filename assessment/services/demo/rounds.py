"""Playing one round of a demo project's story through the real services: the team starts it (or supersedes the
last published one), answers and attaches its evidence; later the team submits it and the assessor reviews it as
far as the story goes; then its dates are set to the story's. Between opening and closing, the metrics app
records the delivery figures of the round's period (metrics/services/demo.py), as its bridge does every day."""

from assessment.models import Assessment, Notification
from assessment.services.assessments import save_answers, start_assessment
from assessment.services.demo.answers import answers_for
from assessment.services.demo.exhibits import attach_exhibit
from assessment.services.demo.history import backdate_round
from assessment.services.demo.people import People
from assessment.services.demo.review import play_review
from assessment.services.demo.story import DemoClock, DemoProject, Round, State
from assessment.services.levels import refresh_stored_levels
from assessment.services.lifecycle import transition
from assessment.services.notifications import mark_read
from assessment.services.publication import start_successor

NOTICES_KEPT_UNREAD_DAYS = 30


def open_round(
    *, spec: DemoProject, round_: Round, people: People, clock: DemoClock, previous: Assessment | None
) -> Assessment:
    """A draft with the team's answers and evidence; a later round supersedes the published one before it."""
    team_member, project = people[spec.team[0]], people.projects[spec.name]
    if previous is None:
        assessment = start_assessment(project=project, actor=team_member, target_level=round_.target)
    else:
        assessment = start_successor(published=previous, actor=team_member)
    answers = answers_for(assessment, round_)
    if answers:
        save_answers(assessment=assessment, items=answers, actor=team_member)
    for index, exhibit in enumerate(round_.exhibits):
        # A day apart, in the order given: the newest report of a kind is the one the checks read first.
        effective_on = clock.day(max(round_.started - 1 - index, 0))
        attach_exhibit(assessment=assessment, exhibit=exhibit, actor=team_member, effective_on=effective_on)
    return assessment


def close_round(*, spec: DemoProject, round_: Round, people: People, clock: DemoClock, assessment: Assessment) -> None:
    """Takes the draft to the state the story leaves it in, then dates it."""
    team_member = people[spec.team[0]]
    if round_.outcome != State.DRAFT:
        assessment = transition(assessment=assessment, move_name="submit", actor=team_member)
    if round_.outcome not in (State.DRAFT, State.SUBMITTED):
        play_review(
            assessment=assessment, round_=round_, team_member=team_member, assessor=people["assessor"], day=clock.day
        )
    backdate_round(assessment=assessment, round_=round_, clock=clock)


def settle(*, assessments: list[Assessment], people: People, clock: DemoClock) -> None:
    """The stored levels of the rounds just played computed from what they hold now (as the level worker does after
    the commit, and after their dates were set); and the notices older than a month read, as people read them."""
    for assessment in Assessment.objects.filter(pk__in=[a.pk for a in assessments]).select_related("model"):
        refresh_stored_levels(assessment)
    read_before = clock.moment(NOTICES_KEPT_UNREAD_DAYS, 0)
    for user in people.users.values():
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True, created_at__lt=read_before)
        ids = list(unread.values_list("pk", flat=True))
        if ids:
            mark_read(user=user, notification_ids=ids)
