"""Publication: the assessment's result frozen into a snapshot, and a new assessment that supersedes it.

The snapshot holds what the result was read from (the team's claims and the accepted criteria by criterion,
the decisions, the evidence digests, the model version and roll-up rule) and the levels as published. Once
published, both readings come from the snapshot only (selectors/levels.py), so later catalogue, evidence or
answer changes cannot alter a published result.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Answer, Assessment, AssessmentState, Decision, Evidence, EvidenceLink
from assessment.selectors.levels import accepted_answers, claimed_now
from assessment.services import audit
from assessment.services.assessments import start_assessment
from assessment.services.exceptions import RuleViolation
from assessment.services.levels import refresh_stored_levels
from assessment.services.scoring import refresh_verdicts

SNAPSHOT_FORMAT = 1


def freeze_snapshot(*, assessment: Assessment, actor) -> dict:
    """Writes the snapshot of an assessment being published (inside the publishing transaction)."""
    now = timezone.now()
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "published_at": now.isoformat(),
        "published_by": actor.get_username(),
        "model": {"key": assessment.model.key, "version": assessment.model.version, "rollup": assessment.model.rollup},
        "target_level": assessment.target_level,
        "claimed": {str(criterion_id): value for criterion_id, value in claimed_now(assessment).items()},
        "accepted": {str(criterion_id): value for criterion_id, value in accepted_answers(assessment).items()},
        "decisions": _decisions(assessment),
        "evidence": _evidence(assessment),
    }
    assessment.snapshot, assessment.published_at = snapshot, now
    assessment.save(update_fields=["snapshot", "published_at"])
    stored = refresh_stored_levels(assessment)
    snapshot["levels"] = {"provisional": stored["provisional"], "confirmed": stored["confirmed"]}
    assessment.save(update_fields=["snapshot"])
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=actor,
        action="assessment.snapshot",
        target=str(assessment.pk),
        after={"levels": snapshot["levels"]["confirmed"]["parts"], "evidence": len(snapshot["evidence"])},
    )
    return snapshot


def _decisions(assessment: Assessment) -> list[dict]:
    rows = Decision.objects.filter(assessment=assessment, is_current=True).select_related("criterion", "decided_by")
    return [
        {
            "criterion": decision.criterion.code,
            "decision": decision.value,
            "comment": decision.comment,
            "verdict": decision.verdict_value,
            "override_reason": decision.override_reason,
            "decided_by": decision.decided_by.get_username(),
            "decided_at": decision.decided_at.isoformat(),
        }
        for decision in rows.order_by("criterion__code")
    ]


def _evidence(assessment: Assessment) -> list[dict]:
    codes: dict[int, list[str]] = {}
    links = EvidenceLink.objects.filter(evidence__assessment=assessment, evidence__removed_at__isnull=True)
    for evidence_id, code in links.values_list("evidence_id", "criterion__code").order_by("criterion__code"):
        codes.setdefault(evidence_id, []).append(code)
    rows = Evidence.objects.filter(assessment=assessment, removed_at__isnull=True).select_related("uploaded_by")
    return [
        {
            "id": item.pk,
            "name": item.name,
            "source": item.source,
            "kind": item.kind,
            "sha256": item.sha256,
            "uploaded_by": item.uploaded_by.get_username(),
            "uploaded_at": item.uploaded_at.isoformat(),
            "effective_on": item.effective_on.isoformat(),
            "expires_on": item.expires_on.isoformat() if item.expires_on else None,
            "criteria": codes.get(item.pk, []),
        }
        for item in rows.order_by("pk")
    ]


@transaction.atomic
def start_successor(*, published: Assessment, actor) -> Assessment:
    """A new draft that supersedes a published assessment: same model version, parts and target, starting from
    its answers and evidence. The published one stays as it is."""
    published = Assessment.objects.select_for_update().get(pk=published.pk)
    if published.state != AssessmentState.PUBLISHED:
        raise RuleViolation(_("Only a published assessment can be superseded."), field="state")
    if Assessment.objects.filter(supersedes=published).exists():
        raise RuleViolation(_("This assessment was superseded already."), field="state")
    successor = start_assessment(
        project=published.project,
        actor=actor,
        target_level=published.target_level,
        part_codes=list(published.parts.values_list("code", flat=True)),
        model=published.model,
    )
    successor.supersedes = published
    successor.save(update_fields=["supersedes"])
    _copy_answers(published, successor, actor)
    criterion_ids = _copy_evidence(published, successor)
    refresh_verdicts(successor, criterion_ids=criterion_ids)
    audit.record(
        organisation=published.organisation,
        assessment=successor,
        actor=actor,
        action="assessment.supersedes",
        target=str(published.pk),
        after={"supersedes": published.pk},
    )
    return successor


def _copy_answers(source: Assessment, target: Assessment, actor) -> None:
    fields = ("criterion_id", "value", "comment", "justification")
    Answer.objects.bulk_create(
        Answer(assessment=target, updated_by=actor, **dict(zip(fields, row, strict=True)))
        for row in Answer.objects.filter(assessment=source).values_list(*fields)
    )


def _copy_evidence(source: Assessment, target: Assessment) -> list[int]:
    """Copies the evidence records (the stored files are shared: evidence files are never changed or deleted)."""
    criterion_ids: set[int] = set()
    for item in Evidence.objects.filter(assessment=source, removed_at__isnull=True).prefetch_related("links"):
        linked = [link.criterion_id for link in item.links.all()]
        item.pk, item.assessment = None, target
        item.save()
        EvidenceLink.objects.bulk_create(EvidenceLink(evidence=item, criterion_id=cid) for cid in linked)
        criterion_ids.update(linked)
    return sorted(criterion_ids)
