"""The matrix for the metrics app: delivery-metrics pages and API, event ingest (API and CSV import), ingest
tokens and webhook secrets, and the webhook receivers (see tests/permissions/matrix.py for how to read a row)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permissions.matrix import ADMIN_ONLY, PERSONAS, READ, cases, check_api, check_html

pytestmark = pytest.mark.django_db

# Delivery events are sent by the project's team and the organisation's admins.
EVENT_SENDERS = {"team": 200, "assessor": 403, "manager": 403, "orgadmin": 200, "outsider": 404}
EVENT = [{"type": "incident", "external_id": "i-1", "opened_at": "2026-05-01T10:00:00+08:00"}]
# Comparing projects is work for managers, admins and team members, not for assessors.
COMPARERS = {"team": 200, "assessor": 403, "manager": 200, "orgadmin": 200, "outsider": 404}


def incidents_csv() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "events.csv", b"external_id,opened_at\ni-1,2026-05-01T10:00:00+08:00\n", content_type="text/csv"
    )


HTML = [
    ("project-metrics", "get", "/projects/{project}/metrics/", None, READ),
    ("organisation-metrics", "get", "/orgs/acme/metrics/", None, COMPARERS),
    ("events-import-form", "get", "/projects/{project}/events/import/", None, EVENT_SENDERS),
    (
        "events-import",
        "post",
        "/projects/{project}/events/import/",
        {"type": "incident", "file": incidents_csv},
        EVENT_SENDERS,
    ),
    ("ingest-credentials", "get", "/projects/{project}/ingest/", None, ADMIN_ONLY),
    (
        "ingest-token-create",
        "post",
        "/projects/{project}/ingest/tokens/",
        {"name": "ci"},
        {**ADMIN_ONLY, "orgadmin": 201},
    ),
    (
        "ingest-token-revoke",
        "post",
        "/projects/{project}/ingest/tokens/{ingest_token}/revoke/",
        {},
        {**ADMIN_ONLY, "orgadmin": 302},
    ),
    (
        "ingest-secret-rotate",
        "post",
        "/projects/{project}/ingest/secrets/",
        {"provider": "github"},
        {**ADMIN_ONLY, "orgadmin": 302},
    ),
]
API = [
    ("api-events", "post", "/api/v1/projects/{project}/events/", EVENT, EVENT_SENDERS),
    ("api-project-metrics", "get", "/api/v1/projects/{project}/metrics/", None, READ),
    # The address is the project's; only the sender's signature opens it, never a person's session or token
    # (signatures: tests/metrics/test_webhooks.py).
    ("webhook-receiver", "post", "/hooks/github/{hook}/", {}, dict.fromkeys(PERSONAS, 401)),
]


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), list(cases(HTML, anonymous=302)))
def test_html_endpoints(client, objects, persona, method, path, body, status):
    people, ids = objects
    check_html(client, people, ids, persona=persona, method=method, path=path, body=body, status=status)


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), list(cases(API, anonymous=401)))
def test_api_endpoints(client, objects, persona, method, path, body, status):
    people, ids = objects
    check_api(client, people, ids, persona=persona, method=method, path=path, body=body, status=status)
