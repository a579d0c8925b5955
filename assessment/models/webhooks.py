"""Outbound webhooks: an organisation's subscriptions to events (a level changed) and each delivery to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.tenancy import Organisation


class WebhookEvent(models.TextChoices):
    LEVEL_CHANGED = "level.changed", _("A part or sub-domain level changed")


# Sent on request from the admin page, whatever the subscription's events: not a choice of events.
PING_EVENT = "ping"


class WebhookSubscription(models.Model):
    """Where an organisation wants its events POSTed, signed with a secret only we and the receiver know.

    The secret has to be kept readable to sign with (an HMAC needs the key itself); it is shown to the admin once,
    when the subscription is created, and never again (not on the pages, not in the Django admin).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="webhook_subscriptions")
    target_url = models.URLField(_("target URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("webhook subscription")

    def __str__(self) -> str:
        return self.target_url

    def wants(self, event: str) -> bool:
        return event in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row the delivery task works from (services/webhook_delivery.py).

    `event_id` goes out in the payload and the X-DevOps-Maturity-Delivery header and stays the same on every
    attempt, so a receiver can ignore a repeat.
    """

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the next attempt is due; the sweeper sends what is overdue (e.g. the broker was down).
    next_attempt_at = models.DateTimeField()
    # When the current attempt took the row (status sending): a claim older than the stale limit was abandoned.
    claimed_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # What went wrong, or the start of the receiver's answer: never its whole body.
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_recent"),
        ]
        verbose_name = _("webhook delivery")

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} → {self.subscription_id}: {self.status}"
