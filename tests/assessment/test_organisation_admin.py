"""Organisation admin pages: only the organisation's admins get in, writes need POST with CSRF, hostile input
gives a form error, and the navigation links to them. Members: test_organisation_members.py; projects:
test_organisation_projects.py."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from assessment.context_processors import navigation
from assessment.models import Membership, Project

from .organisation_pages import ENGLISH, members_url, membership, page, project_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


# Who may see the pages


def admin_urls(project, member: Membership) -> list[tuple[str, str]]:
    return [
        ("get", reverse("organisation-members", args=["acme"])),
        ("get", reverse("organisation-member-add", args=["acme"])),
        ("post", reverse("organisation-member-add", args=["acme"])),
        ("get", reverse("organisation-member", args=["acme", member.pk])),
        ("post", reverse("organisation-member", args=["acme", member.pk])),
        ("get", reverse("organisation-member-remove", args=["acme", member.pk])),
        ("post", reverse("organisation-member-remove", args=["acme", member.pk])),
        ("post", reverse("organisation-member-invite", args=["acme", member.pk])),
        ("get", reverse("organisation-projects", args=["acme"])),
        ("get", reverse("organisation-project-add", args=["acme"])),
        ("post", reverse("organisation-project-add", args=["acme"])),
        ("get", reverse("organisation-project", args=["acme", project.pk])),
        ("post", reverse("organisation-project", args=["acme", project.pk])),
    ]


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("team", 403), ("assessor", 403), ("manager", 403)])
def test_only_the_organisations_admins_get_in(client, request, project, team, orgadmin, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for method, url in admin_urls(project, membership(team)):
        response = getattr(client, method)(url, {"roles": ["admin"], "name": "Taken over", "target_level": "1"})
        assert response.status_code == status, (method, url)
    assert membership(team).roles == ["team"] and not Project.objects.filter(name="Taken over").exists()


def test_people_who_are_not_signed_in_are_sent_to_sign_in(client, project, team):
    for method, url in admin_urls(project, membership(team)):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.url == f"{reverse('login')}?next={url}"


def test_an_admin_of_another_organisation_cannot_reach_its_members_or_projects(client, outsider, team, project):
    client.force_login(outsider)
    other_project = Project.objects.get(name="Mobile banking")
    own_membership = Membership.objects.get(user=outsider)
    assert client.get(reverse("organisation-members", args=["other"])).status_code == 200
    # Acme's objects under the outsider's own organisation, and the outsider's under Acme's: not found.
    assert client.get(reverse("organisation-member", args=["other", membership(team).pk])).status_code == 404
    assert client.get(reverse("organisation-project", args=["other", project.pk])).status_code == 404
    assert client.get(reverse("organisation-project", args=["acme", other_project.pk])).status_code == 404
    assert client.get(reverse("organisation-member", args=["acme", own_membership.pk])).status_code == 404


def test_an_unknown_organisation_is_not_found(admin_client):
    assert admin_client.get(reverse("organisation-members", args=["nope"])).status_code == 404


# Writes need POST with CSRF


def test_writes_without_a_csrf_token_are_refused(orgadmin, team):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(orgadmin)
    writes = [
        (reverse("organisation-member-add", args=["acme"]), {"username": "dora", "email": "d@example.com"}),
        (reverse("organisation-member", args=["acme", membership(team).pk]), {"roles": ["admin"]}),
        (reverse("organisation-member-remove", args=["acme", membership(team).pk]), {}),
        (reverse("organisation-project-add", args=["acme"]), project_form()),
    ]
    for url, data in writes:
        assert browser.post(url, data).status_code == 403, url
    assert membership(team).roles == ["team"] and not Project.objects.filter(name="Billing").exists()
    assert not Membership.objects.filter(user__username="dora").exists()


def test_get_requests_never_write(admin_client, team):
    member = membership(team)
    admin_client.get(reverse("organisation-member-add", args=["acme"]), {"username": "dora", "roles": "team"})
    admin_client.get(reverse("organisation-member", args=["acme", member.pk]), {"roles": "admin"})
    admin_client.get(reverse("organisation-member-remove", args=["acme", member.pk]))
    admin_client.get(reverse("organisation-project-add", args=["acme"]), project_form())
    assert admin_client.get(reverse("organisation-member-invite", args=["acme", member.pk])).status_code == 405
    assert membership(team).roles == ["team"]
    assert not Membership.objects.filter(user__username="dora").exists()
    assert not Project.objects.filter(name="Billing").exists()


# Hostile input gives a form error, never a server error


@pytest.mark.parametrize(
    "fields",
    [
        {"username": "x" * 10_000},
        {"username": "bell\x07"},
        {"username": "nul\x00"},
        {"username": "<script>alert(1)</script>"},
        {"email": "not an email"},
        {"email": "a@example.com\r\nBcc: victim@example.com"},
        {"email": "a" * 300 + "@example.com"},
        {"roles": ["x" * 10_000]},
    ],
)
def test_hostile_member_input_gives_a_form_error(admin_client, fields):
    data = {"username": "dora", "email": "dora@example.com", "roles": ["team"], **fields}
    response = admin_client.post(reverse("organisation-member-add", args=["acme"]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert Membership.objects.filter(organisation__slug="acme").count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "P" * 10_000},
        {"name": ""},
        {"name": "   "},
        {"name": "escape\x1b[31mred"},
        {"name": "nul\x00byte"},
        {"name": "invisible\u202eoverride"},
        {"name": "zero\u200bwidth"},
        {"description": "d" * 100_000},
        {"description": "bell\x07"},
        {"target_level": "6"},
        {"target_level": "0"},
        {"target_level": "three"},
        {"target_level": "9" * 40},
        {"team": ["not-a-number"]},
        {"team": ["9" * 40]},
        {"team": ["-1"]},
    ],
)
def test_hostile_project_input_gives_a_form_error(admin_client, team, fields):
    response = admin_client.post(reverse("organisation-project-add", args=["acme"]), project_form(**fields))
    assert response.status_code == 200 and response.context["form"].errors
    assert Project.objects.filter(organisation__slug="acme").count() == 1


def test_names_are_shown_escaped(admin_client, django_user_model, acme):
    Project.objects.create(organisation=acme[0], name="<script>alert(1)</script>")
    body = page(admin_client.get(reverse("organisation-projects", args=["acme"])))
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("huge", ["9" * 40, str(2**63), str(2**31)])
def test_enormous_ids_in_addresses_are_not_found(admin_client, huge):
    assert admin_client.get(f"/orgs/acme/members/{huge}/").status_code == 404
    assert admin_client.post(f"/orgs/acme/members/{huge}/remove/").status_code == 404
    assert admin_client.get(f"/orgs/acme/projects/{huge}/").status_code == 404


# Navigation


def test_admins_see_a_link_to_each_organisation_they_run(client, orgadmin, outsider, team):
    Membership.objects.create(
        organisation=Membership.objects.get(user=outsider).organisation, user=orgadmin, is_admin=True
    )
    client.force_login(orgadmin)
    body = page(client.get(reverse("home"), headers=ENGLISH))
    assert f'href="{members_url()}"' in body and 'href="/orgs/other/members/"' in body
    client.force_login(team)
    assert "/orgs/" not in page(client.get(reverse("home")))


def test_the_navigation_costs_one_query_and_none_for_anonymous_people(
    orgadmin, team, django_user_model, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert list(navigation(request)["admin_organisations"]) == []
    request.user = orgadmin
    with django_assert_num_queries(1):
        assert [organisation.slug for organisation in navigation(request)["admin_organisations"]] == ["acme"]
    request.user = team
    with django_assert_num_queries(1):
        assert list(navigation(request)["admin_organisations"]) == []
