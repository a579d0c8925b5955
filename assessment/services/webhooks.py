"""Outbound webhooks: organisation admins' subscriptions, and the events raised for them.

An event becomes one delivery row per interested active subscription, written in the same transaction as the
change it reports (the outbox), and is sent by a worker after the commit (services/webhook_delivery.py).
"""

import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    PING_EVENT,
    Assessment,
    Organisation,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from assessment.services import audit
from assessment.services.exceptions import RuleViolation
from assessment.services.queueing import publish_after_commit
from assessment.services.webhook_targets import TargetRefused, resolve_target

# Every event is one POST per subscription: a bound keeps a level change from fanning out without limit.
MAX_SUBSCRIPTIONS = 10
# Tells a leaked secret for what it is when found in a log or a repository.
SECRET_PREFIX = "whsec_"  # noqa: S105 - a fixed prefix, not a secret


def check_target_url(url: str) -> None:
    """Refuses (RuleViolation on target_url) a URL that webhooks may not go to; resolves the name, so call it
    before opening a transaction."""
    try:
        resolve_target(url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE_TARGETS)
    except TargetRefused as refused:
        raise RuleViolation(str(refused.message), field="target_url") from None


def create_subscription(
    *, organisation: Organisation, actor, target_url: str, description: str = "", events: list[str]
) -> WebhookSubscription:
    """A subscription with a new secret; the caller shows `secret` to the admin this once."""
    target_url = target_url.strip()
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown or not events:
        raise RuleViolation(_("Choose at least one of the events offered."), field="events")
    check_target_url(target_url)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # counted one at a time
        if organisation.webhook_subscriptions.count() >= MAX_SUBSCRIPTIONS:
            raise RuleViolation(
                _("An organisation can have at most %(count)d webhook subscriptions.") % {"count": MAX_SUBSCRIPTIONS}
            )
        subscription = WebhookSubscription.objects.create(
            organisation=organisation,
            target_url=target_url,
            description=description.strip(),
            secret=SECRET_PREFIX + secrets.token_urlsafe(32),
            events=sorted(set(events)),
            created_by=actor,
        )
        _record(subscription, actor, "webhook.created", after={"url": target_url, "events": subscription.events})
    return subscription


@transaction.atomic
def set_subscription_active(*, subscription: WebhookSubscription, active: bool, actor) -> WebhookSubscription:
    """Pauses or resumes. While paused no event is raised for it; deliveries already waiting are held and go out
    once it is resumed (the sweeper finds them)."""
    if subscription.is_active != active:
        subscription.is_active = active
        subscription.save(update_fields=["is_active"])
        _record(subscription, actor, "webhook.resumed" if active else "webhook.paused")
    return subscription


@transaction.atomic
def delete_subscription(*, subscription: WebhookSubscription, actor) -> None:
    """Deletes the subscription and its delivery history (nothing can send them any more); the audit trail keeps
    the fact and the counts."""
    counts = dict(subscription.deliveries.order_by().values_list("status").annotate(Count("pk")))
    _record(subscription, actor, "webhook.deleted", before={"url": subscription.target_url, "deliveries": counts})
    subscription.delete()


def send_test_event(*, subscription: WebhookSubscription, actor) -> WebhookDelivery:
    """A "ping" event to the subscription, signed like every other, so the receiver's check can be tried."""
    if not subscription.is_active:
        raise RuleViolation(_("Resume the subscription before sending it a test event."))
    check_target_url(subscription.target_url)
    payload = {
        "event": PING_EVENT,
        "occurred_at": timezone.now().isoformat(),
        "organisation": subscription.organisation.slug,
        "subscription": {"id": subscription.pk, "events": subscription.events},
    }
    with transaction.atomic():
        [delivery] = _create_deliveries([subscription], event=PING_EVENT, payload=payload)
        _record(subscription, actor, "webhook.test_sent", after={"delivery": str(delivery.event_id)})
    return delivery


def raise_level_changed(*, assessment: Assessment, changes: list[dict], occurred_at: str) -> list[WebhookDelivery]:
    """Queues a level.changed event for each active subscription of the assessment's organisation that wants it
    (inside the caller's transaction: the deliveries exist only if the new levels were stored)."""
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(
            organisation_id=assessment.organisation_id, is_active=True
        ).select_related("organisation")
        # Filtered here: SQLite cannot look inside a JSON list.
        if subscription.wants(WebhookEvent.LEVEL_CHANGED)
    ]
    if not subscriptions:
        return []
    project = assessment.project
    payload = {
        "event": WebhookEvent.LEVEL_CHANGED.value,
        "occurred_at": occurred_at,
        "organisation": subscriptions[0].organisation.slug,
        "project": {"id": project.pk, "name": project.name},
        "assessment": {
            "id": assessment.pk,
            "state": assessment.state,
            "url": settings.SITE_URL + reverse("assessment-overview", args=[assessment.pk]),
        },
        "changes": changes,
    }
    return _create_deliveries(subscriptions, event=WebhookEvent.LEVEL_CHANGED.value, payload=payload)


def _create_deliveries(subscriptions: list[WebhookSubscription], *, event: str, payload: dict):
    """One delivery per subscription, each with its own id (in the payload too), sent after the commit."""
    now = timezone.now()
    deliveries = []
    for subscription in subscriptions:
        event_id = uuid.uuid4()
        deliveries.append(
            WebhookDelivery(
                subscription=subscription,
                event_id=event_id,
                event=event,
                payload={**payload, "id": str(event_id)},
                next_attempt_at=now,
            )
        )
    created = WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in created:
        publish_after_commit("assessment.deliver_webhook", delivery.pk)
    return created


def _record(subscription: WebhookSubscription, actor, action: str, *, before=None, after=None) -> None:
    audit.record(
        organisation=subscription.organisation,
        actor=actor,
        action=action,
        target=subscription.target_url,
        before=before,
        after=after,
    )
