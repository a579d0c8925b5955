"""Organisation admin pages, projects: creating and editing them and their teams."""

import pytest
from django.urls import reverse

from assessment.models import Project

from .organisation_pages import ENGLISH, page, project_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def test_admin_lists_projects_with_their_teams(admin_client, team, project, outsider):
    body = page(admin_client.get(reverse("organisation-projects", args=["acme"]), headers=ENGLISH))
    assert "Marketing platform" in body and "team" in body
    assert "Mobile banking" not in body


def test_admin_creates_a_project_with_a_team(admin_client, team):
    response = admin_client.post(reverse("organisation-project-add", args=["acme"]), project_form(team=[str(team.pk)]))
    assert response.status_code == 302 and response.url == reverse("organisation-projects", args=["acme"])
    billing = Project.objects.get(organisation__slug="acme", name="Billing")
    assert billing.target_level == 4 and billing.description == "Invoices\nand payments"
    assert list(billing.team.all()) == [team]


def test_admin_edits_a_project(admin_client, team, project):
    url = reverse("organisation-project", args=["acme", project.pk])
    form = page(admin_client.get(url))
    assert 'value="Marketing platform"' in form and f'value="{team.pk}" id="id_team_0" checked' in form
    response = admin_client.post(url, project_form(name="Marketing platform", target_level="5"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.target_level == 5 and list(project.team.all()) == []


def test_a_duplicate_project_name_is_refused_at_the_field_and_the_input_is_kept(admin_client, project):
    response = admin_client.post(
        reverse("organisation-project-add", args=["acme"]), project_form(name="Marketing platform"), headers=ENGLISH
    )
    body = page(response)
    assert response.context["form"].errors == {"name": ["A project with this name exists already."]}
    assert 'id="id_name_error"' in body and "Invoices\nand payments</textarea>" in body
    assert Project.objects.filter(organisation__slug="acme").count() == 1


def test_renaming_a_project_to_another_ones_name_is_refused(admin_client, acme, project):
    other = Project.objects.create(organisation=acme[0], name="Billing")
    url = reverse("organisation-project", args=["acme", other.pk])
    response = admin_client.post(url, project_form(name="Marketing platform"), headers=ENGLISH)
    assert response.context["form"].errors == {"name": ["A project with this name exists already."]}
    assert "Edit project Billing" in page(response)
    other.refresh_from_db()
    assert other.name == "Billing"


@pytest.mark.parametrize("persona", ["assessor", "manager", "orgadmin", "outsider"])
def test_a_project_team_holds_only_the_organisations_team_members(admin_client, team, request, persona):
    person = request.getfixturevalue(persona)
    response = admin_client.post(
        reverse("organisation-project-add", args=["acme"]), project_form(team=[str(team.pk), str(person.pk)])
    )
    assert list(response.context["form"].errors) == ["team"]
    assert not Project.objects.filter(name="Billing").exists()


def test_the_team_choices_are_the_organisations_team_members(admin_client, team, assessor, outsider):
    form = page(admin_client.get(reverse("organisation-project-add", args=["acme"])))
    assert f'name="team" value="{team.pk}"' in form
    assert f'name="team" value="{assessor.pk}"' not in form and f'name="team" value="{outsider.pk}"' not in form
