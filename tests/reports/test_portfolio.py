"""The managers' portfolio: every project of their organisation, nothing of another; filters, sorting, drill-down;
and the managers' home page leads there."""

import pytest
from django.urls import reverse

from assessment.models import Project
from assessment.services.assessments import start_assessment
from tests.reports.conftest import answer, ladder

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(acme, assessment, team, caict):
    """Acme's Marketing platform (assessed, below target) plus Billing (level 2, its target) and Archive (none)."""
    organisation, _project = acme
    answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "met", "met"))
    billing = Project.objects.create(organisation=organisation, name="Billing", target_level=2)
    billing.team.add(team)
    other = start_assessment(project=billing, actor=team, target_level=2)
    from assessment.selectors.catalog import model_catalog

    codes = [node.code for node in model_catalog(caict).subitems if node.code.startswith("cd.")]
    answer(other, team, {f"{code}@{level}": "met" for code in codes for level in (1, 2)})
    Project.objects.create(organisation=organisation, name="Archive")
    return assessment, other


def test_manager_sees_every_project_with_levels_and_heat_map(client, manager, projects):
    client.force_login(manager)
    response = client.get(reverse("portfolio", args=("acme",)))
    assert response.status_code == 200
    portfolio = response.context["portfolio"]
    rows = {row.project.name: row for row in portfolio.rows}
    assert set(rows) == {"Archive", "Billing", "Marketing platform"}
    assert rows["Billing"].provisional.overall.notation == "2"
    assert rows["Marketing platform"].provisional.overall.notation == "0"
    assert rows["Marketing platform"].is_below_target and not rows["Billing"].is_below_target
    assert rows["Archive"].assessment is None and portfolio.unassessed == 1
    assert dict(portfolio.distribution)[2] == 1 and dict(portfolio.distribution)[0] == 1
    assert len(portfolio.subdomains) == 7 and [cell.notation for cell in rows["Billing"].cells] == ["2"] * 7
    assert rows["Marketing platform"].cells[0].notation == "0"
    html = response.content.decode()
    assert reverse("report", args=(projects[1].pk,)) in html  # drill down to the report


def test_filters_and_sorting(client, manager, projects):
    client.force_login(manager)
    url = reverse("portfolio", args=("acme",))

    def names(**params):
        return [row.project.name for row in client.get(url, params).context["portfolio"].rows]

    assert names(sort="-level") == ["Billing", "Marketing platform", "Archive"]
    assert names(sort="level") == ["Archive", "Marketing platform", "Billing"]
    assert names(below_target="1") == ["Marketing platform"]
    assert names(q="bill") == ["Billing"]
    assert names(state="draft") == ["Billing", "Marketing platform"]
    assert names(sort="nonsense", state="nonsense") == ["Archive", "Billing", "Marketing platform"]


def test_portfolio_shows_only_the_own_organisation(client, projects, outsider, django_user_model):
    from assessment.models import Membership, Organisation

    other = Organisation.objects.get(slug="other")
    boss = django_user_model.objects.create_user("boss")
    Membership.objects.create(organisation=other, user=boss, is_manager=True)
    client.force_login(boss)
    response = client.get(reverse("portfolio", args=("other",)))
    html = response.content.decode()
    assert [row.project.name for row in response.context["portfolio"].rows] == ["Mobile banking"]
    assert "Marketing platform" not in html and "Billing" not in html
    assert client.get(reverse("portfolio", args=("acme",))).status_code == 404


def test_team_members_and_assessors_are_refused(client, team, assessor, projects):
    for person in (team, assessor):
        client.force_login(person)
        assert client.get(reverse("portfolio", args=("acme",))).status_code == 403


def test_managers_home_page_leads_to_the_portfolio(client, manager, acme):
    client.force_login(manager)
    assert reverse("portfolio", args=("acme",)) in client.get("/").content.decode()


def test_portfolio_costs_the_same_queries_for_5_and_50_projects(client, manager, caict, team, acme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation, _project = acme

    def add_projects(count: int, start: int) -> None:
        for index in range(start, start + count):
            project = Project.objects.create(organisation=organisation, name=f"Project {index:02}")
            project.team.add(team)
            assessment = start_assessment(project=project, actor=team, target_level=3)
            answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "partly"))

    client.force_login(manager)
    url = reverse("portfolio", args=("acme",))
    add_projects(5, 0)
    client.get(url)  # session and the catalogue warm
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_projects(45, 5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["portfolio"].rows) == 51
    assert len(small) == len(large) <= 10, [query["sql"][:120] for query in large.captured_queries]
