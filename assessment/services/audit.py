"""Writing the audit trail: every service that changes something records it here, in the same transaction."""

from assessment.models import Assessment, AuditEntry, Organisation


def record(
    *,
    organisation: Organisation,
    actor,
    action: str,
    target: str = "",
    assessment: Assessment | None = None,
    before=None,
    after=None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        organisation=organisation,
        assessment=assessment,
        actor=actor,
        action=action,
        target=target[:200],
        before=before,
        after=after,
    )
