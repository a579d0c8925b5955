"""seed_demo: the personas of DESIGN.md §8, created once and safe to run again."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PERSONAS = ["team", "assessor", "manager", "orgadmin", "outsider"]


def test_seed_demo_creates_every_persona_with_the_demo_password(django_user_model, capsys):
    call_command("seed_demo")
    assert sorted(django_user_model.objects.values_list("username", flat=True)) == sorted(PERSONAS)
    for username in PERSONAS:
        assert authenticate(username=username, password="demo12345") is not None
    assert "created team (team member)" in capsys.readouterr().out


def test_seed_demo_twice_changes_nothing(django_user_model):
    call_command("seed_demo")
    ids = dict(django_user_model.objects.values_list("username", "pk"))
    call_command("seed_demo")
    assert dict(django_user_model.objects.values_list("username", "pk")) == ids


def test_demo_users_can_sign_in(client):
    call_command("seed_demo")
    response = client.post("/accounts/login/", {"username": "team", "password": "demo12345"})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "team"


def test_a_wrong_password_is_refused_with_a_message(client):
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/", {"username": "team", "password": "wrong"}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
