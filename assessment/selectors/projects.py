"""Reads for project pages and people's home pages."""

from django.db.models import Count, Prefetch

from assessment.access import Action, can, memberships
from assessment.models import Assessment, Project
from assessment.selectors.catalog import current_model
from assessment.selectors.questionnaire import Progress, progress_by_subdomain


def assessable_part_choices() -> list[tuple[str, str]]:
    model = current_model()
    if model is None:
        return []
    return [
        (part.code, f"{part.number} {part.name}") for part in model.parts.filter(status="assessable").order_by("number")
    ]


def assessment_progress(assessment: Assessment) -> Progress:
    progress = progress_by_subdomain(assessment).values()
    return Progress(sum(p.answered for p in progress), sum(p.required for p in progress))


def project_page(user, project: Project, start_form) -> dict:
    assessments = list(project.assessments.select_related("model", "created_by").prefetch_related("parts"))
    for assessment in assessments:
        assessment.progress = assessment_progress(assessment)
    return {
        "project": project,
        "assessments": assessments,
        "team": list(project.team.order_by("username")),
        "can_work": can(user, Action.WORK, project),
        "start_form": start_form,
    }


def home_page(user) -> dict:
    """What each person sees first: their projects and open assessments, or the organisations they run."""
    member_of = list(memberships(user))
    team_projects = list(
        Project.objects.filter(team=user)
        .select_related("organisation")
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.order_by("-created_at")))
        .order_by("organisation__name", "name")
    )
    for project in team_projects:
        for assessment in project.assessments.all()[:3]:
            assessment.progress = assessment_progress(assessment)
    organisation_ids = [membership.organisation_id for membership in member_of]
    organisation_projects = (
        Project.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation")
        .annotate(assessment_count=Count("assessments"))
        .order_by("organisation__name", "name")
    )
    return {
        "memberships": member_of,
        "team_projects": team_projects,
        "organisation_projects": list(organisation_projects),
        "administers": [membership.organisation for membership in member_of if membership.is_admin],
    }
