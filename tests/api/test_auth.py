"""Tokens: username and password in, a token out; the token then authenticates; guessing is throttled."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.error_shape import assert_error_shape

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def test_token_flow(team, project):
    client = APIClient()
    response = client.post(TOKEN_URL, {"username": "team", "password": "correct horse battery"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=team).key
    again = client.post(TOKEN_URL, {"username": "team", "password": "correct horse battery"}, format="json")
    assert again.json() == {"token": token}

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    projects = client.get("/api/v1/projects/")
    assert projects.status_code == 200
    assert [row["name"] for row in projects.json()["results"]] == [project.name]


def test_form_encoded_credentials_work_too(team):
    response = APIClient().post(TOKEN_URL, {"username": "team", "password": "correct horse battery"})
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "team", "password": "wrong"},
        {"username": "nobody", "password": "correct horse battery"},
        {"username": "team"},
        {},
    ],
)
def test_wrong_or_missing_credentials_are_a_400(team, payload):
    response = APIClient().post(TOKEN_URL, payload, format="json")
    assert_error_shape(response, 400)
    assert not Token.objects.exists()


def test_inactive_people_get_no_token(team):
    team.is_active = False
    team.save(update_fields=["is_active"])
    response = APIClient().post(TOKEN_URL, {"username": "team", "password": "correct horse battery"}, format="json")
    assert_error_shape(response, 400)


def test_malformed_json_is_a_400(team):
    response = APIClient().post(TOKEN_URL, '{"username": "team",', content_type="application/json")
    assert_error_shape(response, 400)


def test_password_guessing_is_throttled(team):
    client = APIClient()
    for _attempt in range(10):
        assert client.post(TOKEN_URL, {"username": "team", "password": "guess"}, format="json").status_code == 400
    # Even the right password waits once the address has used up its attempts.
    response = client.post(TOKEN_URL, {"username": "team", "password": "correct horse battery"}, format="json")
    assert_error_shape(response, 429)
    assert "Retry-After" in response.headers


@pytest.mark.parametrize("header", [None, "Token not-a-real-token", "Bearer abc"])
def test_api_needs_a_valid_token(team, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/projects/")
    assert_error_shape(response, 401)
    assert response.headers["WWW-Authenticate"] == "Token"


def test_token_endpoint_ignores_a_stale_token_header(team):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token stale")
    response = client.post(TOKEN_URL, {"username": "team", "password": "correct horse battery"}, format="json")
    assert response.status_code == 200
