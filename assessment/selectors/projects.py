"""Reads for project pages and people's home pages."""

from django.db.models import Count, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from assessment.access import Action, can, memberships
from assessment.models import Answer, Assessment, Criterion, Part, Project
from assessment.selectors.catalog import current_model
from assessment.selectors.questionnaire import Progress
from assessment.selectors.review import review_queue


def assessable_part_choices() -> list[tuple[str, str]]:
    model = current_model()
    if model is None:
        return []
    return [
        (part.code, f"{part.number} {part.name}") for part in model.parts.filter(status="assessable").order_by("number")
    ]


class _Count(Func):
    """COUNT(*) of a subquery's rows without GROUP BY, so it yields exactly one row."""

    function = "COUNT"
    template = "%(function)s(*)"
    output_field = IntegerField()

    def __init__(self):
        super().__init__()


def _count(queryset: QuerySet) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().annotate(count=_Count()).values("count")[:1]), 0)


def with_progress(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Adds `answered_count` and `required_count`: criteria up to the target level of the parts in scope."""
    parts_in_scope = Assessment.parts.through.objects.filter(assessment_id=OuterRef(OuterRef("pk"))).values("part_id")
    required = Criterion.objects.filter(
        model_id=OuterRef("model_id"),
        level__lte=OuterRef("target_level"),
        subitem__item__subdomain__part__in=parts_in_scope,
    )
    # Answers only ever exist for criteria of the parts in scope (services.assessments.save_answers).
    answered = Answer.objects.filter(assessment_id=OuterRef("pk"), criterion__level__lte=OuterRef("target_level"))
    return (
        queryset.select_related("model", "created_by", "assessor")
        .prefetch_related(Prefetch("parts", queryset=Part.objects.only("pk", "code", "number").order_by("number")))
        .annotate(required_count=_count(required), answered_count=_count(answered))
    )


def with_progress_objects(assessments) -> list[Assessment]:
    """The assessments with `progress` (a Progress) from the annotation, for templates."""
    assessments = list(assessments)
    for assessment in assessments:
        assessment.progress = Progress(assessment.answered_count, assessment.required_count)
    return assessments


def project_page(user, project: Project, start_form) -> dict:
    assessments = with_progress_objects(with_progress(project.assessments.all()).order_by("-created_at"))
    return {
        "project": project,
        "assessments": assessments,
        "team": list(project.team.order_by("username")),
        "can_work": can(user, Action.WORK, project),
        "can_administer": can(user, Action.ADMINISTER, project),
        "start_form": start_form,
    }


def home_page(user) -> dict:
    """What each person sees first: their projects and open assessments, or the organisations they run."""
    member_of = list(memberships(user))
    team_projects = list(
        Project.objects.filter(team=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("assessments", queryset=with_progress(Assessment.objects.all()).order_by("-created_at"))
        )
        .order_by("organisation__name", "name")
    )
    for project in team_projects:
        with_progress_objects(project.assessments.all())
    organisation_ids = [membership.organisation_id for membership in member_of]
    organisation_projects = (
        Project.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation")
        .annotate(assessment_count=Count("assessments"))
        .order_by("organisation__name", "name")
    )
    assessing = [membership.organisation_id for membership in member_of if membership.is_assessor]
    return {
        "memberships": member_of,
        "is_assessor": bool(assessing),
        "review_queue": list(review_queue(user, assessing)[:10]) if assessing else [],
        "team_projects": team_projects,
        "organisation_projects": list(organisation_projects),
        "administers": [membership.organisation for membership in member_of if membership.is_admin],
    }
