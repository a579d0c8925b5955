"""Who may read delivery metrics. A project's metrics are read like the project itself (every member of its
organisation, through assessment.access.access_project); the organisation overview compares projects, which is
work for its managers, admins and team members, not for assessors."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from assessment.access import access_organisation, membership_of
from assessment.models import Organisation


def access_organisation_metrics(user, slug: str) -> Organisation:
    organisation = access_organisation(user, slug)
    membership = membership_of(user, organisation.pk)
    if not (membership.is_manager or membership.is_admin or membership.is_team_member):
        raise PermissionDenied(_("Your role does not allow this."))
    return organisation
