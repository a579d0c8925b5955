"""What the organisation admin page tests share: the acme organisation's pages and forms."""

from django.urls import reverse

from assessment.models import Membership

ENGLISH = {"accept-language": "en"}


def membership(user) -> Membership:
    return Membership.objects.get(user=user, organisation__slug="acme")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def members_url() -> str:
    return reverse("organisation-members", args=["acme"])


def membership_of_username(username: str) -> Membership:
    return Membership.objects.select_related("user").get(user__username=username, organisation__slug="acme")


def project_form(**changes) -> dict:
    return {"name": "Billing", "description": "Invoices\nand payments", "target_level": "4", "team": [], **changes}
