"""Storing delivery events, idempotent on the sender's key `(project, source, external_id)` per event type.

The rule: a delivery replaces the row its key names. Identical content changes nothing and counts as
`unchanged`; different content overwrites the row's fields and counts as `updated` (a sender that corrects an
event, e.g. a deployment's result, resends it under the same id); an unknown key is `created`. Bad events are
rejected one by one with their position and reasons; the good ones are stored.

Concurrent deliveries to one project are serialised by a transaction-scoped advisory lock on PostgreSQL, so the
counts are exact; the insert also says ON CONFLICT DO NOTHING, so a racing writer can never cause a 500.
SQLite serialises writers by itself.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _

from assessment.models import Project
from assessment.services.queueing import publish_after_commit
from metrics.parsers.event_input import FIELDS, MODELS, EventRow, InvalidEvent, read_event

# Distinguishes our advisory locks from any other user of pg_advisory_xact_lock(int, int).
_LOCK_NAMESPACE = 7_000_007


@dataclass
class Rejection:
    index: int
    errors: dict[str, list[str]]
    external_id: str = ""

    def as_dict(self) -> dict:
        return {"index": self.index, "external_id": self.external_id, "errors": self.errors}


@dataclass
class IngestReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [rejection.as_dict() for rejection in self.rejected],
        }


def read_events(items: list, *, default_source: str = "api") -> tuple[list[EventRow], list[Rejection]]:
    """Valid events in order, and the rejected ones by position. A key repeated within one batch is refused:
    which of the two would be meant is not ours to guess."""
    rows: list[EventRow] = []
    rejected: list[Rejection] = []
    first_seen: dict[tuple, int] = {}
    for index, item in enumerate(items):
        try:
            row = read_event(item, default_source=default_source)
        except InvalidEvent as invalid:
            external_id = item.get("external_id") if isinstance(item, dict) else None
            rejected.append(Rejection(index, invalid.errors, str(external_id or "")[:200]))
            continue
        if row.key in first_seen:
            message = _("The same type, source and external_id already appear at position %(index)d.")
            errors = {"external_id": [message % {"index": first_seen[row.key]}]}
            rejected.append(Rejection(index, errors, row.external_id))
            continue
        first_seen[row.key] = index
        rows.append(row)
    return rows, rejected


def ingest_events(*, project: Project, items: list, default_source: str = "api") -> IngestReport:
    """Validates and stores a batch of events for the project; see the module's rule."""
    rows, rejected = read_events(items, default_source=default_source)
    report = store_events(project=project, rows=rows)
    report.rejected = rejected
    return report


@transaction.atomic
def store_events(*, project: Project, rows: list[EventRow]) -> IngestReport:
    """Stores valid events; links are recomputed after commit when anything changed."""
    report = IngestReport()
    if not rows:
        return report
    _serialise_project_writes(project.pk)
    for kind, model in MODELS.items():
        of_kind = [row for row in rows if row.type == kind]
        if of_kind:
            _upsert(model, project, of_kind, report)
    if report.created or report.updated:
        publish_after_commit("metrics.relink_project", project.pk)
    return report


def _serialise_project_writes(project_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, project_id])


def _upsert(model, project: Project, rows: list[EventRow], report: IngestReport) -> None:
    names = list(FIELDS[rows[0].type])
    existing = {
        (event.source, event.external_id): event
        for event in model.objects.filter(project=project, external_id__in={row.external_id for row in rows}).only(
            "pk", "source", "external_id", *names
        )
    }
    new, changed = [], []
    for row in rows:
        event = existing.get((row.source, row.external_id))
        if event is None:
            new.append(model(organisation_id=project.organisation_id, project=project, **_key(row), **row.values))
        elif any(getattr(event, name) != value for name, value in row.values.items()):
            for name, value in row.values.items():
                setattr(event, name, value)
            changed.append(event)
    if new:
        model.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    if changed:
        model.objects.bulk_update(changed, names, batch_size=500)
    report.created += len(new)
    report.updated += len(changed)
    report.unchanged += len(rows) - len(new) - len(changed)


def _key(row: EventRow) -> dict:
    return {"source": row.source, "external_id": row.external_id}
