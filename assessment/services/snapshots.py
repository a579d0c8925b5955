"""Metric snapshots: delivery figures measured over a period, recorded as evidence of kind metric_snapshot so
that criteria whose checks read those facts get verdicts through the same scoring path as uploaded files.

The assessment app does not know where the figures come from (the metrics app measures them and calls this).
A snapshot is a file-less piece of evidence, already read: its facts are the figures, its note says what they
are. One snapshot per assessment and period: recording the same period again replaces the facts in place.
"""

import datetime
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment, Criterion, Evidence, EvidenceLink, EvidenceSource, ScoringStatus
from assessment.scoring.checks import check_facts
from assessment.services import audit
from assessment.services.assessments import ensure_team_editable
from assessment.services.scoring import refresh_verdicts

SNAPSHOT_KIND = "metric_snapshot"


def snapshot_name(period_start: datetime.date, period_end: datetime.date) -> str:
    """The stored name says what the evidence is in both languages (it is shown as written)."""
    return f"交付度量 Delivery metrics {period_start:%Y-%m-%d} – {period_end:%Y-%m-%d}"


def criteria_reading(assessment: Assessment, facts: dict) -> list[Criterion]:
    """The assessment's criteria in scope with a check over any of these facts."""
    candidates = Criterion.objects.filter(
        model_id=assessment.model_id, subitem__item__subdomain__part__in=assessment.parts.all()
    ).exclude(checks=[])
    return [
        criterion
        for criterion in candidates
        if any(fact in facts for check in criterion.checks for fact in check_facts(check))
    ]


def _digest(facts: dict, period_start: datetime.date, period_end: datetime.date) -> str:
    content = {"facts": facts, "period": [period_start.isoformat(), period_end.isoformat()]}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _relink(evidence: Evidence, criteria: list[Criterion]) -> set[int]:
    """Links the evidence to exactly these criteria; returns every criterion whose verdict may change."""
    linked = set(evidence.links.values_list("criterion_id", flat=True))
    wanted = {criterion.pk for criterion in criteria}
    evidence.links.filter(criterion_id__in=linked - wanted).delete()
    EvidenceLink.objects.bulk_create(
        EvidenceLink(evidence=evidence, criterion_id=criterion_id) for criterion_id in sorted(wanted - linked)
    )
    return linked | wanted


@transaction.atomic
def record_metric_snapshot(
    *, assessment: Assessment, facts: dict, period_start: datetime.date, period_end: datetime.date, summary: str
) -> Evidence | None:
    """Records (or replaces) the assessment's snapshot for the period [period_start, period_end] (last day
    included), links it to the criteria whose checks read its facts, and refreshes their verdicts. None when no
    criterion in scope reads any of the facts."""
    assessment = Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
    ensure_team_editable(assessment)
    criteria = criteria_reading(assessment, facts)
    name = snapshot_name(period_start, period_end)
    evidence = Evidence.objects.filter(
        assessment=assessment, kind=SNAPSHOT_KIND, name=name, removed_at__isnull=True
    ).first()
    if not criteria and evidence is None:
        return None
    fields = {
        "facts": facts,
        "summary": summary[:300],
        "note": summary,
        "sha256": _digest(facts, period_start, period_end),
        "status": ScoringStatus.SCORED,
        "status_changed_at": timezone.now(),
    }
    if evidence is None:
        evidence = Evidence.objects.create(
            organisation=assessment.organisation,
            assessment=assessment,
            source=EvidenceSource.NOTE,
            kind=SNAPSHOT_KIND,
            name=name,
            # Measured, not uploaded: it stands in the name of the person who started the assessment.
            uploaded_by_id=assessment.created_by_id,
            effective_on=period_end,
            **fields,
        )
    else:
        for field, value in fields.items():
            setattr(evidence, field, value)
        evidence.save(update_fields=list(fields))
    touched = _relink(evidence, criteria)
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=None,
        action="evidence.metric_snapshot",
        target=name,
        after={"id": evidence.pk, "facts": facts, "criteria": [criterion.code for criterion in criteria]},
    )
    refresh_verdicts(assessment, criterion_ids=sorted(touched))
    return evidence
