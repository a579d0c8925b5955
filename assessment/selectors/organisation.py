"""Reads for the organisation admin pages, scoped to one organisation the caller has already been allowed into."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from assessment.models import Membership, Organisation, Project


def members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__username")


def member(organisation: Organisation, membership_id: int) -> Membership | None:
    return members(organisation).filter(pk=membership_id).first()


def team_candidates(organisation: Organisation) -> QuerySet:
    """The people who may join the organisation's project teams: its team members."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, memberships__is_team_member=True)
        .order_by("username")
    )


def projects(organisation: Organisation) -> QuerySet[Project]:
    team = Prefetch("team", queryset=get_user_model().objects.order_by("username"))
    return organisation.projects.prefetch_related(team).order_by("name")
