"""The webhook admin pages: organisation admins only; the secret shown once; bad input is a form error."""

import pytest
from django.urls import reverse

from assessment.models import AuditEntry, WebhookDelivery, WebhookSubscription
from assessment.services.webhooks import MAX_SUBSCRIPTIONS, create_subscription
from tests.webhooks.conftest import verifies

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}


@pytest.fixture
def admin_client(client, orgadmin):
    client.force_login(orgadmin)
    return client


def list_url(slug: str = "acme") -> str:
    return reverse("organisation-webhooks", args=[slug])


def add(client, **data):
    return client.post(reverse("organisation-webhook-add", args=["acme"]), data, headers=ENGLISH)


def test_the_admin_adds_a_webhook_and_sees_its_secret_once(admin_client, receiver):
    response = add(admin_client, target_url=receiver.url, description="CI dashboard", events=["level.changed"])

    subscription = WebhookSubscription.objects.get()
    body = response.content.decode()
    assert response.status_code == 200 and subscription.secret in body
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) > 40
    assert "no-store" in response["Cache-Control"]
    assert (subscription.target_url, subscription.events, subscription.is_active) == (
        receiver.url,
        ["level.changed"],
        True,
    )
    listed = admin_client.get(list_url(), headers=ENGLISH).content.decode()
    assert receiver.url in listed and "CI dashboard" in listed and "X-DevOps-Maturity-Signature" in listed
    assert subscription.secret not in listed
    assert AuditEntry.objects.filter(action="webhook.created", target=receiver.url).exists()


def test_the_organisation_admin_pages_link_to_the_webhooks(admin_client):
    body = admin_client.get(reverse("organisation-members", args=["acme"]), headers=ENGLISH).content.decode()
    assert f'href="{list_url()}"' in body and "Webhooks" in body


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "Enter a valid URL."),
        ("ftp://example.com/hook", "Only http:// and https:// URLs"),
        ("https://user:secret@example.com/hook", "Put no user name or password in the URL"),
        ("https://no-such-host.invalid/hook", "could not be resolved"),
    ],
)
def test_bad_urls_are_form_errors(admin_client, url, message):
    response = add(admin_client, target_url=url, events=["level.changed"])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "http://169.254.169.254/latest/", "http://[::1]/"])
def test_internal_targets_are_refused_unless_allowed(settings, admin_client, url):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    response = add(admin_client, target_url=url, events=["level.changed"])
    assert response.status_code == 200
    assert "private, loopback or link-local address" in response.content.decode()
    assert not WebhookSubscription.objects.exists()

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    assert add(admin_client, target_url=url, events=["level.changed"]).status_code == 200
    assert WebhookSubscription.objects.filter(target_url=url).exists()


def test_no_event_chosen_is_a_form_error(admin_client, receiver):
    response = add(admin_client, target_url=receiver.url)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_an_organisation_has_a_bounded_number_of_webhooks(admin_client, orgadmin, acme, receiver):
    for number in range(MAX_SUBSCRIPTIONS):
        create_subscription(
            organisation=acme[0], actor=orgadmin, target_url=f"{receiver.url}/{number}", events=["level.changed"]
        )
    response = add(admin_client, target_url=receiver.url, events=["level.changed"])
    assert response.status_code == 200 and "at most 10 webhook subscriptions" in response.content.decode()


def test_pause_resume_test_and_delete(
    admin_client, eager_tasks, subscription, receiver, django_capture_on_commit_callbacks
):
    active_url = reverse("organisation-webhook-active", args=["acme", subscription.pk])
    test_url = reverse("organisation-webhook-test", args=["acme", subscription.pk])

    assert admin_client.post(active_url, {"active": "false"}).status_code == 302
    subscription.refresh_from_db()
    assert not subscription.is_active
    response = admin_client.post(test_url, headers=ENGLISH, follow=True)
    assert "Resume the subscription before sending it a test event." in response.content.decode()
    assert receiver.received == []

    admin_client.post(active_url, {"active": "true"})
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(test_url).status_code == 302
    [request] = receiver.received
    assert request.headers["X-DevOps-Maturity-Event"] == "ping" and verifies(subscription.secret, request)
    listed = admin_client.get(list_url(), headers=ENGLISH).content.decode()
    assert "Delivered" in listed and request.headers["X-DevOps-Maturity-Delivery"] in listed

    delete_url = reverse("organisation-webhook-delete", args=["acme", subscription.pk])
    assert "Delete the webhook to" in admin_client.get(delete_url, headers=ENGLISH).content.decode()
    assert admin_client.post(delete_url).status_code == 302
    assert not WebhookSubscription.objects.exists() and not WebhookDelivery.objects.exists()
    actions = list(AuditEntry.objects.filter(action__startswith="webhook.").values_list("action", flat=True))
    assert sorted(actions) == sorted(
        ["webhook.created", "webhook.paused", "webhook.resumed", "webhook.test_sent", "webhook.deleted"]
    )
    deleted = AuditEntry.objects.get(action="webhook.deleted")
    assert deleted.before["deliveries"] == {"delivered": 1}


def test_the_list_reads_a_fixed_number_of_queries(
    admin_client, orgadmin, acme, receiver, django_assert_max_num_queries
):
    from assessment.services.webhooks import _create_deliveries

    for number in range(4):
        subscription = create_subscription(
            organisation=acme[0], actor=orgadmin, target_url=f"{receiver.url}/{number}", events=["level.changed"]
        )
        _create_deliveries([subscription] * 7, event="ping", payload={})
    admin_client.get(list_url())  # warm the session and membership caches
    with django_assert_max_num_queries(8):
        body = admin_client.get(list_url()).content.decode()
    assert body.count("badge-delivery-pending") == 4 * 5  # the latest five of each


ROLES = {"team": 403, "assessor": 403, "manager": 403, "orgadmin": None, "outsider": 404}


@pytest.mark.parametrize(("persona", "expected"), list(ROLES.items()))
def test_only_the_organisations_admins_manage_its_webhooks(
    client, request, persona, expected, subscription, team, assessor, manager, orgadmin, outsider
):
    client.force_login(request.getfixturevalue(persona))
    ids = ["acme", subscription.pk]
    calls = [
        ("get", list_url(), {}, 200),
        ("get", reverse("organisation-webhook-add", args=["acme"]), {}, 200),
        ("post", reverse("organisation-webhook-add", args=["acme"]), {"target_url": "x"}, 200),
        ("post", reverse("organisation-webhook-active", args=ids), {"active": "false"}, 302),
        ("post", reverse("organisation-webhook-test", args=ids), {}, 302),
        ("get", reverse("organisation-webhook-delete", args=ids), {}, 200),
        ("post", reverse("organisation-webhook-delete", args=ids), {}, 302),
    ]
    for method, url, data, allowed in calls:
        response = getattr(client, method)(url, data)
        assert response.status_code == (expected or allowed), (method, url)
    assert WebhookSubscription.objects.filter(pk=subscription.pk).exists() == (persona != "orgadmin")


def test_an_admin_of_another_organisation_cannot_reach_acmes_webhook_through_their_own(client, outsider, subscription):
    client.force_login(outsider)
    assert client.get(list_url("other")).status_code == 200  # outsider administers "other"
    for name in ("organisation-webhook-active", "organisation-webhook-test", "organisation-webhook-delete"):
        assert client.post(reverse(name, args=["other", subscription.pk]), {"active": "false"}).status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active and not subscription.deliveries.exists()
    assert subscription.target_url not in client.get(list_url("other")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, subscription):
    response = client.get(list_url())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
