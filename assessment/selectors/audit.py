"""Reads of the audit trail, filtered the way assessors and admins look for things."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from assessment.models import Assessment, AuditEntry, Organisation

# What the filter offers, by the first word of the entries' action names.
KINDS = ("assessment", "answer", "evidence", "verdict", "decision", "membership", "project")


@dataclass(frozen=True)
class AuditFilter:
    kind: str = ""
    actor: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_entries(
    *, organisation: Organisation, assessment: Assessment | None = None, filters: AuditFilter = AuditFilter()
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(organisation=organisation).select_related("actor")
    if assessment is not None:
        entries = entries.filter(assessment=assessment)
    if filters.kind in KINDS:
        entries = entries.filter(action__startswith=f"{filters.kind}.")
    if filters.actor == "-":
        entries = entries.filter(actor__isnull=True)
    elif filters.actor:
        entries = entries.filter(actor__username=filters.actor)
    if filters.since:
        entries = entries.filter(created_at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(created_at__date__lte=filters.until)
    return entries.order_by("-created_at", "-pk")
