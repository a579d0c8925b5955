"""Applying a verified webhook delivery once: the delivery id is recorded with the events it carried.

Replays (the same delivery id again, e.g. a manual redelivery or a retry after a timeout) are answered as
"already received" and change nothing. The id is stored in the same transaction as the events, so a delivery
that failed half-way was never recorded and its retry is applied normally.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.models import Project
from metrics.models import HookDelivery
from metrics.parsers.hook_payload import Reading
from metrics.services.ingest import IngestReport, ingest_events


@dataclass
class DeliveryOutcome:
    already_received: bool = False
    report: IngestReport | None = None


@transaction.atomic
def receive_delivery(*, project: Project, provider: str, reading: Reading) -> DeliveryOutcome:
    """Records the delivery and stores its events, or reports that it was received before."""
    try:
        with transaction.atomic():
            HookDelivery.objects.create(
                project=project, provider=provider, delivery_id=reading.delivery_id[:200], event=reading.event[:100]
            )
    except IntegrityError:
        return DeliveryOutcome(already_received=True)
    if reading.ignored:
        return DeliveryOutcome()
    return DeliveryOutcome(report=ingest_events(project=project, items=reading.events, default_source=provider))


def forget_old_deliveries() -> int:
    """Deletes delivery records older than the replay window and a day: deliveries carrying a time that old are
    refused anyway; one without a time replayed later is applied again, which changes nothing if it is the same."""
    cutoff = timezone.now() - timedelta(seconds=settings.METRICS_HOOK_MAX_AGE_SECONDS, days=1)
    deleted, _by_model = HookDelivery.objects.filter(received_at__lt=cutoff).delete()
    return deleted
