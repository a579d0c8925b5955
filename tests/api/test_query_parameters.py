"""Every API endpoint that reads query parameters refuses unknown ones with a 400 naming the accepted ones,
and still answers the accepted ones (including paging and DRF's ?format=)."""

import pytest

from tests.api.error_shape import assert_error_shape

pytestmark = pytest.mark.django_db

# (path, accepted query, the parameters the 400 names, the answer to the accepted query)
ENDPOINTS = [
    ("/api/v1/assessments/", "project={project}&limit=5&offset=0", ["project", "limit", "offset"], 200),
    (
        "/api/v1/assessments/{assessment}/audit/",
        "since=2026-01-01&until=2026-12-31&limit=5",
        ["kind", "actor", "since", "until", "limit", "offset"],
        200,
    ),
    ("/api/v1/catalog/models/", "key=caict-devops&limit=1&format=json", ["key", "limit", "offset"], 200),
    ("/api/v1/assessments/{assessment}/report/", "reading=confirmed", ["reading"], 200),
    ("/api/v1/assessments/{assessment}/report.pdf", "reading=provisional&kind=report", ["reading", "kind"], 202),
    ("/api/v1/assessments/{assessment}/export/", "format=json", ["format"], 200),
    ("/api/v1/portfolio/", "organisation=acme&sort=name&below_target=true", ["organisation", "q", "sort"], 200),
    (
        "/api/v1/projects/{project}/metrics/",
        "period=month&start=2026-01-01&end=2026-03-31",
        ["period", "start", "end"],
        200,
    ),
]


def _url(path: str, query: str, assessment) -> str:
    values = {"project": assessment.project.pk, "assessment": assessment.pk}
    return path.format(**values) + "?" + query.format(**values)


@pytest.mark.parametrize(("path", "query", "accepted", "status"), ENDPOINTS, ids=[row[0] for row in ENDPOINTS])
def test_an_unknown_query_parameter_is_refused_naming_the_accepted_ones(
    api_as, manager, assessment, path, query, accepted, status
):
    response = api_as(manager).get(_url(path, "from=2026-01-01&to=2026-02-01", assessment))
    body = assert_error_shape(response, 400, "from", "to")
    message = body["errors"]["from"][0]
    assert all(name in message for name in accepted), message
    assert body["detail"].startswith("from: ")


@pytest.mark.parametrize(("path", "query", "accepted", "status"), ENDPOINTS, ids=[row[0] for row in ENDPOINTS])
def test_the_accepted_query_parameters_still_answer(api_as, manager, assessment, path, query, accepted, status):
    response = api_as(manager).get(_url(path, query, assessment))
    assert response.status_code == status, response.content


def test_one_unknown_parameter_among_accepted_ones_is_still_refused(api_as, manager, project):
    url = f"/api/v1/projects/{project.pk}/metrics/?period=week&from=2026-01-01"
    body = assert_error_shape(api_as(manager).get(url, HTTP_ACCEPT_LANGUAGE="en"), 400, "from")
    assert body["errors"] == {"from": ["Unknown query parameter. Accepted: period, start, end."]}
    chinese = api_as(manager).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["errors"] == {"from": ["未知的查询参数。可用参数：period, start, end。"]}


def test_the_schema_documents_the_accepted_parameters(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/projects/{project_id}/metrics/"]["get"]
    assert {"period", "start", "end"} <= {parameter["name"] for parameter in operation["parameters"]}
    catalog = schema["paths"]["/api/v1/catalog/models/"]["get"]
    assert {"key", "limit", "offset"} <= {parameter["name"] for parameter in catalog["parameters"]}
