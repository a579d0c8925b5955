"""Organisation admin pages, members: roles, invitations, removal; the last admin stays."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import AuditEntry, Membership, Organisation

from .organisation_pages import ENGLISH, members_url, membership, membership_of_username, page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


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
