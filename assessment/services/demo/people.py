"""The demo's organisations, people and projects: the personas of DESIGN.md §8, who sign in with the demo
password, and their colleagues, who fill the project teams but cannot sign in. Demo only: every password is
demo12345."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from assessment.models import Membership, Organisation, Project
from assessment.services.demo.projects import DEMO_PROJECTS
from assessment.services.demo.story import DemoProject
from assessment.services.tenancy import add_member, save_project

DEMO_PASSWORD = "demo12345"  # noqa: S105 - published demo credential, never used outside demo data
DEMO_ORGANISATIONS = {"demo-telecom": "示例电信 Demo Telecom", "demo-bank": "示例银行 Demo Bank"}
DEMO_USERS = [
    # username, family name, given name, organisation, roles
    ("team", "Tian", "Mei", "demo-telecom", {"is_team_member": True}),
    ("assessor", "Zhao", "Lei", "demo-telecom", {"is_assessor": True}),
    ("manager", "Qian", "Hui", "demo-telecom", {"is_manager": True}),
    ("orgadmin", "Sun", "Yan", "demo-telecom", {"is_admin": True}),
    ("outsider", "Li", "Wen", "demo-bank", {"is_team_member": True, "is_admin": True}),
]
# Team members of Demo Telecom who never sign in (no password): they make the teams the size real ones are.
COLLEAGUES = [
    ("wang.fang", "Wang", "Fang"),
    ("li.na", "Li", "Na"),
    ("zhang.wei", "Zhang", "Wei"),
    ("liu.yang", "Liu", "Yang"),
    ("chen.jing", "Chen", "Jing"),
    ("yang.lei", "Yang", "Lei"),
    ("huang.min", "Huang", "Min"),
    ("zhou.tao", "Zhou", "Tao"),
    ("wu.xia", "Wu", "Xia"),
    ("xu.bin", "Xu", "Bin"),
    ("ma.chao", "Ma", "Chao"),
    ("zhu.hong", "Zhu", "Hong"),
    ("hu.jun", "Hu", "Jun"),
    ("guo.qiang", "Guo", "Qiang"),
]


@dataclass
class People:
    users: dict  # username → user
    projects: dict[str, Project]  # name → project

    def __getitem__(self, username: str):
        return self.users[username]


def seed_people() -> tuple[list[str], People]:
    """Creates what is missing of the organisations, personas, colleagues and projects; returns what it did."""
    lines = []
    organisations = {
        slug: Organisation.objects.update_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in DEMO_ORGANISATIONS.items()
    }
    users = {}
    for username, last_name, first_name, organisation_slug, roles in DEMO_USERS:
        users[username], created = _persona(username, last_name, first_name)
        Membership.objects.update_or_create(
            organisation=organisations[organisation_slug], user=users[username], defaults=roles
        )
        roles_shown = ", ".join(name.removeprefix("is_").removesuffix("_member") for name in roles)
        lines.append(f"{'created' if created else 'kept'} {username} ({roles_shown} in {organisation_slug})")
    users |= _colleagues(organisations["demo-telecom"], users["orgadmin"])
    projects = {
        spec.name: _project(organisations[spec.organisation], spec, users, users[spec.admin]) for spec in DEMO_PROJECTS
    }
    return lines, People(users, projects)


def _persona(username: str, last_name: str, first_name: str):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.com"},
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def _colleagues(organisation: Organisation, admin) -> dict:
    """Added by the organisation admin as any member is; without an email, so no invitation goes out."""
    users = {}
    for username, last_name, first_name in COLLEAGUES:
        membership = organisation.memberships.filter(user__username=username).select_related("user").first()
        if membership is None:
            membership = add_member(organisation=organisation, username=username, email="", roles=["team"], actor=admin)
            # People name themselves (Django's account pages); no service of ours sets a name.
            membership.user.first_name, membership.user.last_name = first_name, last_name
            membership.user.save(update_fields=["first_name", "last_name"])
        users[username] = membership.user
    return users


def _project(organisation: Organisation, spec: DemoProject, users: dict, admin) -> Project:
    project = organisation.projects.filter(name=spec.name).first()
    if project is not None:
        return project
    return save_project(
        organisation=organisation,
        actor=admin,
        name=spec.name,
        description=spec.description,
        target_level=spec.target,
        team_user_ids=[users[username].pk for username in spec.team],
    )
