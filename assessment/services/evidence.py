"""Writes of evidence: files (judged by content, size-limited, stored under generated names), links, notes."""

import datetime
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Assessment, Evidence, EvidenceLink, EvidenceSource
from assessment.services import audit, scoring
from assessment.services.assessments import (
    criteria_in_scope,
    ensure_team_editable,
    not_in_scope_message,
    reopen_decisions,
)
from assessment.services.evidence_store import delete_quietly, store_errors
from assessment.services.exceptions import RuleViolation
from assessment.services.queueing import publish_after_commit
from assessment.services.uploads import safe_display_name, safe_text, sniff_media_type

SNIFF_BYTES = 8192
MAX_NOTE_LENGTH = 20_000


def _criteria(assessment: Assessment, codes: list[str]):
    codes = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    if not codes:
        raise RuleViolation(_("Name at least one criterion this evidence supports."), field="criteria")
    found, unknown = criteria_in_scope(assessment, codes)
    if unknown:
        raise RuleViolation(not_in_scope_message(assessment, unknown[0]), field="criteria")
    return list(found.values())


def _check_dates(effective_on: datetime.date, expires_on: datetime.date | None) -> None:
    if expires_on is not None and expires_on < effective_on:
        raise RuleViolation(_("The expiry date is before the effective date."), field="expires_on")


def _digest(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _file_fields(upload) -> dict:
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise RuleViolation(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            field="file",
        )
    if upload.size == 0:
        raise RuleViolation(_("The file is empty."), field="file")
    upload.seek(0)
    media_type = sniff_media_type(upload.read(SNIFF_BYTES))
    if media_type is None:
        raise RuleViolation(
            _(
                "This kind of file is not accepted. Upload PDF, images, Office documents, ZIP/gzip archives or text "
                "reports (XML, JSON, YAML, CSV)."
            ),
            field="file",
        )
    return {
        "media_type": media_type,
        "size": upload.size,
        "sha256": _digest(upload),
        "name": safe_display_name(getattr(upload, "name", "")),
    }


def _link_fields(url: str, name: str) -> dict:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RuleViolation(_("Give a link that starts with http:// or https://."), field="url")
    return {
        "url": url.strip(),
        "sha256": hashlib.sha256(url.strip().encode()).hexdigest(),
        "name": (safe_text(name) or safe_text(parts.netloc + parts.path) or parts.netloc)[:255],
    }


def _note_fields(note: str, name: str) -> dict:
    note = note.strip()
    if not note:
        raise RuleViolation(_("The note is empty."), field="note")
    if len(note) > MAX_NOTE_LENGTH:
        raise RuleViolation(
            _("The note is longer than %(limit)s characters.") % {"limit": MAX_NOTE_LENGTH}, field="note"
        )
    first_line = note.splitlines()[0][:80]
    return {
        "note": note,
        "sha256": hashlib.sha256(note.encode()).hexdigest(),
        "name": (safe_text(name) or safe_text(first_line) or _("Note"))[:255],
    }


def add_evidence(
    *,
    assessment: Assessment,
    actor,
    criteria_codes: list[str],
    upload=None,
    url: str = "",
    note: str = "",
    name: str = "",
    effective_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> Evidence:
    """Stores one piece of evidence (exactly one of a file, a link or a note) for the given criteria."""
    given = [kind for kind, value in (("file", upload), ("url", url), ("note", note)) if value]
    if len(given) != 1:
        raise RuleViolation(_("Give exactly one of a file, a link or a note."), field="file")
    effective_on = effective_on or timezone.localdate()
    evidence = None
    try:
        with transaction.atomic():
            # The check takes the assessment's row lock and this transaction holds it until the evidence is
            # committed: a submission either waits for this upload or is seen by the check, never slips between.
            ensure_team_editable(assessment)
            criteria = _criteria(assessment, criteria_codes)
            _check_dates(effective_on, expires_on)
            source, fields = _source_fields(upload=upload, url=url, note=note, name=name)
            evidence = Evidence(
                organisation=assessment.organisation,
                assessment=assessment,
                source=source,
                uploaded_by=actor,
                effective_on=effective_on,
                expires_on=expires_on,
                **fields,
            )
            if upload:
                with store_errors():
                    evidence.file.save("upload", File(upload), save=False)
            evidence.save()
            _link_to_criteria(evidence, criteria, actor)
    except Exception:
        # Nothing half-written: a stored file without its record is removed again.
        if evidence is not None and evidence.file and evidence.file.name:
            delete_quietly(evidence.file.name)
        raise
    return evidence


def _source_fields(*, upload, url: str, note: str, name: str) -> tuple[str, dict]:
    """The evidence's source and the fields read from it (digest, display name, and the file's type and size)."""
    if upload:
        return EvidenceSource.FILE, _file_fields(upload)
    if url:
        return EvidenceSource.LINK, _link_fields(url, name)
    return EvidenceSource.NOTE, _note_fields(note, name)


def _link_to_criteria(evidence: Evidence, criteria: list, actor) -> None:
    """Links new evidence to its criteria, records it, reopens their decisions and queues its scoring."""
    assessment = evidence.assessment
    EvidenceLink.objects.bulk_create(EvidenceLink(evidence=evidence, criterion=criterion) for criterion in criteria)
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=actor,
        action="evidence.added",
        target=evidence.name,
        after={"id": evidence.pk, "sha256": evidence.sha256, "criteria": [c.code for c in criteria]},
    )
    reopen_decisions(
        assessment=assessment, criterion_ids=[c.pk for c in criteria], actor=actor, reason="evidence.added"
    )
    _queue_scoring(evidence)


def _queue_scoring(evidence: Evidence) -> None:
    """Files go to a worker once the upload is committed; links and notes are for people and count as read."""
    if evidence.source == EvidenceSource.FILE:
        # The evidence row is the outbox: while the broker is down it stays pending for the sweeper.
        publish_after_commit("assessment.score_evidence", evidence.pk)
    else:
        scoring.mark_without_file(evidence)


@transaction.atomic
def attach_evidence(*, evidence: Evidence, criteria_codes: list[str], actor) -> Evidence:
    """Lets one piece of evidence support more criteria of its assessment."""
    ensure_team_editable(evidence.assessment)
    if evidence.is_removed:
        raise RuleViolation(_("This evidence was removed."), field="evidence")
    criteria = _criteria(evidence.assessment, criteria_codes)
    linked = set(evidence.links.values_list("criterion_id", flat=True))
    new = [criterion for criterion in criteria if criterion.pk not in linked]
    EvidenceLink.objects.bulk_create(EvidenceLink(evidence=evidence, criterion=criterion) for criterion in new)
    if new:
        audit.record(
            organisation=evidence.organisation,
            assessment=evidence.assessment,
            actor=actor,
            action="evidence.attached",
            target=evidence.name,
            after={"criteria": [c.code for c in new]},
        )
        reopen_decisions(
            assessment=evidence.assessment, criterion_ids=[c.pk for c in new], actor=actor, reason="evidence.attached"
        )
        scoring.refresh_verdicts(evidence.assessment, criterion_ids=[criterion.pk for criterion in new])
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, actor) -> Evidence:
    """Withdraws evidence while the team may still edit; the record and its removal stay in the audit trail."""
    evidence = Evidence.objects.select_for_update().select_related("assessment").get(pk=evidence.pk)
    ensure_team_editable(evidence.assessment)
    if evidence.is_removed:
        raise RuleViolation(_("This evidence was already removed."), field="evidence")
    evidence.removed_at, evidence.removed_by = timezone.now(), actor
    evidence.save(update_fields=["removed_at", "removed_by"])
    audit.record(
        organisation=evidence.organisation,
        assessment=evidence.assessment,
        actor=actor,
        action="evidence.removed",
        target=evidence.name,
        before={"id": evidence.pk, "sha256": evidence.sha256},
    )
    criterion_ids = list(evidence.links.values_list("criterion_id", flat=True))
    reopen_decisions(
        assessment=evidence.assessment, criterion_ids=criterion_ids, actor=actor, reason="evidence.removed"
    )
    scoring.refresh_verdicts(evidence.assessment, criterion_ids=criterion_ids)
    return evidence
