"""seed_demo: the personas of DESIGN.md §8, created once and safe to run again."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from assessment.models import Answer, Assessment, Membership, Project

pytestmark = pytest.mark.django_db

PERSONAS = ["team", "assessor", "manager", "orgadmin", "outsider"]


def test_seed_demo_creates_every_persona_with_the_demo_password(django_user_model, capsys, caict):
    call_command("seed_demo")
    assert sorted(django_user_model.objects.values_list("username", flat=True)) == sorted(PERSONAS)
    for username in PERSONAS:
        assert authenticate(username=username, password="demo12345") is not None
    assert "created team (team in demo-telecom)" in capsys.readouterr().out
    outsider = django_user_model.objects.get(username="outsider")
    assert [m.organisation.slug for m in outsider.memberships.all()] == ["demo-bank"]
    states = Assessment.objects.filter(project__organisation__slug="demo-telecom").values_list("state", flat=True)
    assert sorted(states) == ["draft", "published"]
    published = Assessment.objects.get(state="published")
    # Reviewed by the assessor: two sub-items partly at level 2, so the confirmed Part 3 level reads "2-".
    assert published.snapshot["levels"]["confirmed"]["parts"]["cd"]["level"] == "2-"


def test_seed_demo_twice_changes_nothing(django_user_model):
    call_command("seed_demo")
    before = snapshot(django_user_model)
    call_command("seed_demo")
    assert snapshot(django_user_model) == before


def snapshot(user_model) -> tuple:
    return (
        sorted(user_model.objects.values_list("username", "pk", "password")),
        sorted(Membership.objects.values_list("user__username", "organisation__slug", "is_team_member", "is_admin")),
        sorted(Project.objects.values_list("name", "pk")),
        Assessment.objects.count(),
        Answer.objects.count(),
    )


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
