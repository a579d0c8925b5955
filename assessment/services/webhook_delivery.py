"""Delivering webhooks: one attempt per task run, at least once, and never again once delivered.

An attempt first claims the delivery with a conditional UPDATE (pending → sending, or a sending claim abandoned
long enough ago by a lost worker), so two copies of the task never send at once and a delivered one is never
sent again. Transient failures (no connection, timeout, TLS failure, the name not resolving, 5xx, 408, 429) put
it back to pending with the next attempt due after an exponential backoff, up to MAX_ATTEMPTS; anything else
(another 4xx, a redirect, a target that now resolves to an internal address) fails it at once. Receivers may
still see an attempt twice (a worker lost after sending): they deduplicate on X-DevOps-Maturity-Delivery.
"""

import datetime
import http.client
import json
import time

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone, translation

from assessment.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from assessment.services.webhook_http import post, signature
from assessment.services.webhook_targets import TargetRefused, TargetUnresolved, resolve_target

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 30  # before the second attempt; doubled each time after
# A countdown longer than the broker's visibility timeout is delivered again and again on Redis: stay below it.
BACKOFF_MAX_SECONDS = 300
# A claim older than this was abandoned (the task's hard time limit is far shorter).
STALE_CLAIM_SECONDS = 120
# A delivery overdue by this much lost its message (broker down at enqueue, retry message lost): the sweeper sends it.
SWEEP_GRACE_SECONDS = 60
RETRIED_STATUSES = {408, 429}


class RetryLater(Exception):
    """The attempt failed for a reason that may pass; the delivery is pending again, due in `delay` seconds."""

    def __init__(self, delay: int):
        super().__init__(delay)
        self.delay = delay


def body_of(delivery: WebhookDelivery) -> bytes:
    """The JSON body sent on every attempt (keys sorted: PostgreSQL does not keep their order)."""
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signed_headers(delivery: WebhookDelivery, body: bytes, *, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-DevOps-Maturity-Event": delivery.event,
        "X-DevOps-Maturity-Delivery": str(delivery.event_id),
        "X-DevOps-Maturity-Timestamp": str(timestamp),
        "X-DevOps-Maturity-Signature": signature(delivery.subscription.secret, timestamp, body),
    }


def backoff_seconds(attempts: int) -> int:
    """The wait after the given number of failed attempts: 30 s, 60 s, 120 s, 240 s, then 300 s."""
    return min(BACKOFF_MAX_SECONDS, BACKOFF_SECONDS * 2 ** max(0, attempts - 1))


def claim(delivery_id: int) -> WebhookDelivery | None:
    """Takes the delivery for one attempt; None when there is nothing to do (gone, done, paused, or being sent
    right now by another copy of the task)."""
    now = timezone.now()
    claimable = Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - datetime.timedelta(seconds=STALE_CLAIM_SECONDS)
    )
    # Exists, not subscription__is_active: a join would turn this into "id IN (SELECT …)", whose status test
    # PostgreSQL does not check again once a concurrent claim commits, so two copies could both take the row.
    active = Exists(WebhookSubscription.objects.filter(pk=OuterRef("subscription_id"), is_active=True))
    claimed = WebhookDelivery.objects.filter(claimable, active, pk=delivery_id).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, last_attempt_at=now
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    if delivery.attempts > MAX_ATTEMPTS:
        # Only an attempt abandoned by a lost worker gets here: it counted, and it was the last one.
        _finish(delivery, status=DeliveryStatus.FAILED, error=f"Gave up after {MAX_ATTEMPTS} attempts.")
        return None
    return delivery


def deliver_now(*, delivery_id: int) -> None:
    """One attempt at a delivery; raises RetryLater when it should be tried again later."""
    delivery = claim(delivery_id)
    if delivery is None:
        return
    body, timestamp = body_of(delivery), int(time.time())
    try:
        target = resolve_target(delivery.subscription.target_url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE_TARGETS)
        answer = post(
            target,
            body,
            signed_headers(delivery, body, timestamp=timestamp),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
    except TargetUnresolved:
        _failed_for_now(delivery, code=None, error="The host name could not be resolved.")
    except TargetRefused as refused:
        with translation.override("en"):
            _finish(delivery, status=DeliveryStatus.FAILED, error=str(refused.message))
    except (OSError, http.client.HTTPException) as error:
        _failed_for_now(delivery, code=None, error=f"{type(error).__name__}: {error}")
    else:
        if 200 <= answer.status < 300:
            _finish(delivery, status=DeliveryStatus.DELIVERED, code=answer.status, error=answer.excerpt)
        elif answer.status >= 500 or answer.status in RETRIED_STATUSES:
            _failed_for_now(delivery, code=answer.status, error=answer.excerpt)
        else:
            # A redirect is not followed (it could lead anywhere, internal addresses included); other 4xx say
            # the receiver will not take this request, so sending it again would not help.
            _finish(delivery, status=DeliveryStatus.FAILED, code=answer.status, error=answer.excerpt)


def _failed_for_now(delivery: WebhookDelivery, *, code: int | None, error: str) -> None:
    if delivery.attempts >= MAX_ATTEMPTS:
        _finish(delivery, status=DeliveryStatus.FAILED, code=code, error=error)
        return
    delay = backoff_seconds(delivery.attempts)
    due = timezone.now() + datetime.timedelta(seconds=delay)
    if _finish(delivery, status=DeliveryStatus.PENDING, code=code, error=error, next_attempt_at=due):
        raise RetryLater(delay)


def _finish(delivery: WebhookDelivery, *, status: str, code: int | None = None, error: str = "", **fields) -> bool:
    """Records the attempt's outcome, if the claim is still ours (a stale one may have been taken over)."""
    now = timezone.now()
    if status == DeliveryStatus.DELIVERED:
        fields["delivered_at"] = now
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.SENDING, claimed_at=delivery.claimed_at
        ).update(status=status, response_code=code, last_error=error[:300], claimed_at=None, **fields)
    )


def deliveries_due() -> QuerySet[WebhookDelivery]:
    """Deliveries whose message was lost (broker down at enqueue, retry message lost, worker lost mid-attempt) and
    whose subscription is active: the sweeper's work."""
    now = timezone.now()
    return WebhookDelivery.objects.filter(subscription__is_active=True).filter(
        Q(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lt=now - datetime.timedelta(seconds=SWEEP_GRACE_SECONDS),
        )
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - datetime.timedelta(seconds=STALE_CLAIM_SECONDS))
    )
