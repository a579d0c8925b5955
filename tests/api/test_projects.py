"""Projects over the API: only the caller's organisations' projects, read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Project
from tests.api.error_shape import assert_error_shape

pytestmark = pytest.mark.django_db


def test_team_member_lists_and_reads_their_organisations_projects(api_as, team, project):
    listed = api_as(team).get("/api/v1/projects/").json()
    assert listed["count"] == 1
    assert listed["results"][0] == {
        "id": project.pk,
        "name": "Marketing platform",
        "description": "",
        "target_level": 3,
        "organisation": {"slug": "acme", "name": "Acme Telecom"},
        "team": ["team"],
    }
    detail = api_as(team).get(f"/api/v1/projects/{project.pk}/")
    assert detail.status_code == 200 and detail.json() == listed["results"][0]


@pytest.mark.parametrize("persona", ["assessor", "manager", "orgadmin", "bystander"])
def test_every_member_reads_projects_they_are_not_on(api_as, project, persona, request):
    user = request.getfixturevalue(persona)
    assert [row["id"] for row in api_as(user).get("/api/v1/projects/").json()["results"]] == [project.pk]
    assert api_as(user).get(f"/api/v1/projects/{project.pk}/").status_code == 200


def test_outsider_sees_nothing_of_acme(api_as, outsider, team, project):
    listed = api_as(outsider).get("/api/v1/projects/").json()
    assert [row["organisation"]["slug"] for row in listed["results"]] == ["other"]
    assert_error_shape(api_as(outsider).get(f"/api/v1/projects/{project.pk}/"), 404)


def test_people_without_an_organisation_see_no_projects(api_as, alice, project):
    assert api_as(alice).get("/api/v1/projects/").json()["results"] == []
    assert_error_shape(api_as(alice).get(f"/api/v1/projects/{project.pk}/"), 404)


@pytest.mark.parametrize("project_id", [999999, 2**70])
def test_unknown_project_is_a_json_404(api_as, team, project_id):
    assert_error_shape(api_as(team).get(f"/api/v1/projects/{project_id}/"), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_projects_are_read_only_here(api_as, orgadmin, project, method):
    url = "/api/v1/projects/" if method == "post" else f"/api/v1/projects/{project.pk}/"
    response = getattr(api_as(orgadmin), method)(url, {"name": "Renamed"}, format="json")
    assert_error_shape(response, 405)
    assert Project.objects.get(pk=project.pk).name == "Marketing platform"


def test_listing_costs_the_same_for_one_project_or_many(api_as, team, acme):
    organisation, _project = acme
    client = api_as(team)
    client.get("/api/v1/projects/")  # warm the token and membership lookups alike
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/projects/").json()["results"]) == 1
    for number in range(6):
        Project.objects.create(organisation=organisation, name=f"Service {number}").team.add(team)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/projects/").json()["results"]) == 7
    assert len(one) == len(many) <= 5


@pytest.mark.parametrize("query", [{"limit": 10**30}, {"offset": 10**30}, {"limit": -1}, {"limit": "many"}])
def test_paging_numbers_never_reach_the_database_unchecked(api_as, team, assessment, query):
    for path in ("projects/", "assessments/", f"assessments/{assessment.pk}/evidence/", "catalog/models/"):
        response = api_as(team).get(f"/api/v1/{path}", query)
        assert response.status_code == 200, (path, response.content)
