"""The matrix for the assessment app's REST API (see tests/permissions/matrix.py for how to read a row)."""

import pytest

from tests.permissions.matrix import OVERSEERS, READ, TEAM_ONLY, cases, check_api

pytestmark = pytest.mark.django_db

API = [
    ("api-project", "get", "/api/v1/projects/{project}/", None, READ),
    ("api-assessment", "get", "/api/v1/assessments/{assessment}/", None, READ),
    ("api-answers", "get", "/api/v1/assessments/{assessment}/answers/", None, READ),
    ("api-evidence-list", "get", "/api/v1/assessments/{assessment}/evidence/", None, READ),
    ("api-levels", "get", "/api/v1/assessments/{assessment}/levels/", None, READ),
    ("api-evidence", "get", "/api/v1/evidence/{evidence}/", None, READ),
    (
        "api-start",
        "post",
        "/api/v1/assessments/",
        {"project": "{project}", "target_level": 3},
        {"team": 201, **TEAM_ONLY},
    ),
    (
        "api-answer",
        "post",
        "/api/v1/assessments/{assessment}/answers/",
        [{"criterion": "cd.cm.vc.vcs@1", "answer": "met"}],
        {"team": 200, **TEAM_ONLY},
    ),
    (
        "api-evidence-add",
        "post",
        "/api/v1/assessments/{assessment}/evidence/",
        {"criteria": ["cd.cm.vc.vcs@1"], "note": "n"},
        {"team": 201, **TEAM_ONLY},
    ),
    ("api-evidence-remove", "delete", "/api/v1/evidence/{evidence}/", None, {"team": 204, **TEAM_ONLY}),
    ("api-submit", "post", "/api/v1/assessments/{assessment}/submit/", {}, {"team": 400, **TEAM_ONLY}),
    ("api-report", "get", "/api/v1/assessments/{assessment}/report/", None, READ),
    ("api-report-pdf", "get", "/api/v1/assessments/{assessment}/report.pdf", None, READ),
    ("api-export", "get", "/api/v1/assessments/{assessment}/export/?format=csv", None, READ),
    ("api-export-json", "get", "/api/v1/assessments/{assessment}/export/?format=json", None, READ),
    ("api-portfolio", "get", "/api/v1/portfolio/?organisation=acme", None, OVERSEERS),
]


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), list(cases(API, anonymous=401)))
def test_api_endpoints(client, objects, persona, method, path, body, status):
    people, ids = objects
    check_api(client, people, ids, persona=persona, method=method, path=path, body=body, status=status)


def test_lists_leak_nothing_foreign(client, objects):
    people, ids = objects
    client.force_login(people["outsider"])
    for path in ("/api/v1/projects/", "/api/v1/assessments/"):
        listed = client.get(path).json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        assert ids["project"] not in [row.get("project", row.get("id")) for row in rows]
        assert "Marketing platform" not in str(listed)
    assert "Marketing platform" not in client.get("/").content.decode()
    assert "Marketing platform" not in client.get("/notifications/").content.decode()
