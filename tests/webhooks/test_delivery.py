"""Delivery: retried on transient failures with a bounded number of attempts, never resent once delivered,
failed at once on other 4xx and redirects, swept up when its message was lost, and only to allowed targets."""

import datetime
import socket

import pytest
from django.utils import timezone

from assessment.models import DeliveryStatus, WebhookDelivery
from assessment.services import webhook_delivery
from assessment.services.webhooks import send_test_event
from assessment.tasks import deliver_webhook, sweep_webhook_deliveries
from tests.webhooks.conftest import verifies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager(eager_tasks):
    """Tasks run in-process; a retry runs at once (eager mode ignores the countdown)."""


def ping(subscription, orgadmin, capture) -> WebhookDelivery:
    with capture(execute=True):
        delivery = send_test_event(subscription=subscription, actor=orgadmin)
    delivery.refresh_from_db()
    return delivery


def test_a_server_error_is_retried_and_the_delivery_arrives_once(
    subscription, orgadmin, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    delivery = ping(subscription, orgadmin, django_capture_on_commit_callbacks)

    assert [request.headers["X-DevOps-Maturity-Delivery"] for request in receiver.received] == [
        str(delivery.event_id)
    ] * 2
    assert all(verifies(subscription.secret, request) for request in receiver.received)
    assert receiver.received[0].body == receiver.received[1].body  # the same event, signed again
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2 and delivery.response_code == 200
    assert delivery.delivered_at is not None


def test_a_client_error_fails_at_once_and_is_not_retried(
    subscription, orgadmin, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [400]
    delivery = ping(subscription, orgadmin, django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1
    assert delivery.status == DeliveryStatus.FAILED and delivery.response_code == 400 and delivery.attempts == 1
    deliver_webhook.delay(delivery.pk)
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed(
    subscription, orgadmin, receiver, make_receiver, django_capture_on_commit_callbacks
):
    elsewhere = make_receiver()
    receiver.statuses, receiver.location = [302], elsewhere.url
    delivery = ping(subscription, orgadmin, django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1 and elsewhere.received == []
    assert delivery.status == DeliveryStatus.FAILED and delivery.response_code == 302


def test_a_delivered_event_is_never_sent_again(subscription, orgadmin, receiver, django_capture_on_commit_callbacks):
    delivery = ping(subscription, orgadmin, django_capture_on_commit_callbacks)
    deliver_webhook.delay(delivery.pk)
    deliver_webhook.delay(delivery.pk)
    sweep_webhook_deliveries.delay()

    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_attempt(
    subscription, orgadmin, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [503] * 20
    delivery = ping(subscription, orgadmin, django_capture_on_commit_callbacks)

    assert len(receiver.received) == webhook_delivery.MAX_ATTEMPTS
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == webhook_delivery.MAX_ATTEMPTS
    assert delivery.response_code == 503


def test_a_receiver_that_answers_too_slowly_is_tried_again(
    settings, subscription, orgadmin, receiver, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.delays = [1.5]
    delivery = ping(subscription, orgadmin, django_capture_on_commit_callbacks)

    assert len(receiver.received) == 2
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2


def test_no_connection_is_retried_with_a_growing_pause(subscription, orgadmin, django_capture_on_commit_callbacks):
    from assessment.services.webhooks import create_subscription

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    dead = create_subscription(
        organisation=subscription.organisation,
        actor=orgadmin,
        target_url=f"http://127.0.0.1:{port}/",
        events=["level.changed"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_test_event(subscription=dead, actor=orgadmin)
    delivery.refresh_from_db()

    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == webhook_delivery.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in delivery.last_error and delivery.response_code is None
    assert [webhook_delivery.backoff_seconds(n) for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


def test_a_transient_failure_leaves_the_delivery_pending_until_its_next_attempt_is_due(subscription, receiver):
    from assessment.services.webhooks import _create_deliveries

    receiver.statuses = [502]
    [delivery] = _create_deliveries([subscription], event="ping", payload={"event": "ping"})
    with pytest.raises(webhook_delivery.RetryLater) as later:
        webhook_delivery.deliver_now(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert later.value.delay == 30
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1 and delivery.response_code == 502
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(seconds=25)
    assert not webhook_delivery.deliveries_due().exists()  # the retry message is on its way: not the sweeper's


def test_the_sweeper_sends_what_the_broker_lost(subscription, receiver):
    from assessment.services.webhooks import _create_deliveries

    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    lost, abandoned, recent = _create_deliveries([subscription] * 3, event="ping", payload={"event": "ping"})
    WebhookDelivery.objects.filter(pk=lost.pk).update(next_attempt_at=long_ago)
    WebhookDelivery.objects.filter(pk=abandoned.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, claimed_at=long_ago, next_attempt_at=long_ago
    )

    assert sweep_webhook_deliveries.delay().get() == 2
    sent = {request.headers["X-DevOps-Maturity-Delivery"] for request in receiver.received}
    assert sent == {str(lost.event_id), str(abandoned.event_id)}
    statuses = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: "delivered", abandoned.pk: "delivered", recent.pk: "pending"}


def test_a_delivery_being_sent_is_not_taken_by_a_second_copy_of_the_task(subscription, receiver):
    from assessment.services.webhooks import _create_deliveries

    [delivery] = _create_deliveries([subscription], event="ping", payload={"event": "ping"})
    assert webhook_delivery.claim(delivery.pk) is not None
    deliver_webhook.delay(delivery.pk)  # a duplicate message while the first attempt is under way

    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING and delivery.attempts == 1


def test_deliveries_of_a_paused_subscription_wait_and_go_out_once_it_resumes(
    subscription, orgadmin, receiver, django_capture_on_commit_callbacks
):
    from assessment.services.webhooks import _create_deliveries, set_subscription_active

    [delivery] = _create_deliveries([subscription], event="ping", payload={"event": "ping"})
    set_subscription_active(subscription=subscription, active=False, actor=orgadmin)
    deliver_webhook.delay(delivery.pk)
    assert receiver.received == []

    set_subscription_active(subscription=subscription, active=True, actor=orgadmin)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    sweep_webhook_deliveries.delay()
    assert len(receiver.received) == 1


def test_a_target_that_turned_private_is_refused_at_delivery_time(
    settings, subscription, orgadmin, receiver, django_capture_on_commit_callbacks
):
    from assessment.services.webhooks import _create_deliveries

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False  # e.g. its name now resolves to 127.0.0.1
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = _create_deliveries([subscription], event="ping", payload={"event": "ping"})
    delivery.refresh_from_db()

    assert receiver.received == []
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert "private, loopback or link-local" in delivery.last_error


def test_the_connection_goes_to_the_checked_address_with_the_name_in_the_host_header(
    monkeypatch, settings, subscription, orgadmin, receiver, django_capture_on_commit_callbacks
):
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    resolved = []

    real_getaddrinfo = socket.getaddrinfo

    def fake_getaddrinfo(host, port_, *args, **kwargs):
        if host == "127.0.0.1":  # the connection to the checked address
            return real_getaddrinfo(host, port_, *args, **kwargs)
        resolved.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port_))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    subscription.target_url = f"http://hooks.example.test:{port}/in?source=dm"
    subscription.save(update_fields=["target_url"])
    delivery = ping(subscription, orgadmin, django_capture_on_commit_callbacks)

    [request] = receiver.received
    assert request.headers["Host"] == f"hooks.example.test:{port}" and request.path == "/in?source=dm"
    assert delivery.status == DeliveryStatus.DELIVERED
    # Resolved once to check the test event and once for the attempt, which connected to that very address.
    assert resolved == ["hooks.example.test", "hooks.example.test"]


@pytest.mark.django_db(transaction=True)
def test_two_copies_of_the_task_at_once_send_one_request(subscription, receiver):
    """Two workers given the same delivery at the same moment (a redelivered message): one claim wins."""
    import threading

    from django.db import connection

    from assessment.services.webhooks import _create_deliveries

    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections: PostgreSQL only (SQLite serialises the whole database)")
    receiver.delays = [0.5]
    [delivery] = _create_deliveries([subscription], event="ping", payload={"event": "ping"})
    start = threading.Barrier(2)

    def attempt():
        start.wait()
        try:
            webhook_delivery.deliver_now(delivery_id=delivery.pk)
        finally:
            connection.close()

    workers = [threading.Thread(target=attempt) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
