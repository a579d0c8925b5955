"""The matrix for what is not an organisation's: the home page, the public catalogue (pages and API), the API's
own lists (scoped to the reader), a report behind a share link, and Django's admin (which no persona may use).
See tests/permissions/matrix.py for how to read a row."""

import pytest

from tests.permissions.matrix import ANYONE, EVERYONE, PERSONAS, cases, check_api, check_html

pytestmark = pytest.mark.django_db

MODEL = "/catalog/{model_key}/{model_version}"
HTML = [
    ("home", "get", "/", None, EVERYONE),
    ("health", "get", "/healthz", None, EVERYONE),
    ("ready", "get", "/readyz", None, EVERYONE),
    ("catalog", "get", "/catalog/", None, EVERYONE),
    ("catalog-model", "get", f"{MODEL}/", None, EVERYONE),
    ("catalog-part", "get", f"{MODEL}/parts/cd/", None, EVERYONE),
    ("catalog-subdomain", "get", f"{MODEL}/subdomains/cd.cm/", None, EVERYONE),
    ("catalog-subitem", "get", f"{MODEL}/subitems/cd.cm.vc.vcs/", None, EVERYONE),
    # The token is the key, whoever holds it (expiry and revocation: tests/reports/test_trends_and_sharing.py).
    ("shared-report", "get", "/shared/{share_token}/", None, EVERYONE),
    # Staff only, and no persona is staff: every one is sent to the admin's sign-in.
    ("admin-object", "get", "/admin/assessment/auditentry/{audit_entry}/change/", None, dict.fromkeys(PERSONAS, 302)),
]
API = [
    ("api-catalog-models", "get", "/api/v1/catalog/models/", None, EVERYONE),
    ("api-catalog-models-json", "get", "/api/v1/catalog/models.json", None, EVERYONE),
    ("api-catalog-model", "get", "/api/v1/catalog/models/{model}/", None, EVERYONE),
    ("api-catalog-model-json", "get", "/api/v1/catalog/models/{model}.json", None, EVERYONE),
    # Lists show only the reader's organisations' rows (test_lists_leak_nothing_foreign).
    ("api-projects", "get", "/api/v1/projects/", None, ANYONE),
    ("api-assessments", "get", "/api/v1/assessments/", None, ANYONE),
]


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), list(cases(HTML, anonymous=302)))
def test_html_endpoints(client, objects, persona, method, path, body, status):
    people, ids = objects
    check_html(client, people, ids, persona=persona, method=method, path=path, body=body, status=status)


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), list(cases(API, anonymous=401)))
def test_api_endpoints(client, objects, persona, method, path, body, status):
    people, ids = objects
    check_api(client, people, ids, persona=persona, method=method, path=path, body=body, status=status)
