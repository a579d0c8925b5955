"""Writes of organisations, memberships and projects (organisation admins' work)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.models import Membership, Organisation, Project, Role
from assessment.selectors.navigation import forget_navigation
from assessment.services import audit
from assessment.services.exceptions import RuleViolation

ROLE_FIELDS = {
    Role.TEAM: "is_team_member",
    Role.ASSESSOR: "is_assessor",
    Role.MANAGER: "is_manager",
    Role.ADMIN: "is_admin",
}


def _role_flags(roles: list[str]) -> dict[str, bool]:
    unknown = set(roles) - set(ROLE_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown role: %(role)s.") % {"role": ", ".join(sorted(unknown))}, field="roles")
    if not roles:
        raise RuleViolation(_("Choose at least one role."), field="roles")
    return {field: role in roles for role, field in ROLE_FIELDS.items()}


@transaction.atomic
def create_organisation(*, name: str, slug: str, first_admin) -> Organisation:
    organisation = Organisation.objects.create(name=name, slug=slug)
    Membership.objects.create(organisation=organisation, user=first_admin, is_admin=True)
    forget_navigation(first_admin.pk)
    return organisation


@transaction.atomic
def add_member(*, organisation: Organisation, username: str, email: str, roles: list[str], actor) -> Membership:
    """Adds a person (creating the account if needed, with a set-your-password email) with the given roles."""
    flags = _role_flags(roles)
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    created = user is None
    if created:
        user = user_model.objects.create_user(username=username, email=email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif Membership.objects.filter(organisation=organisation, user=user).exists():
        raise RuleViolation(_("%(name)s is already a member.") % {"name": username}, field="username")
    membership = Membership.objects.create(organisation=organisation, user=user, **flags)
    forget_navigation(user.pk)
    audit.record(
        organisation=organisation,
        actor=actor,
        action="membership.added",
        target=username,
        after={"roles": membership.roles},
    )
    if created and email:
        transaction.on_commit(lambda: _send_invitation(user_id=user.pk, organisation_name=organisation.name))
    return membership


class _InvitationForm(PasswordResetForm):
    """The password-reset email, sent to one new account (Django's own form skips unusable passwords)."""

    def __init__(self, *, user):
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email):
        return [self.user] if self.user.is_active and self.user.email else []


def _send_invitation(*, user_id: int, organisation_name: str) -> None:
    # The password-reset link doubles as the invitation: it lets the new member choose a password. Sent after
    # commit, outside the request, so the link's address comes from SITE_URL.
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return
    form = _InvitationForm(user=user)
    if form.is_valid():
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            extra_email_context={
                "organisation_name": organisation_name,
                "site_url": settings.SITE_URL,
                "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400),
            },
        )


@transaction.atomic
def send_invitation_again(*, membership: Membership, actor) -> None:
    """A fresh set-your-password email for a member who has not chosen a password yet (the first link expired)."""
    user = membership.user
    if user.has_usable_password():
        raise RuleViolation(_("%(name)s has chosen a password already.") % {"name": user.get_username()})
    if not user.email:
        raise RuleViolation(_("%(name)s has no email address.") % {"name": user.get_username()})
    audit.record(
        organisation=membership.organisation, actor=actor, action="membership.invited_again", target=user.username
    )
    organisation_name = membership.organisation.name
    transaction.on_commit(lambda: _send_invitation(user_id=user.pk, organisation_name=organisation_name))


@transaction.atomic
def set_member_roles(*, membership: Membership, roles: list[str], actor) -> Membership:
    flags = _role_flags(roles)
    before = membership.roles
    if Role.ADMIN in before and Role.ADMIN not in roles:
        _ensure_another_admin(membership)
    for field, value in flags.items():
        setattr(membership, field, value)
    membership.save(update_fields=list(flags))
    forget_navigation(membership.user_id)
    audit.record(
        organisation=membership.organisation,
        actor=actor,
        action="membership.roles_changed",
        target=membership.user.username,
        before={"roles": before},
        after={"roles": membership.roles},
    )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor) -> None:
    if membership.is_admin:
        _ensure_another_admin(membership)
    organisation, user = membership.organisation, membership.user
    for project in organisation.projects.filter(team=user):
        project.team.remove(user)
    membership.delete()
    forget_navigation(membership.user_id)
    audit.record(
        organisation=organisation,
        actor=actor,
        action="membership.removed",
        target=user.username,
        before={"roles": membership.roles},
    )


def _ensure_another_admin(membership: Membership) -> None:
    others = Membership.objects.select_for_update().filter(organisation=membership.organisation, is_admin=True)
    if not others.exclude(pk=membership.pk).exists():
        raise RuleViolation(_("An organisation needs at least one admin."), field="roles")


@transaction.atomic
def save_project(
    *,
    organisation: Organisation,
    actor,
    name: str,
    description: str = "",
    target_level: int = 3,
    team_user_ids: list[int] | None = None,
    project: Project | None = None,
) -> Project:
    """Creates a project, or updates one; the team may only hold the organisation's team members."""
    duplicate = organisation.projects.filter(name=name).exclude(pk=getattr(project, "pk", None))
    if duplicate.exists():
        raise RuleViolation(_("A project with this name exists already."), field="name")
    if not 1 <= target_level <= 5:
        raise RuleViolation(_("The target level must be from 1 to 5."), field="target_level")
    creating = project is None
    project = project or Project(organisation=organisation)
    project.name, project.description, project.target_level = name, description, target_level
    project.save()
    if team_user_ids is not None:
        allowed = set(
            organisation.memberships.filter(is_team_member=True, user_id__in=team_user_ids).values_list(
                "user_id", flat=True
            )
        )
        if allowed != set(team_user_ids):
            raise RuleViolation(_("Only the organisation's team members can join a project team."), field="team")
        project.team.set(allowed)
    audit.record(
        organisation=organisation,
        actor=actor,
        action="project.created" if creating else "project.changed",
        target=name,
        after={"target_level": target_level, "team": sorted(team_user_ids or [])},
    )
    return project
