"""Ingest tokens and webhook secrets: organisation admins create, see once, revoke and rotate them."""

import re

import pytest
from rest_framework.test import APIClient

from metrics.models import IngestToken, ProjectHook
from metrics.services.credentials import token_digest

pytestmark = pytest.mark.django_db


def page(project) -> str:
    return f"/projects/{project.pk}/ingest/"


def test_an_admin_creates_a_token_seen_once_and_usable(client, orgadmin, project):
    client.force_login(orgadmin)
    response = client.post(f"{page(project)}tokens/", {"name": "GitLab CI"})
    assert response.status_code == 201
    raw = re.search(r'value="(dmi_[^"]+)"', response.content.decode()).group(1)
    token = IngestToken.objects.get()
    assert token.digest == token_digest(raw) and raw not in (token.prefix, token.digest)
    assert token.created_by == orgadmin and token.name == "GitLab CI"
    assert raw not in client.get(page(project)).content.decode()  # shown once

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    event = {"type": "incident", "external_id": "i", "opened_at": "2026-05-01T10:00:00Z"}
    assert api.post(f"/api/v1/projects/{project.pk}/events/", [event], format="json").status_code == 200


def test_a_token_needs_a_name(client, orgadmin, project):
    client.force_login(orgadmin)
    assert client.post(f"{page(project)}tokens/", {"name": ""}).status_code == 422
    assert not IngestToken.objects.exists()


def test_an_admin_revokes_a_token(client, orgadmin, project, ingest_token):
    client.force_login(orgadmin)
    token = IngestToken.objects.get()
    response = client.post(f"{page(project)}tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in client.get(page(project)).content.decode()


def test_the_page_shows_hook_addresses_and_an_admin_rotates_a_secret(client, orgadmin, project):
    client.force_login(orgadmin)
    content = client.get(page(project)).content.decode()
    hook = ProjectHook.objects.get(project=project)
    assert f"/hooks/github/{hook.hook_id}/" in content and hook.gitlab_secret in content
    assert len(hook.hook_id) >= 32 and hook.hook_id != str(project.pk)  # unguessable, not the numeric id
    old = hook.gitlab_secret
    assert client.post(f"{page(project)}secrets/", {"provider": "gitlab"}).status_code == 302
    hook.refresh_from_db()
    assert hook.gitlab_secret != old and hook.rotated_at is not None


@pytest.mark.parametrize("persona", ["team", "assessor", "manager"])
def test_other_roles_get_403(client, request, project, persona, ingest_token):
    client.force_login(request.getfixturevalue(persona))
    token = IngestToken.objects.get()
    assert client.get(page(project)).status_code == 403
    assert client.post(f"{page(project)}tokens/", {"name": "x"}).status_code == 403
    assert client.post(f"{page(project)}tokens/{token.pk}/revoke/").status_code == 403
    assert client.post(f"{page(project)}secrets/", {"provider": "github"}).status_code == 403
    assert IngestToken.objects.count() == 1 and IngestToken.objects.get().revoked_at is None


def test_outsiders_get_404_even_as_admins_elsewhere(client, outsider, project, ingest_token, other_project):
    client.force_login(outsider)
    token = IngestToken.objects.get()
    assert client.get(page(project)).status_code == 404
    assert client.post(f"{page(project)}tokens/{token.pk}/revoke/").status_code == 404
    # the outsider's own project does not reach Acme's token either
    assert client.post(f"{page(other_project)}tokens/{token.pk}/revoke/").status_code == 404
    assert IngestToken.objects.get().revoked_at is None


def test_the_project_page_links_to_the_event_pages(client, team, orgadmin, manager, project):
    client.force_login(orgadmin)
    content = client.get(f"/projects/{project.pk}/").content.decode()
    assert page(project) in content and f"/projects/{project.pk}/events/import/" in content
    client.force_login(team)
    content = client.get(f"/projects/{project.pk}/").content.decode()
    assert page(project) not in content and f"/projects/{project.pk}/events/import/" in content
    client.force_login(manager)
    assert "/events/import/" not in client.get(f"/projects/{project.pk}/").content.decode()


def test_the_organisations_project_list_links_to_each_projects_credentials(client, orgadmin, project):
    client.force_login(orgadmin)
    assert page(project) in client.get("/orgs/acme/projects/").content.decode()
