"""Reads for the webhook admin page, scoped to one organisation the caller administers."""

from django.db.models import Prefetch, QuerySet

from assessment.models import Organisation, WebhookDelivery, WebhookSubscription

RECENT_DELIVERIES = 5


def subscriptions(organisation: Organisation) -> QuerySet[WebhookSubscription]:
    """The organisation's subscriptions, each with its latest deliveries as `recent_deliveries` (two queries)."""
    recent = WebhookDelivery.objects.order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
    return (
        organisation.webhook_subscriptions.select_related("created_by")
        .prefetch_related(Prefetch("deliveries", queryset=recent, to_attr="recent_deliveries"))
        .order_by("created_at", "pk")
    )
