"""Where each demo persona goes, found in the database (whatever the demo creates), for the browser tour.

A route is a list of stops; each stop names the earlier stop whose page links to it, so the tour checks that a
person could have got there by clicking.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.urls import reverse

from assessment.models import Answer, Assessment, AssessmentState, Membership, Project, SubDomain
from assessment.models.assessments import TEAM_EDITABLE_STATES
from assessment.selectors.review import REVIEW_STATES, review_queue


@dataclass(frozen=True)
class Stop:
    name: str  # in the screenshot's file name: persona-name-language.png
    url: str
    linked_from: str | None  # the name of an earlier stop whose page links here
    headings: dict[str, str]  # language → what the page's main heading starts with
    labels: dict[str, list[str]] = field(default_factory=dict)  # language → texts a person would look for


def first_when(condition: Q):
    """An ordering that puts the rows meeting the condition first."""
    return ExpressionWrapper(condition, output_field=BooleanField()).desc()


def heading(english: str, chinese: str) -> dict[str, str]:
    return {"en": english, "zh": chinese}


def route_for(user) -> list[Stop]:
    """The pages this persona reaches from their home page, in the order a person would click through them."""
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    stops = [
        Stop(
            "home",
            "/",
            None,
            heading("Welcome, ", "欢迎，"),
            {"en": ["Projects of your organisations"], "zh": ["我所在组织的项目"]},
        )
    ]
    if any(membership.is_assessor for membership in memberships):
        stops += review_stops(user, memberships)
    for membership in memberships:
        if membership.is_manager or membership.is_admin:
            stops += overseeing_stops(membership.organisation)
            break
    project = main_project(user)
    if project is not None:
        stops += project_stops(project)
    questionnaire = questionnaire_assessment(user)
    if questionnaire is not None:
        stops += questionnaire_stops(questionnaire, already=stops)
    return stops


def main_project(user) -> Project | None:
    """The person's own project (any of their organisation's when they are on no team), with the most history."""
    visible = Project.objects.filter(organisation__memberships__user=user)
    on_team = visible.filter(team=user)
    candidates = on_team if on_team.exists() else visible
    published = Count("assessments", filter=Q(assessments__state=AssessmentState.PUBLISHED), distinct=True)
    return (
        candidates.annotate(published=published, total=Count("assessments", distinct=True))
        .order_by("-published", "-total", "name")
        .first()
    )


def project_stops(project: Project) -> list[Stop]:
    stops = [
        project_stop_of(project, "project"),
        Stop(
            "metrics",
            reverse("project-metrics", args=[project.pk]),
            "project",
            heading("Delivery metrics", "交付度量"),
        ),
        Stop(
            "trends",
            reverse("trends", args=[project.pk]),
            "project",
            heading("Trends", "趋势"),
            {"en": ["Published assessments over time."], "zh": ["历次已发布的评估。"]},
        ),
    ]
    reported = project.assessments.order_by(
        first_when(Q(state=AssessmentState.PUBLISHED)), "-published_at", "-created_at"
    ).first()
    if reported is not None:
        stops.append(
            Stop(
                "report",
                reverse("report", args=[reported.pk]),
                "project",
                heading("Level report", "等级报告"),
                {"en": ["Levels by part and sub-domain"], "zh": ["各能力域和能力子域的等级"]},
            )
        )
    return stops


def overseeing_stops(organisation) -> list[Stop]:
    return [
        Stop(
            "portfolio",
            reverse("portfolio", args=[organisation.slug]),
            "home",
            heading("Portfolio", "项目总览"),
            {"en": ["Projects per level"], "zh": ["各等级的项目数"]},
        ),
        Stop(
            "organisation-metrics",
            reverse("organisation-metrics", args=[organisation.slug]),
            "home",
            heading("Delivery metrics", "交付度量"),
        ),
    ]


def review_stops(user, memberships: list[Membership]) -> list[Stop]:
    """The review queue from the menu, then one assessment's review page: from the queue when one waits there,
    else (a published one) from its overview."""
    organisation_ids = [membership.organisation_id for membership in memberships if membership.is_assessor]
    queue = review_queue(user, organisation_ids).first()
    stops = [Stop("review-queue", reverse("review-queue"), "home", heading("Review queue", "评审队列"))]
    reviewed = queue or (
        Assessment.objects.filter(organisation_id__in=organisation_ids)
        .exclude(state=AssessmentState.DRAFT)
        .order_by(first_when(Q(state__in=REVIEW_STATES)), "-created_at")
        .first()
    )
    if reviewed is None:
        return stops
    linked_from = "review-queue"
    if queue is None:
        stops += [
            project_stop_of(reviewed.project, "review-project"),
            overview_stop(reviewed, "review-overview", "review-project"),
        ]
        linked_from = "review-overview"
    review_heading = heading(f"Review of assessment #{reviewed.pk}", f"评审评估 #{reviewed.pk}")
    return [*stops, Stop("review", reverse("review", args=[reviewed.pk]), linked_from, review_heading)]


def questionnaire_assessment(user) -> Assessment | None:
    """The assessment whose questionnaire the person would open: a team member's own editable one first, with the
    most answers."""
    visible = Assessment.objects.filter(organisation__memberships__user=user)
    mine = visible.filter(project__team=user)
    candidates = mine if mine.exists() else visible
    return (
        candidates.annotate(answer_count=Count("answers", distinct=True))
        .order_by(first_when(Q(state__in=TEAM_EDITABLE_STATES)), "-answer_count", "-created_at")
        .first()
    )


def questionnaire_stops(assessment: Assessment, *, already: list[Stop]) -> list[Stop]:
    """The assessment's overview from its project page, then its busiest sub-domain from the overview."""
    project_url = reverse("project", args=[assessment.project_id])
    stops = []
    project_stop = next((stop.name for stop in already if stop.url == project_url), None)
    if project_stop is None:
        project_stop = "questionnaire-project"
        stops.append(project_stop_of(assessment.project, project_stop))
    stops.append(overview_stop(assessment, "overview", project_stop))
    subdomain = busiest_subdomain(assessment)
    url = reverse("questionnaire", args=[assessment.pk, subdomain.code])
    stops.append(Stop("questionnaire", url, "overview", heading(subdomain.name_en, subdomain.name_zh)))
    return stops


def project_stop_of(project: Project, name: str) -> Stop:
    return Stop(name, reverse("project", args=[project.pk]), "home", heading(project.name, project.name))


def overview_stop(assessment: Assessment, name: str, linked_from: str) -> Stop:
    url = reverse("assessment-overview", args=[assessment.pk])
    return Stop(name, url, linked_from, heading(f"Assessment #{assessment.pk}", f"评估 #{assessment.pk}"))


def busiest_subdomain(assessment: Assessment) -> SubDomain:
    """The sub-domain with the most answers (the first in scope when nothing is answered yet)."""
    busiest = (
        Answer.objects.filter(assessment=assessment)
        .values("criterion__subitem__item__subdomain")
        .annotate(answers=Count("pk"))
        .order_by("-answers")
        .first()
    )
    if busiest is not None:
        return SubDomain.objects.get(pk=busiest["criterion__subitem__item__subdomain"])
    return SubDomain.objects.filter(part__in=assessment.parts.all()).order_by("part__number", "position").first()
