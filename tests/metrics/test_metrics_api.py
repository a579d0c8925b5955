"""GET /api/v1/projects/{id}/metrics/: figures per period for CI scripts and portals, with the API's error shape."""

import pytest

from tests.api.error_shape import assert_error_shape
from tests.metrics.figure_events import hand_checked_week

pytestmark = pytest.mark.django_db

WEEK_OF_NOVEMBER_2 = "period=week&start=2026-11-02&end=2026-11-08"


def _url(project, query: str = "") -> str:
    return f"/api/v1/projects/{project.pk}/metrics/" + (f"?{query}" if query else "")


def test_a_member_reads_a_weeks_figures_with_their_bands(api_as, manager, project):
    hand_checked_week(project)
    response = api_as(manager).get(_url(project, WEEK_OF_NOVEMBER_2))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == "week" and body["time_zone"] == "Asia/Shanghai"
    assert body["bands"]["year"] == 2023 and body["test_coverage"] is None
    (week,) = body["periods"]
    assert (week["start"], week["end"], week["complete"]) == ("2026-11-02", "2026-11-08", True)
    assert week["deployments"] == 7 and week["changes"] == 4 and week["builds"] == 6
    assert week["change_fail_rate"] == pytest.approx(3 / 7)
    assert week["lead_time_median_hours"] == pytest.approx(23)
    assert week["bands"] == {
        "deployment_frequency_per_week": "high",
        "lead_time_median_hours": "elite",
        "change_fail_rate": "low",
        "recovery_median_hours": "high",
    }


def test_by_default_the_recent_periods_up_to_the_current_one(api_as, team, project):
    body = api_as(team).get(_url(project, "period=month")).json()
    assert len(body["periods"]) == 12
    assert body["periods"][-1]["complete"] is False
    assert all(period["deployments"] == 0 and period["lead_time_median_hours"] is None for period in body["periods"])


def test_the_test_coverage_comes_from_scored_evidence(api_as, team, assessment):
    from assessment.models import Evidence

    Evidence.objects.create(
        organisation=assessment.organisation,
        assessment=assessment,
        source="file",
        name="coverage.xml",
        sha256="0" * 64,
        uploaded_by=team,
        status="scored",
        kind="cobertura",
        facts={"coverage.line_rate": 0.83},
    )
    body = api_as(team).get(_url(assessment.project)).json()
    assert body["test_coverage"]["line_rate"] == 0.83


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=year", "period"),
        ("start=yesterday", "start"),
        ("end=2026-13-01", "end"),
        ("start=2026-11-09&end=2026-11-02", "start"),
        ("start=2792-02-23", "start"),  # after today, the default end
        ("period=week&start=1990-01-01&end=2026-11-02", "start"),
    ],
)
def test_bad_parameters_are_400_with_the_error_shape(api_as, team, project, query, field):
    assert_error_shape(api_as(team).get(_url(project, query)), 400, field)


def test_outsiders_get_404(api_as, outsider, project):
    assert_error_shape(api_as(outsider).get(_url(project)), 404)


def test_anonymous_callers_get_401(api_as, project):
    assert_error_shape(api_as(None).get(_url(project)), 401)


def test_the_query_count_does_not_grow_with_the_data(api_as, team, project, django_assert_max_num_queries):
    client = api_as(team)
    client.get(_url(project, WEEK_OF_NOVEMBER_2))
    with django_assert_max_num_queries(8) as few:
        client.get(_url(project, WEEK_OF_NOVEMBER_2))
    hand_checked_week(project)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_url(project, WEEK_OF_NOVEMBER_2)).status_code == 200


def test_the_endpoint_is_in_the_openapi_schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    operation = paths["/api/v1/projects/{project_id}/metrics/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"period", "start", "end"}
