"""The matrix's vocabulary and runners.

Acme's personas (team on the project's team, assessor, manager, orgadmin) against Acme's objects, and
`outsider` (a team member and admin of another organisation) against the same objects: foreign objects answer
404 whatever the outsider's roles elsewhere; members without the right role get 403; anonymous visitors are sent
to sign in (HTML) or get 401 (API), unless a row says otherwise under "anonymous".

A row is (id, method, path template, body, expected by persona); staged rows (tests/permissions/test_review.py)
also name the state the assessment must be in. Templates name the objects of the `objects` fixture.
"""

import pytest
from rest_framework.authtoken.models import Token

PERSONAS = ["team", "assessor", "manager", "orgadmin", "outsider", "anonymous"]
READ = {"team": 200, "assessor": 200, "manager": 200, "orgadmin": 200, "outsider": 404}
TEAM_ONLY = {"assessor": 403, "manager": 403, "orgadmin": 403, "outsider": 404}
ADMIN_ONLY = {"team": 403, "assessor": 403, "manager": 403, "orgadmin": 200, "outsider": 404}
OVERSEERS = {"team": 403, "assessor": 403, "manager": 200, "orgadmin": 200, "outsider": 404}
REVIEWER_ONLY = {"team": 403, "manager": 403, "orgadmin": 403, "outsider": 404}
# Every signed-in person (the outsider included: personal pages, or lists scoped to the reader).
ANYONE = dict.fromkeys(["team", "assessor", "manager", "orgadmin", "outsider"], 200)
# Public pages: anonymous visitors too.
EVERYONE = dict.fromkeys(PERSONAS, 200)


def cases(endpoints, anonymous: int):
    for name, method, path, body, expected in endpoints:
        for persona in PERSONAS:
            status = expected.get("anonymous", anonymous) if persona == "anonymous" else expected[persona]
            yield pytest.param(persona, method, path, body, status, id=f"{name}-{persona}")


def staged_cases(endpoints, anonymous: int):
    for name, state, method, path, body, expected in endpoints:
        for persona in PERSONAS:
            status = expected.get("anonymous", anonymous) if persona == "anonymous" else expected[persona]
            yield pytest.param(persona, state, method, path, body, status, id=f"{name}-{persona}")


def fill(value, ids):
    """The template with the objects' ids in; a callable (a file to upload) is called for a fresh value."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if callable(value):
        return value()
    return value


def check_html(client, people: dict, ids: dict, *, persona, method, path, body, status) -> None:
    """Requests the page as the persona (signed in by session) and checks the status."""
    if persona != "anonymous":
        client.force_login(people[persona])
    url, data = fill(path, ids), fill(body, ids)
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == status, response.content[:300]
    if status == 302 and persona == "anonymous":
        assert "/login/" in response["Location"]


def check_api(client, people: dict, ids: dict, *, persona, method, path, body, status) -> None:
    """Calls the endpoint as the persona (with their API token) and checks the status and the error shape."""
    headers = {}
    if persona != "anonymous":
        headers["authorization"] = f"Token {Token.objects.get_or_create(user=people[persona])[0].key}"
    kwargs = {"headers": headers}
    if body is not None:
        # Evidence uploads are multipart (files); every other write is JSON.
        multipart = path.endswith("/evidence/") and method == "post"
        kwargs |= {"data": fill(body, ids)} | ({} if multipart else {"content_type": "application/json"})
    response = getattr(client, method)(fill(path, ids), **kwargs)
    assert response.status_code == status, response.content[:300]
    if status >= 400:
        assert set(response.json()) == {"detail", "errors"}
