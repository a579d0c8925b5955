"""The matrix for review, lifecycle, audit trail and notifications, on an assessment in the state each endpoint
needs (see tests/permissions/matrix.py for how to read a row)."""

import pytest

from tests.permissions.matrix import (
    ADMIN_ONLY,
    ANYONE,
    READ,
    REVIEWER_ONLY,
    TEAM_ONLY,
    check_api,
    check_html,
    staged_cases,
)
from tests.review.flow import ASKED

pytestmark = pytest.mark.django_db

# Review, lifecycle, audit and notifications: the same, on an assessment in the state the endpoint needs
# (assigned to `assessor`; see tests/review/flow.py). (id, state, method, path, body, expected by persona)
REVIEW_HTML = [
    (
        "review-queue",
        "submitted",
        "get",
        "/review/",
        None,
        {"team": 403, "assessor": 200, "manager": 403, "orgadmin": 403, "outsider": 403},
    ),
    ("review", "in_review", "get", "/assessments/{a}/review/", None, {"assessor": 200, **REVIEWER_ONLY}),
    (
        "review-bulk-accept",
        "in_review",
        "get",
        "/assessments/{a}/review/accept-verified/",
        None,
        {"assessor": 200, **REVIEWER_ONLY},
    ),
    (
        "review-decision",
        "in_review",
        "post",
        "/assessments/{a}/review/cd.cm.vc.branch@1/",
        {"decision": "accepted"},
        {"assessor": 302, **REVIEWER_ONLY},
    ),
    (
        "assessment-move",
        "submitted",
        "post",
        "/assessments/{a}/move/",
        {"move": "start_review"},
        {"assessor": 302, **REVIEWER_ONLY},
    ),
    (
        "assessment-assign",
        "submitted",
        "post",
        "/assessments/{a}/assessor/",
        {"assessor": "{assessor}"},
        {"team": 403, "assessor": 302, "manager": 403, "orgadmin": 302, "outsider": 404},
    ),
    ("assessment-successor", "published", "post", "/assessments/{a}/successor/", {}, {"team": 302, **TEAM_ONLY}),
    (
        "request-reply",
        "changes_requested",
        "post",
        f"/assessments/{{a}}/requests/{ASKED}/reply/",
        {"reply": "See the wiki."},
        {"team": 302, **TEAM_ONLY},
    ),
    ("assessment-audit", "draft", "get", "/assessments/{a}/audit/", None, READ),
    ("organisation-audit", "draft", "get", "/orgs/acme/audit/", None, ADMIN_ONLY),
    ("notifications", "draft", "get", "/notifications/", None, ANYONE),
    ("notifications-read", "draft", "post", "/notifications/read/", {}, dict.fromkeys(ANYONE, 302)),
    (
        "notification-open",
        "submitted",
        "post",
        "/notifications/{notice}/open/",
        {},
        {"team": 404, "assessor": 302, "manager": 404, "orgadmin": 404, "outsider": 404},
    ),
]
REVIEW_API = [
    *[
        (f"api-{slug}", state, "post", f"/api/v1/assessments/{{a}}/{slug}/", {}, {"assessor": 200, **REVIEWER_ONLY})
        for slug, state in (
            ("start-review", "submitted"),
            ("request-changes", "in_review+asked"),
            ("complete-review", "in_review+decided"),
            ("reopen-review", "assessed"),
            ("publish", "assessed"),
        )
    ],
    (
        "api-assessor",
        "submitted",
        "post",
        "/api/v1/assessments/{a}/assessor/",
        {"assessor": "assessor"},
        {"team": 403, "assessor": 200, "manager": 403, "orgadmin": 200, "outsider": 404},
    ),
    ("api-supersede", "published", "post", "/api/v1/assessments/{a}/supersede/", None, {"team": 201, **TEAM_ONLY}),
    ("api-snapshot", "published", "get", "/api/v1/assessments/{a}/snapshot/", None, READ),
    ("api-audit", "draft", "get", "/api/v1/assessments/{a}/audit/", None, READ),
    ("api-decisions", "in_review", "get", "/api/v1/assessments/{a}/decisions/", None, READ),
    (
        "api-decide",
        "in_review",
        "post",
        "/api/v1/assessments/{a}/decisions/",
        [{"criterion": "cd.cm.vc.branch@1", "decision": "accepted"}],
        {"assessor": 200, **REVIEWER_ONLY},
    ),
    (
        "api-accept-verified-count",
        "in_review",
        "get",
        "/api/v1/assessments/{a}/decisions/accept-verified/",
        None,
        {"assessor": 200, **REVIEWER_ONLY},
    ),
    (
        "api-accept-verified",
        "in_review",
        "post",
        "/api/v1/assessments/{a}/decisions/accept-verified/",
        {"expected_count": 0},
        {"assessor": 200, **REVIEWER_ONLY},
    ),
    (
        "api-reply",
        "changes_requested",
        "post",
        f"/api/v1/assessments/{{a}}/requests/{ASKED}/reply/",
        {"reply": "See the wiki."},
        {"team": 200, **TEAM_ONLY},
    ),
    ("api-notifications", "draft", "get", "/api/v1/notifications/", None, ANYONE),
    ("api-notifications-read", "draft", "post", "/api/v1/notifications/read/", {}, ANYONE),
]


@pytest.mark.parametrize(
    ("persona", "state", "method", "path", "body", "status"), list(staged_cases(REVIEW_HTML, anonymous=302))
)
def test_review_html_endpoints(client, objects, staged, persona, state, method, path, body, status):
    people, _ids = objects
    ids = staged(state)
    check_html(client, people, ids, persona=persona, method=method, path=path, body=body, status=status)


@pytest.mark.parametrize(
    ("persona", "state", "method", "path", "body", "status"), list(staged_cases(REVIEW_API, anonymous=401))
)
def test_review_api_endpoints(client, objects, staged, persona, state, method, path, body, status):
    people, _ids = objects
    ids = staged(state)
    check_api(client, people, ids, persona=persona, method=method, path=path, body=body, status=status)
