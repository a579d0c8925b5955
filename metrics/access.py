"""Permission lookups of the metrics app, built on assessment.access: the only way its views get objects.

Outsiders get 404, members without the right role 403, exactly as in assessment.access. A project's metrics are
read like the project itself (every member of its organisation, through access_project); the organisation
overview compares projects, which is work for its managers, admins and team members, not for assessors.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from assessment.access import Action, access_organisation, access_project, can, membership_of
from assessment.models import Organisation, Project
from metrics.models import IngestToken, ProjectHook


def access_organisation_metrics(user, slug: str) -> Organisation:
    organisation = access_organisation(user, slug)
    if not may_compare_projects(user, organisation.pk):
        raise PermissionDenied(_("Your role does not allow this."))
    return organisation


def may_compare_projects(user, organisation_id: int) -> bool:
    """Whether the organisation overview is open to the user, for showing or hiding links to it."""
    membership = membership_of(user, organisation_id)
    return bool(membership and (membership.is_manager or membership.is_admin or membership.is_team_member))


def may_send_events(user, project: Project) -> bool:
    return can(user, Action.WORK, project) or can(user, Action.ADMINISTER, project)


def access_project_events(user, project_id) -> Project:
    """A project whose delivery events the user may send: its team and the organisation's admins."""
    project = access_project(user, project_id)
    if may_send_events(user, project):
        return project
    raise PermissionDenied(_("Only the project's team and the organisation's admins may send its events."))


def access_project_by_ingest_token(token: IngestToken, project_id) -> Project:
    """An ingest token reaches its own project only; any other project does not exist for it."""
    if str(token.project_id) != str(project_id):
        raise Http404(_("Not found."))
    return token.project


def access_project_credentials(user, project_id) -> Project:
    """A project whose ingest tokens and webhook secrets the user manages: the organisation's admins."""
    return access_project(user, project_id, action=Action.ADMINISTER)


def access_ingest_token(user, project_id, token_id) -> IngestToken:
    project = access_project_credentials(user, project_id)
    token = IngestToken.objects.filter(project=project, pk=token_id).first()
    if token is None:
        raise Http404(_("Not found."))
    return token


def access_hook(hook_id: str) -> ProjectHook | None:
    """The webhook address's project, or None: the unguessable id is the address (the secret proves the sender)."""
    return ProjectHook.objects.select_related("project").filter(hook_id=hook_id).first()
