"""The read-only catalogue API, its OpenAPI schema and docs, and the error shape."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.services.catalog import load_catalog
from tests.assessment.test_catalog_loader import SAMPLE

pytestmark = pytest.mark.django_db


def test_models_list_is_nested_down_to_criteria(client, caict):
    response = client.get("/api/v1/catalog/models/")
    assert response.status_code == 200
    model = response.json()["results"][0]
    assert (model["key"], model["version"]) == ("caict-devops", "2021.1")
    assert [level["name_zh"] for level in model["levels"]] == [
        "初始级",
        "基础级",
        "全面级",
        "优秀级",
        "卓越级",
    ]
    part = next(part for part in model["parts"] if part["code"] == "cd")
    assert len(part["subdomains"]) == 7
    subitems = [subitem for sd in part["subdomains"] for item in sd["items"] for subitem in item["subitems"]]
    assert len(subitems) == 49
    criteria = [criterion for subitem in subitems for criterion in subitem["criteria"]]
    assert len(criteria) == 245
    feedback = next(c for c in criteria if c["code"] == "cd.bci.ci.feedback@4")
    assert feedback["level"] == 4 and feedback["text_zh"] and feedback["text_en"]
    assert feedback["checks"][0]["fact"] == "ci.feedback_minutes"


def test_model_detail_and_key_filter(client, caict):
    load_catalog(source=SAMPLE.read_bytes())
    listed = client.get("/api/v1/catalog/models/", {"key": "acme-platform"}).json()
    assert [model["key"] for model in listed["results"]] == ["acme-platform"]
    detail = client.get(f"/api/v1/catalog/models/{caict.pk}/").json()
    assert detail["id"] == caict.pk and len(detail["parts"]) == 8


def test_models_list_costs_a_fixed_number_of_queries(client, caict):
    with CaptureQueriesContext(connection) as one_model:
        client.get("/api/v1/catalog/models/")
    load_catalog(source=SAMPLE.read_bytes())
    with CaptureQueriesContext(connection) as two_models:
        client.get("/api/v1/catalog/models/")
    assert len(one_model) == len(two_models) <= 9


def test_unknown_model_is_a_json_404(client, caict):
    response = client.get("/api/v1/catalog/models/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No MaturityModel matches the given query.", "errors": {}}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_catalogue_cannot_be_written_over_the_api(client, caict, method):
    response = getattr(client, method)(f"/api/v1/catalog/models/{caict.pk}/", {}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert set(response.json()) == {"detail", "errors"}


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert schema.status_code == 200
    assert "/api/v1/catalog/models/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
