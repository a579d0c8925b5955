"""The only way views and the API get objects: one function per object kind, shared by HTML and API.

Outsiders get 404 (existence does not leak); members without the right role get 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from assessment.models import (
    Assessment,
    Evidence,
    MaturityModel,
    Membership,
    Organisation,
    Project,
    ReportFile,
    ShareLink,
    WebhookSubscription,
)
from assessment.models.reports import token_digest


class Action:
    VIEW = "view"  # read an organisation's projects, assessments, evidence
    WORK = "work"  # the team's work on a project: start assessments, answer, add and remove evidence
    ADMINISTER = "administer"  # manage members, roles and projects
    REVIEW = "review"  # an assessor's work: take assessments for review, decide on criteria, publish
    OVERSEE = "oversee"  # managers' (and admins') reading across projects: portfolio, share links


def membership_of(user, organisation_id: int, project: Project | None = None) -> Membership | None:
    """The user's membership of the organisation, remembered for the request. Given a project of that
    organisation, the same query also tells whether the user is on its team (see _on_team)."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_memberships", {})
    teams = user.__dict__.setdefault("_teams", {})
    if organisation_id not in cache:
        memberships = Membership.objects.filter(user=user, organisation_id=organisation_id)
        if project is not None and project.pk not in teams:
            team = Project.team.through.objects.filter(project_id=project.pk, user_id=user.pk)
            memberships = memberships.annotate(is_on_team=Exists(team))
        cache[organisation_id] = membership = _only_row(memberships)
        if membership is not None and hasattr(membership, "is_on_team"):
            teams[project.pk] = membership.is_on_team
    return cache[organisation_id]


def memberships(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def _check(user, membership: Membership | None, action: str, project: Project | None = None) -> None:
    if membership is None:
        raise Http404(_("Not found."))
    if action == Action.VIEW:
        return
    if action == Action.ADMINISTER and membership.is_admin:
        return
    if action == Action.REVIEW and membership.is_assessor:
        return
    if action == Action.OVERSEE and (membership.is_manager or membership.is_admin):
        return
    if action == Action.WORK and membership.is_team_member and (project is None or _on_team(user, project)):
        return
    raise PermissionDenied(_("Your role does not allow this."))


def can(user, action: str, project: Project) -> bool:
    """Whether the user may take the action on the project, for showing or hiding controls."""
    try:
        _check(user, membership_of(user, project.organisation_id, project), action, project)
    except (Http404, PermissionDenied):
        return False
    return True


def _on_team(user, project: Project) -> bool:
    teams = user.__dict__.setdefault("_teams", {})
    if project.pk not in teams:
        teams[project.pk] = project.team.filter(pk=user.pk).exists()
    return teams[project.pk]


def access_organisation(user, slug: str, *, action: str = Action.VIEW) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    _check(user, organisation and membership_of(user, organisation.pk), action)
    return organisation


def access_project(user, project_id, *, action: str = Action.VIEW) -> Project:
    project = Project.objects.select_related("organisation").filter(pk=_as_id(project_id)).first()
    _check(user, project and membership_of(user, project.organisation_id, project), action, project)
    return project


def access_assessment(user, assessment_id, *, action: str = Action.VIEW) -> Assessment:
    # The stored levels (several kB of JSON, read by nothing that gets an assessment here) stay in the database.
    assessments = Assessment.objects.select_related("project", "organisation", "model").defer("stored_levels")
    assessment = _only_row(assessments.filter(pk=_as_id(assessment_id)))
    _check(
        user,
        assessment and membership_of(user, assessment.organisation_id, assessment.project),
        action,
        assessment.project if assessment else None,
    )
    return assessment


def access_evidence(user, evidence_id, *, action: str = Action.VIEW) -> Evidence:
    evidence = (
        Evidence.objects.select_related("assessment__project", "organisation")
        .filter(pk=_as_id(evidence_id), removed_at__isnull=True)
        .first()
    )
    _check(
        user,
        evidence and membership_of(user, evidence.organisation_id, evidence.assessment.project),
        action,
        evidence.assessment.project if evidence else None,
    )
    return evidence


def access_webhook_subscription(
    user, slug: str, subscription_id, *, action: str = Action.ADMINISTER
) -> WebhookSubscription:
    """A webhook subscription of the organisation named in the URL: its admins only (it holds the signing secret)."""
    subscription = (
        WebhookSubscription.objects.select_related("organisation")
        .filter(pk=_as_id(subscription_id), organisation__slug=slug)
        .first()
    )
    _check(user, subscription and membership_of(user, subscription.organisation_id), action)
    return subscription


def access_report_file(user, report_file_id, *, action: str = Action.VIEW) -> ReportFile:
    report_file = (
        ReportFile.objects.select_related("assessment__project").defer("content").filter(pk=_as_id(report_file_id))
    ).first()
    _check(
        user,
        report_file and membership_of(user, report_file.assessment.organisation_id, report_file.assessment.project),
        action,
        report_file.assessment.project if report_file else None,
    )
    return report_file


def access_share_link(user, link_id, *, action: str = Action.OVERSEE) -> ShareLink:
    link = ShareLink.objects.select_related("assessment__project").filter(pk=_as_id(link_id)).first()
    _check(
        user,
        link and membership_of(user, link.organisation_id, link.assessment.project),
        action,
        link.assessment.project if link else None,
    )
    return link


def access_shared_assessment(token: str) -> ShareLink:
    """The share link behind a token, for a visitor without an account: 404 unless it is active and its
    organisation still allows sharing (an admin switching sharing off stops every link at once)."""
    link = (
        ShareLink.objects.select_related("assessment__project", "assessment__organisation", "assessment__model")
        .filter(token_digest=token_digest(token or ""), organisation__allow_share_links=True)
        .first()
    )
    if link is None or not link.is_active:
        raise Http404(_("This link has expired or was withdrawn."))
    return link


def visible_projects(user) -> QuerySet[Project]:
    return Project.objects.filter(organisation__memberships__user=user.pk).select_related("organisation")


def visible_assessments(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(organisation__memberships__user=user.pk)


def access_maturity_model(user, *, key: str, version: str) -> MaturityModel:
    """A maturity model version readable by this user. The built-in models are public reading."""
    model = MaturityModel.objects.filter(key=key, version=version).first()
    if model is None:
        raise Http404(_("No such maturity model version."))
    return model


def visible_maturity_models(user) -> QuerySet[MaturityModel]:
    return MaturityModel.objects.all()


def _only_row(queryset: QuerySet):
    """The row of a query by a unique key, or None: unsorted (a default ordering would only add joins)."""
    return next(iter(queryset.order_by()[:1]), None)


def _as_id(value) -> int:
    """Ids from URLs and payloads; anything that is not a positive whole number matches nothing."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0
