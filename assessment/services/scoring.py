"""Scoring: read an evidence file, record its facts, and refresh the verdicts and levels that depend on it.

Runs in a Celery worker (assessment/tasks.py). Safe to run twice for the same evidence: only a pending piece
(or one whose reading was abandoned by a lost worker) is claimed, with a conditional UPDATE, and every result
is written with update_or_create, so repeats leave exactly one result.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from assessment.models import Assessment, AssessmentState, Criterion, Evidence, EvidenceLink, ScoringStatus, Verdict
from assessment.parsers.reading import ParseError, read_evidence
from assessment.scoring.checks import EvidenceFacts, evaluate
from assessment.services import audit
from assessment.services.evidence_store import DigestMismatch, store_errors, verify_digest
from assessment.services.exceptions import StoreUnavailable
from assessment.services.levels import refresh_stored_levels

MAX_ATTEMPTS = 3


def _stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.EVIDENCE_SCORING_STALE_SECONDS)


def claim_for_scoring(evidence_id: int, task_id: str) -> Evidence | None:
    """Marks the evidence as being read and returns it; None when there is nothing to do (gone, done, or
    being read right now by another delivery). The same message delivered again after its worker died
    (same task id) may take its reading back at once; another message only once the reading went stale."""
    claimable = (
        Q(status=ScoringStatus.PENDING)
        | Q(status=ScoringStatus.SCORING, scoring_task_id=task_id)
        | Q(status=ScoringStatus.SCORING, status_changed_at__lt=_stale_before())
    )
    claimed = Evidence.objects.filter(claimable, pk=evidence_id, removed_at__isnull=True).update(
        status=ScoringStatus.SCORING,
        attempts=F("attempts") + 1,
        status_changed_at=timezone.now(),
        scoring_task_id=task_id,
    )
    if not claimed:
        return None
    evidence = Evidence.objects.select_related("assessment", "organisation").get(pk=evidence_id)
    if evidence.attempts > MAX_ATTEMPTS:
        # A file that kills the worker comes back on every redelivery; stop after the cap.
        _finish(
            evidence,
            status=ScoringStatus.FAILED,
            reason=f"Reading was abandoned {MAX_ATTEMPTS} times (the worker stopped or timed out); "
            "the file is kept for review by a person.",
        )
        return None
    return evidence


def score_evidence_now(*, evidence_id: int, task_id: str) -> None:
    """Reads one piece of evidence and records the outcome; transient errors propagate for a retry."""
    evidence = claim_for_scoring(evidence_id, task_id)
    if evidence is None:
        return
    try:
        with store_errors(), evidence.file.open("rb") as stream:
            # Through the store (a worker may share no disk with the web process), checked against the upload.
            verify_digest(stream, sha256=evidence.sha256, size=evidence.size)
            result = read_evidence(stream, name=evidence.name)
    except (ParseError, DigestMismatch) as error:
        _finish(evidence, status=ScoringStatus.FAILED, reason=error.reason)
    except FileNotFoundError:
        _finish(evidence, status=ScoringStatus.FAILED, reason="The stored file is missing.")
    except StoreUnavailable:
        # The store's fault, not the file's: this reading does not count toward the cap on readings.
        _hand_back(evidence, counted=False)
        raise
    except Exception:
        # Transient (database, or a time limit): hand it back so the retry (or the sweeper) can claim it again.
        _hand_back(evidence, counted=True)
        raise
    else:
        _finish(evidence, status=ScoringStatus.SCORED, kind=result.kind, facts=result.facts, summary=result.summary)


def _hand_back(evidence: Evidence, *, counted: bool) -> None:
    attempts = F("attempts") if counted else F("attempts") - 1
    Evidence.objects.filter(pk=evidence.pk, status=ScoringStatus.SCORING).update(
        status=ScoringStatus.PENDING, status_changed_at=timezone.now(), attempts=attempts
    )


@transaction.atomic
def _finish(evidence: Evidence, *, status: str, reason: str = "", kind: str = "", facts=None, summary: str = ""):
    evidence.status, evidence.reason, evidence.status_changed_at = status, reason, timezone.now()
    evidence.kind = kind or evidence.kind or ("other" if status == ScoringStatus.FAILED else "")
    evidence.facts, evidence.summary = facts or {}, summary[:300]
    evidence.save(update_fields=["status", "reason", "kind", "facts", "summary", "status_changed_at"])
    audit.record(
        organisation=evidence.organisation,
        assessment=evidence.assessment,
        actor=None,
        action=f"evidence.{status}",
        target=evidence.name,
        after={"id": evidence.pk, "kind": evidence.kind, "reason": reason, "facts": evidence.facts},
    )
    refresh_verdicts(evidence.assessment, criterion_ids=list(evidence.links.values_list("criterion_id", flat=True)))


def mark_without_file(evidence: Evidence) -> None:
    """Links and notes have nothing for a machine to read: they are for people, and count as read at once."""
    evidence.status, evidence.kind, evidence.status_changed_at = ScoringStatus.SCORED, evidence.source, timezone.now()
    evidence.save(update_fields=["status", "kind", "status_changed_at"])


@transaction.atomic
def refresh_verdicts(assessment: Assessment, *, criterion_ids: list[int]) -> None:
    """Re-evaluates these criteria's checks over their current evidence, then the stored levels."""
    today = timezone.localdate()
    criteria = Criterion.objects.filter(pk__in=criterion_ids).exclude(checks=[])
    links = (
        EvidenceLink.objects.filter(
            criterion__in=criteria,
            evidence__assessment=assessment,
            evidence__status=ScoringStatus.SCORED,
            evidence__removed_at__isnull=True,
        )
        .filter(Q(evidence__expires_on__isnull=True) | Q(evidence__expires_on__gte=today))
        .select_related("evidence")
        .order_by("-evidence__effective_on", "-evidence__uploaded_at", "-evidence_id")
    )
    by_criterion: dict[int, list[EvidenceFacts]] = {}
    for link in links:
        item = link.evidence
        by_criterion.setdefault(link.criterion_id, []).append(
            EvidenceFacts(item.pk, item.name, item.facts, kind=item.kind or item.source)
        )
    previous = dict(
        Verdict.objects.filter(assessment=assessment, criterion__in=criteria).values_list("criterion_id", "value")
    )
    for criterion in criteria:
        verdict = evaluate(criterion.checks, by_criterion.get(criterion.pk, []), level=criterion.level)
        if previous.get(criterion.pk) != verdict.value:
            audit.record(
                organisation=assessment.organisation,
                assessment=assessment,
                actor=None,
                action="verdict.changed",
                target=criterion.code,
                before={"verdict": previous[criterion.pk]} if criterion.pk in previous else None,
                after={"verdict": verdict.value, "explanation": verdict.explanation_en},
            )
        Verdict.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={
                "value": verdict.value,
                "explanation_en": verdict.explanation_en,
                "explanation_zh": verdict.explanation_zh,
                "evidence_ids": list(verdict.evidence_ids),
            },
        )
    refresh_stored_levels(assessment)


def evidence_waiting_too_long():
    """Evidence left pending (e.g. the broker was down at upload) or abandoned mid-reading: the sweeper's work."""
    waiting = timezone.now() - datetime.timedelta(seconds=settings.EVIDENCE_PENDING_GRACE_SECONDS)
    return Evidence.objects.filter(removed_at__isnull=True).filter(
        Q(status=ScoringStatus.PENDING, status_changed_at__lt=waiting)
        | Q(status=ScoringStatus.SCORING, status_changed_at__lt=_stale_before())
    )


def refresh_after_expiry() -> int:
    """Re-reads the verdicts of criteria whose evidence expired in the last week (the daily run may miss a day)
    in assessments that are not published; returns how many assessments were refreshed."""
    today = timezone.localdate()
    links = EvidenceLink.objects.filter(
        evidence__expires_on__lt=today,
        evidence__expires_on__gte=today - datetime.timedelta(days=7),
        evidence__removed_at__isnull=True,
    ).exclude(evidence__assessment__state=AssessmentState.PUBLISHED)
    by_assessment: dict[int, set[int]] = {}
    for assessment_id, criterion_id in links.values_list("evidence__assessment_id", "criterion_id"):
        by_assessment.setdefault(assessment_id, set()).add(criterion_id)
    for assessment in Assessment.objects.filter(pk__in=by_assessment).select_related("model", "organisation"):
        refresh_verdicts(assessment, criterion_ids=sorted(by_assessment[assessment.pk]))
    return len(by_assessment)
