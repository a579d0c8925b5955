"""A real Celery worker on the real Redis broker refreshes the levels and delivers the webhook, retry included."""

import json

import pytest

from assessment.models import DeliveryStatus, WebhookDelivery
from assessment.services import webhook_delivery
from tests.test_worker import wait_for
from tests.webhooks.conftest import reach_level_one_in_configuration_management, verifies

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_level_change_is_delivered_by_the_worker_after_a_retry(
    monkeypatch, celery_worker, assessment, team, subscription, receiver
):
    from django.conf import settings

    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this test must cross the real queue"
    monkeypatch.setattr(webhook_delivery, "BACKOFF_SECONDS", 1)  # the retry's countdown, through the broker
    receiver.statuses = [503]

    reach_level_one_in_configuration_management(assessment, team)

    delivered = wait_for(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).first())
    assert delivered.attempts == 2 and WebhookDelivery.objects.count() == 1
    first, second = receiver.received
    assert first.headers["X-DevOps-Maturity-Delivery"] == second.headers["X-DevOps-Maturity-Delivery"]
    assert verifies(subscription.secret, second)
    assert json.loads(second.body)["changes"] == [
        {"reading": "provisional", "scope": "subdomain", "code": "cd.cm", "before": "0", "after": "1"}
    ]
