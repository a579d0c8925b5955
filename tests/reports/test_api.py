"""Reports over the API: report JSON, the PDF endpoint (202 while rendering, then the file), exports and the
portfolio, all in the OpenAPI schema, errors in the one JSON shape."""

import csv
import io

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.reports.conftest import answer, ladder, metric_snapshot

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_report_json_matches_the_levels_endpoint(assessment, team, manager):
    answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "na", "partly"))
    metric_snapshot(assessment, team, {"delivery.release_per_week": 4})
    client = api(manager)
    data = client.get(f"/api/v1/assessments/{assessment.pk}/report/").json()
    levels = client.get(f"/api/v1/assessments/{assessment.pk}/levels/").json()
    assert data["reading"] == "provisional" and data["overall"]["level"] == levels["parts"][0]["level"] == "0"
    assert data["subdomains"] == levels["subdomains"]
    assert data["heat"]["cd.cm.vc.vcs"] == ["met", "na", "partly", "unanswered", "unanswered"]
    backlog = [entry["criterion"] for entry in data["backlog"]]
    assert backlog[0] == "cd.cm.vc.branch@1" and "cd.cm.vc.vcs@3" in backlog  # lowest rungs first
    assert "cd.cm.vc.vcs@1" not in backlog
    assert data["coverage"]["answered"] == 3
    assert data["delivery"]["figures"] == {"delivery.release_per_week": 4.0}
    confirmed = client.get(f"/api/v1/assessments/{assessment.pk}/report/", {"reading": "confirmed"}).json()
    assert confirmed["reading"] == "confirmed" and confirmed["other"]["reading"] == "provisional"
    bad = client.get(f"/api/v1/assessments/{assessment.pk}/report/", {"reading": "whatever"})
    assert bad.status_code == 400 and set(bad.json()) == {"detail", "errors"}


def test_pdf_endpoint_answers_202_until_ready_then_the_file(assessment, manager, django_capture_on_commit_callbacks):
    from config.celery import app

    client = api(manager)
    url = f"/api/v1/assessments/{assessment.pk}/report.pdf"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False  # queued, not yet rendered: no worker picks it up in this test
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            pending = client.get(url)
    finally:
        app.conf.task_always_eager = previous
    assert pending.status_code == 202 and pending.json()["status"] == "pending" and len(callbacks) == 1
    app.conf.task_always_eager = True
    try:
        callbacks[0]()  # the task runs now, as a worker would
    finally:
        app.conf.task_always_eager = previous
    ready = client.get(url, headers={"accept": "application/pdf"})  # what a script asking for a PDF sends
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready.content.startswith(b"%PDF")


def test_export_formats(assessment, team, manager):
    answer(assessment, team, {"cd.cm.vc.vcs@1": "met"})
    client = api(manager)
    url = f"/api/v1/assessments/{assessment.pk}/export/"
    as_json = client.get(url, {"format": "json"}).json()
    assert set(as_json) == {"answers", "levels", "evidence"}
    assert next(row for row in as_json["answers"] if row["criterion"] == "cd.cm.vc.vcs@1")["answer"] == "met"
    as_csv = client.get(url, {"format": "csv"}, headers={"accept": "text/csv"})
    assert as_csv.content.startswith(b"\xef\xbb\xbf") and "版本控制系统" in as_csv.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0] == ["# answers"]
    assert client.get(url, {"format": "xlsx"}).content.startswith(b"PK")
    bad = client.get(url, {"format": "exe"})
    assert bad.status_code == 400 and set(bad.json()) == {"detail", "errors"}


def test_portfolio_for_managers_of_the_organisation_only(assessment, team, manager, assessor, outsider):
    answer(assessment, team, ladder("cd.cm.vc.vcs", "met"))
    data = api(manager).get("/api/v1/portfolio/", {"organisation": "acme"}).json()
    assert data["total"] == 1 and data["projects"][0]["name"] == "Marketing platform"
    assert data["projects"][0]["provisional"] == "0" and data["projects"][0]["subdomains"]["cd.cm"] == "0"
    assert api(assessor).get("/api/v1/portfolio/", {"organisation": "acme"}).status_code == 403
    assert api(outsider).get("/api/v1/portfolio/", {"organisation": "acme"}).status_code == 404
    assert api(manager).get("/api/v1/portfolio/").status_code == 400


def test_report_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", headers={"accept": "application/json"})
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else schema.content.decode()
    for path in (
        "/api/v1/assessments/{assessment_id}/report/",
        "/api/v1/assessments/{assessment_id}/report.pdf",
        "/api/v1/assessments/{assessment_id}/export/",
        "/api/v1/portfolio/",
    ):
        assert path in paths
