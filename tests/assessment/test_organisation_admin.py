"""Organisation admin pages: members and roles, invitations, projects and teams; only the organisation's admins."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from assessment.context_processors import navigation
from assessment.models import AuditEntry, Membership, Organisation, Project

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # sign-in throttling counts live there


@pytest.fixture
def admin_client(client, orgadmin):
    client.force_login(orgadmin)
    return client


def membership(user) -> Membership:
    return Membership.objects.get(user=user, organisation__slug="acme")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def members_url() -> str:
    return reverse("organisation-members", args=["acme"])


# Members


def test_admin_sees_members_with_their_roles(admin_client, team, assessor, manager):
    body = page(admin_client.get(members_url(), headers=ENGLISH))
    for name in ("team", "assessor", "manager", "orgadmin"):
        assert f"<td>{name}" in body
    assert "Team member" in body and "Assessor" in body and "Manager" in body and "Organisation admin" in body
    assert "outsider" not in body


def test_admin_adds_a_new_person_who_chooses_a_password_from_the_invitation_and_signs_in(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("organisation-member-add", args=["acme"]),
            {"username": "dora", "email": "dora@example.com", "roles": ["team", "assessor"]},
            headers=ENGLISH,
        )
    assert response.status_code == 302 and response.url == members_url()
    dora = membership_of_username("dora")
    assert dora.roles == ["team", "assessor"] and not dora.user.has_usable_password()
    assert AuditEntry.objects.filter(action="membership.added", target="dora").exists()

    [invitation] = mailoutbox
    assert invitation.to == ["dora@example.com"]
    assert invitation.subject == "You were added to Acme Telecom on DevOps Maturity"
    assert "dora" in invitation.body and "DevOps Maturity" in invitation.body
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+)", invitation.body).group(1)

    dora_browser = Client()
    form_page = dora_browser.get(link, follow=True, headers=ENGLISH)
    assert "Choose the password for the account dora" in page(form_page)
    done = dora_browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a long new secret 42", "new_password2": "a long new secret 42"},
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    signed_in = dora_browser.post(reverse("login"), {"username": "dora", "password": "a long new secret 42"})
    assert signed_in.status_code == 302
    assert dora_browser.get(reverse("home")).context["user"].get_username() == "dora"


def membership_of_username(username: str) -> Membership:
    return Membership.objects.select_related("user").get(user__username=username, organisation__slug="acme")


def test_the_invitation_link_works_only_once(admin_client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("organisation-member-add", args=["acme"]),
            {"username": "dora", "email": "dora@example.com", "roles": ["team"]},
        )
    link = re.search(r"http://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    browser = Client()
    set_password = browser.get(link, follow=True).redirect_chain[-1][0]
    browser.post(set_password, {"new_password1": "a long new secret 42", "new_password2": "a long new secret 42"})
    again = Client().get(link, follow=True, headers=ENGLISH)
    assert "This link does not work" in page(again)


def test_the_invitation_is_plain_text_not_html_escaped(admin_client, mailoutbox, django_capture_on_commit_callbacks):
    Organisation.objects.filter(slug="acme").update(name="Smith & O'Brien")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("organisation-member-add", args=["acme"]),
            {"username": "dora", "email": "dora@example.com", "roles": ["team"]},
            headers=ENGLISH,
        )
    assert mailoutbox[0].subject == "You were added to Smith & O'Brien on DevOps Maturity"
    assert "organisation Smith & O'Brien on DevOps Maturity" in mailoutbox[0].body


def test_an_existing_account_is_added_without_an_invitation(
    admin_client, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("organisation-member-add", args=["acme"]),
            {"username": "outsider", "email": "someone@example.com", "roles": ["manager"]},
        )
    assert response.status_code == 302
    assert membership(outsider).roles == ["manager"]
    assert mailoutbox == []


def test_adding_a_member_twice_is_refused_at_the_field_and_the_input_is_kept(admin_client, team):
    response = admin_client.post(
        reverse("organisation-member-add", args=["acme"]),
        {"username": "team", "email": "team@example.com", "roles": ["assessor"]},
        headers=ENGLISH,
    )
    body = page(response)
    assert response.context["form"].errors == {"username": ["team is already a member."]}
    assert 'value="team@example.com"' in body and 'value="assessor" id="id_roles_1" checked' in body
    assert membership(team).roles == ["team"]


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (["owner"], "Select a valid choice. owner is not one of the available choices."),
        (["team", "root"], "Select a valid choice. root is not one of the available choices."),
        ([], "Choose at least one role."),
    ],
)
def test_unknown_or_missing_roles_are_refused(admin_client, roles, message):
    response = admin_client.post(
        reverse("organisation-member-add", args=["acme"]),
        {"username": "dora", "email": "dora@example.com", "roles": roles},
        headers=ENGLISH,
    )
    assert response.context["form"].errors == {"roles": [message]}
    assert message in page(response)
    assert not Membership.objects.filter(user__username="dora").exists()


def test_admin_changes_a_members_roles(admin_client, assessor):
    url = reverse("organisation-member", args=["acme", membership(assessor).pk])
    assert 'value="assessor" id="id_roles_1" checked' in page(admin_client.get(url))
    response = admin_client.post(url, {"roles": ["assessor", "manager"]})
    assert response.status_code == 302 and response.url == members_url()
    assert membership(assessor).roles == ["assessor", "manager"]
    entry = AuditEntry.objects.get(action="membership.roles_changed")
    assert entry.before == {"roles": ["assessor"]} and entry.after == {"roles": ["assessor", "manager"]}


def test_changing_roles_to_an_unknown_one_is_refused(admin_client, assessor):
    url = reverse("organisation-member", args=["acme", membership(assessor).pk])
    response = admin_client.post(url, {"roles": ["superuser"]}, headers=ENGLISH)
    assert "superuser is not one of the available choices" in page(response)
    assert membership(assessor).roles == ["assessor"]


def test_admin_removes_a_member_after_confirming(admin_client, team, project):
    url = reverse("organisation-member-remove", args=["acme", membership(team).pk])
    confirmation = page(admin_client.get(url, headers=ENGLISH))
    assert "Remove team?" in confirmation and 'method="post"' in confirmation
    assert Membership.objects.filter(user=team).exists()
    response = admin_client.post(url)
    assert response.status_code == 302 and response.url == members_url()
    assert not Membership.objects.filter(user=team).exists()
    assert not project.team.filter(pk=team.pk).exists()


def test_the_last_admin_cannot_remove_themselves(admin_client, orgadmin):
    url = reverse("organisation-member-remove", args=["acme", membership(orgadmin).pk])
    body = page(admin_client.post(url, headers=ENGLISH))
    assert "An organisation needs at least one admin." in body
    assert membership(orgadmin).is_admin


def test_the_last_admin_cannot_drop_their_admin_role(admin_client, orgadmin):
    url = reverse("organisation-member", args=["acme", membership(orgadmin).pk])
    response = admin_client.post(url, {"roles": ["team"]}, headers=ENGLISH)
    assert response.context["form"].errors == {"roles": ["An organisation needs at least one admin."]}
    assert "An organisation needs at least one admin." in page(response)
    assert membership(orgadmin).roles == ["admin"]


def test_with_a_second_admin_an_admin_may_step_down_and_lands_on_the_home_page(admin_client, orgadmin, manager):
    Membership.objects.filter(user=manager).update(is_admin=True)
    url = reverse("organisation-member", args=["acme", membership(orgadmin).pk])
    response = admin_client.post(url, {"roles": ["manager"]})
    assert response.status_code == 302 and response.url == reverse("home")
    assert membership(orgadmin).roles == ["manager"]
    assert admin_client.get(members_url()).status_code == 403


def test_admin_sends_the_invitation_again_until_a_password_is_chosen(
    admin_client, team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("organisation-member-add", args=["acme"]),
            {"username": "dora", "email": "dora@example.com", "roles": ["team"]},
        )
    dora = membership_of_username("dora")
    assert "Send the invitation again" in page(
        admin_client.get(reverse("organisation-member", args=["acme", dora.pk]), headers=ENGLISH)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("organisation-member-invite", args=["acme", dora.pk]), headers=ENGLISH)
    assert response.status_code == 302
    assert [mail.to for mail in mailoutbox] == [["dora@example.com"], ["dora@example.com"]]
    assert "/accounts/reset/" in mailoutbox[1].body

    with django_capture_on_commit_callbacks(execute=True):
        refused = admin_client.post(
            reverse("organisation-member-invite", args=["acme", membership(team).pk]), follow=True, headers=ENGLISH
        )
    assert "team has chosen a password already." in page(refused)
    assert len(mailoutbox) == 2


# Projects


def project_form(**changes) -> dict:
    return {"name": "Billing", "description": "Invoices\nand payments", "target_level": "4", "team": [], **changes}


def test_admin_lists_projects_with_their_teams(admin_client, team, project, outsider):
    body = page(admin_client.get(reverse("organisation-projects", args=["acme"]), headers=ENGLISH))
    assert "Marketing platform" in body and "team" in body
    assert "Mobile banking" not in body


def test_admin_creates_a_project_with_a_team(admin_client, team):
    response = admin_client.post(reverse("organisation-project-add", args=["acme"]), project_form(team=[str(team.pk)]))
    assert response.status_code == 302 and response.url == reverse("organisation-projects", args=["acme"])
    billing = Project.objects.get(organisation__slug="acme", name="Billing")
    assert billing.target_level == 4 and billing.description == "Invoices\nand payments"
    assert list(billing.team.all()) == [team]


def test_admin_edits_a_project(admin_client, team, project):
    url = reverse("organisation-project", args=["acme", project.pk])
    form = page(admin_client.get(url))
    assert 'value="Marketing platform"' in form and f'value="{team.pk}" id="id_team_0" checked' in form
    response = admin_client.post(url, project_form(name="Marketing platform", target_level="5"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.target_level == 5 and list(project.team.all()) == []


def test_a_duplicate_project_name_is_refused_at_the_field_and_the_input_is_kept(admin_client, project):
    response = admin_client.post(
        reverse("organisation-project-add", args=["acme"]), project_form(name="Marketing platform"), headers=ENGLISH
    )
    body = page(response)
    assert response.context["form"].errors == {"name": ["A project with this name exists already."]}
    assert 'id="id_name_error"' in body and "Invoices\nand payments</textarea>" in body
    assert Project.objects.filter(organisation__slug="acme").count() == 1


def test_renaming_a_project_to_another_ones_name_is_refused(admin_client, acme, project):
    other = Project.objects.create(organisation=acme[0], name="Billing")
    url = reverse("organisation-project", args=["acme", other.pk])
    response = admin_client.post(url, project_form(name="Marketing platform"), headers=ENGLISH)
    assert response.context["form"].errors == {"name": ["A project with this name exists already."]}
    assert "Edit project Billing" in page(response)
    other.refresh_from_db()
    assert other.name == "Billing"


@pytest.mark.parametrize("persona", ["assessor", "manager", "orgadmin", "outsider"])
def test_a_project_team_holds_only_the_organisations_team_members(admin_client, team, request, persona):
    person = request.getfixturevalue(persona)
    response = admin_client.post(
        reverse("organisation-project-add", args=["acme"]), project_form(team=[str(team.pk), str(person.pk)])
    )
    assert list(response.context["form"].errors) == ["team"]
    assert not Project.objects.filter(name="Billing").exists()


def test_the_team_choices_are_the_organisations_team_members(admin_client, team, assessor, outsider):
    form = page(admin_client.get(reverse("organisation-project-add", args=["acme"])))
    assert f'name="team" value="{team.pk}"' in form
    assert f'name="team" value="{assessor.pk}"' not in form and f'name="team" value="{outsider.pk}"' not in form


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
