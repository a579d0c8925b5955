"""Demo data for trying the app: the personas of DESIGN.md §8. Demo only: every password is demo12345."""

from django.contrib.auth import get_user_model
from django.db import transaction

from assessment.models import DecisionValue, Membership, Organisation, Project
from assessment.selectors.catalog import current_model
from assessment.services.assessments import AnswerInput, required_criteria, save_answers, start_assessment
from assessment.services.lifecycle import transition
from assessment.services.review import DecisionInput, decide_many

DEMO_PASSWORD = "demo12345"  # noqa: S105 - published demo credential, never used outside demo data
DEMO_USERS = [
    # username, family name, given name, organisation, roles
    ("team", "Tian", "Mei", "demo-telecom", {"is_team_member": True}),
    ("assessor", "Zhao", "Lei", "demo-telecom", {"is_assessor": True}),
    ("manager", "Qian", "Hui", "demo-telecom", {"is_manager": True}),
    ("orgadmin", "Sun", "Yan", "demo-telecom", {"is_admin": True}),
    ("outsider", "Li", "Wen", "demo-bank", {"is_team_member": True, "is_admin": True}),
]
DEMO_ORGANISATIONS = {"demo-telecom": "示例电信 Demo Telecom", "demo-bank": "示例银行 Demo Bank"}
DEMO_PROJECTS = [
    ("demo-telecom", "营销平台 Marketing platform", "Part 3 assessment towards level 3 (全面级).", 3, ["team"]),
    ("demo-telecom", "客服系统 Customer service system", "Second project of the organisation.", 3, ["team"]),
    (
        "demo-bank",
        "手机银行 Mobile banking",
        "Another organisation's project: invisible to Demo Telecom.",
        3,
        ["outsider"],
    ),
]


@transaction.atomic
def seed_demo() -> list[str]:
    """Creates or refreshes the demo organisations, users, projects and a started assessment."""
    lines = []
    organisations = {
        slug: Organisation.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in DEMO_ORGANISATIONS.items()
    }
    users = {}
    for username, last_name, first_name, organisation_slug, roles in DEMO_USERS:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.com"},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(organisation=organisations[organisation_slug], user=user, defaults=roles)
        users[username] = user
        roles_shown = ", ".join(name.removeprefix("is_").removesuffix("_member") for name in roles)
        lines.append(f"{'created' if created else 'kept'} {username} ({roles_shown} in {organisation_slug})")
    for organisation_slug, name, description, target, team in DEMO_PROJECTS:
        project, _ = Project.objects.update_or_create(
            organisation=organisations[organisation_slug],
            name=name,
            defaults={"description": description, "target_level": target},
        )
        project.team.set([users[username] for username in team])
    _demo_assessment(users["team"], Project.objects.get(organisation__slug="demo-telecom", name=DEMO_PROJECTS[0][1]))
    _demo_published(users, Project.objects.get(organisation__slug="demo-telecom", name=DEMO_PROJECTS[1][1]))
    return lines


def _demo_assessment(team_member, project: Project) -> None:
    """A draft Part 3 assessment with configuration management answered, so the questionnaire has something."""
    if project.assessments.exists() or current_model() is None:
        return
    assessment = start_assessment(project=project, actor=team_member, target_level=3)
    answers = [
        AnswerInput(criterion=f"{code}@{level}", value=value, comment="")
        for code, values in {
            "cd.cm.vc.vcs": ["met", "met", "met", "partly"],
            "cd.cm.vc.branch": ["met", "met", "partly"],
            "cd.cm.vc.artifact": ["met", "met", "met"],
            "cd.cm.vc.ssot": ["met", "met", "not_met"],
        }.items()
        for level, value in enumerate(values, start=1)
    ]
    save_answers(assessment=assessment, items=answers, actor=team_member)


def _demo_published(users: dict, project: Project) -> None:
    """A reviewed and published assessment (target level 2), so confirmed levels and reports have something."""
    if project.assessments.exists() or current_model() is None:
        return
    team_member, assessor = users["team"], users["assessor"]
    assessment = start_assessment(project=project, actor=team_member, target_level=2)
    criteria = list(required_criteria(assessment).order_by("code"))
    # Two sub-items stay partly at level 2, so the published result shows the CAICT "2-" notation.
    partly = {"cd.tm.auto.execution@2", "cd.data.test.coverage@2"}
    save_answers(
        assessment=assessment,
        actor=team_member,
        items=[AnswerInput(c.code, "partly" if c.code in partly else "met") for c in criteria],
    )
    transition(assessment=assessment, move_name="submit", actor=team_member)
    assessment = transition(assessment=assessment, move_name="start_review", actor=assessor)
    decide_many(
        assessment=assessment,
        items=[DecisionInput(c, DecisionValue.ACCEPTED) for c in criteria],
        actor=assessor,
    )
    transition(assessment=assessment, move_name="complete_review", actor=assessor)
    transition(assessment=assessment, move_name="publish", actor=assessor)
