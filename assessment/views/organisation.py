"""Organisation admin pages: members and their roles, projects and their teams. For the organisation's admins only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.access import Action, access_organisation, access_project
from assessment.forms.organisation import MemberAddForm, MemberRolesForm, ProjectForm, show_violation
from assessment.models import Membership, Organisation, Project
from assessment.selectors import organisation as selectors
from assessment.services import tenancy
from assessment.services.exceptions import RuleViolation


def _administered(request, slug: str) -> Organisation:
    return access_organisation(request.user, slug, action=Action.ADMINISTER)


def _membership(organisation: Organisation, membership_id: int) -> Membership:
    membership = selectors.member(organisation, membership_id)
    if membership is None:
        raise Http404(_("Not found."))
    return membership


def _next_page(request, membership: Membership, *, still_admin: bool) -> str:
    """Back to the member list, or home when admins have just taken themselves out of the admin pages."""
    if membership.user_id == request.user.pk and not still_admin:
        return reverse("home")
    return reverse("organisation-members", args=[membership.organisation.slug])


def _submitted(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_GET
def member_list(request, slug: str):
    organisation = _administered(request, slug)
    context = {"organisation": organisation, "members": selectors.members(organisation)}
    return render(request, "organisation/member_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, slug: str):
    organisation = _administered(request, slug)
    form = MemberAddForm(_submitted(request))
    if form.is_bound and form.is_valid():
        try:
            membership = tenancy.add_member(organisation=organisation, actor=request.user, **form.cleaned_data)
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": membership.user.get_username()})
            return redirect("organisation-members", slug=organisation.slug)
    return render(request, "organisation/member_add.html", {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def member_roles(request, slug: str, membership_id: int):
    organisation = _administered(request, slug)
    membership = _membership(organisation, membership_id)
    form = MemberRolesForm(_submitted(request), initial={"roles": membership.roles})
    if form.is_bound and form.is_valid():
        try:
            tenancy.set_member_roles(membership=membership, roles=form.cleaned_data["roles"], actor=request.user)
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            messages.success(request, _("The roles of %(name)s were changed.") % {"name": membership.user})
            return redirect(_next_page(request, membership, still_admin=membership.is_admin))
    context = {"organisation": organisation, "membership": membership, "form": form}
    return render(request, "organisation/member_roles.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, slug: str, membership_id: int):
    """GET asks for confirmation; POST removes."""
    organisation = _administered(request, slug)
    membership = _membership(organisation, membership_id)
    refusal = ""
    if request.method == "POST":
        try:
            tenancy.remove_member(membership=membership, actor=request.user)
        except RuleViolation as violation:
            refusal = violation.message
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": membership.user})
            return redirect(_next_page(request, membership, still_admin=False))
    context = {"organisation": organisation, "membership": membership, "refusal": refusal}
    return render(request, "organisation/member_remove.html", context)


@login_required
@require_POST
def member_invite(request, slug: str, membership_id: int):
    """Sends the set-your-password email again, for members whose first link expired unused."""
    organisation = _administered(request, slug)
    membership = _membership(organisation, membership_id)
    try:
        tenancy.send_invitation_again(membership=membership, actor=request.user)
    except RuleViolation as violation:
        messages.error(request, violation.message)
    else:
        messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": membership.user.email})
    return redirect("organisation-member", slug=organisation.slug, membership_id=membership.pk)


@login_required
@require_GET
def project_list(request, slug: str):
    organisation = _administered(request, slug)
    context = {"organisation": organisation, "projects": selectors.projects(organisation)}
    return render(request, "organisation/project_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_add(request, slug: str):
    return _project_form(request, _administered(request, slug), project=None)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug: str, project_id: int):
    project = access_project(request.user, project_id, action=Action.ADMINISTER)
    if project.organisation.slug != slug:
        raise Http404(_("Not found."))
    return _project_form(request, project.organisation, project=project)


def _project_form(request, organisation: Organisation, *, project: Project | None):
    """The create and edit pages share one form; the service checks the name and the team."""
    choices = [(user.pk, user.get_username()) for user in selectors.team_candidates(organisation)]
    form = ProjectForm(_submitted(request), initial=_project_initial(project), team_choices=choices)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            saved = tenancy.save_project(
                organisation=organisation,
                actor=request.user,
                project=project,
                name=data["name"],
                description=data["description"],
                target_level=data["target_level"],
                team_user_ids=data["team"],
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            messages.success(request, _("Project %(name)s was saved.") % {"name": saved.name})
            return redirect("organisation-projects", slug=organisation.slug)
    context = {"organisation": organisation, "project": project, "form": form}
    return render(request, "organisation/project_form.html", context)


def _project_initial(project: Project | None) -> dict:
    if project is None:
        return {}
    team = [user.pk for user in project.team.all()]
    return {
        "name": project.name,
        "description": project.description,
        "target_level": project.target_level,
        "team": team,
    }
