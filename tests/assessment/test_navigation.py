"""The menu is kept briefly per person, and forgotten as soon as their roles or notifications change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Membership, Notification
from assessment.services import notifications, tenancy

pytestmark = pytest.mark.django_db


def menu(client) -> str:
    html = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    return html[html.index('<nav class="nav"') : html.index("</nav>")]


def test_a_new_notification_shows_at_once_and_reading_it_clears_the_badge(client, team, assessor, assessment):
    client.force_login(assessor)
    assert "badge-count" not in menu(client)
    notifications.assessment_moved(assessment=assessment, move="submit", actor=team)
    assert '<span class="badge badge-count">1<' in menu(client)
    notifications.mark_read(user=assessor)
    assert "badge-count" not in menu(client)


def test_a_role_change_shows_in_the_menu_at_once(client, orgadmin, assessor, acme):
    client.force_login(assessor)
    assert ">Review<" in menu(client) and "/orgs/acme/members/" not in menu(client)
    membership = Membership.objects.get(user=assessor)
    tenancy.set_member_roles(membership=membership, roles=["assessor", "admin"], actor=orgadmin)
    assert "/orgs/acme/members/" in menu(client)
    tenancy.set_member_roles(membership=membership, roles=["manager"], actor=orgadmin)
    assert ">Review<" not in menu(client)


def test_the_menu_costs_no_query_while_it_is_kept(client, assessor, acme):
    client.force_login(assessor)
    menu(client)
    with CaptureQueriesContext(connection) as kept:
        menu(client)
    assert not any("assessment_membership" in query["sql"] and "notification" in query["sql"] for query in kept)
    assert Notification.objects.count() == 0
