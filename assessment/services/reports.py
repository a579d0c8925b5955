"""Writes around reports: rendering the PDF (cached until the assessment changes) and share links."""

import logging
import secrets
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.models import Assessment, Organisation, ReportFile, ReportKind, ReportStatus, ShareLink
from assessment.models.reports import token_digest
from assessment.reports.pdf import render_pdf
from assessment.selectors.exports import evidence_index
from assessment.selectors.reports import READINGS, assessment_report, fingerprint
from assessment.services import audit
from assessment.services.exceptions import RuleViolation
from assessment.services.queueing import publish_after_commit

logger = logging.getLogger(__name__)
MAX_SHARE_DAYS = 90
# A rendering claimed longer ago than this was abandoned (a lost worker): asking again renders it again.
STALE_RENDERING = timedelta(minutes=5)


def report_fingerprint(assessment: Assessment, *, kind: str, reading: str, language: str) -> str:
    return fingerprint(assessment, kind, reading, language)


@transaction.atomic
def request_report_file(*, assessment: Assessment, kind: str, reading: str, language: str) -> ReportFile:
    """The PDF's cache row, queued for rendering unless it is ready for the assessment as it is now."""
    if kind not in ReportKind.values or reading not in READINGS:
        raise RuleViolation(_("Unknown kind of report."), field="kind")
    current = report_fingerprint(assessment, kind=kind, reading=reading, language=language)
    report_file, created = ReportFile.objects.select_for_update().get_or_create(
        assessment=assessment, kind=kind, reading=reading, language=language, defaults={"fingerprint": current}
    )
    if not created and (report_file.is_ready_for(current) or _is_being_rendered(report_file, current)):
        return report_file
    report_file.fingerprint = current
    report_file.status, report_file.progress, report_file.reason = ReportStatus.PENDING, 0, ""
    report_file.requested_at = timezone.now()
    report_file.save(update_fields=["fingerprint", "status", "progress", "reason", "requested_at"])
    publish_after_commit("assessment.render_report", report_file.pk)
    return report_file


def _is_being_rendered(report_file: ReportFile, current: str) -> bool:
    busy = report_file.status in (ReportStatus.PENDING, ReportStatus.RENDERING)
    return busy and report_file.fingerprint == current and report_file.requested_at > timezone.now() - STALE_RENDERING


def _progress(report_file_id: int, progress: int, **fields) -> None:
    ReportFile.objects.filter(pk=report_file_id).update(progress=progress, **fields)


def render_report_file_now(*, report_file_id: int) -> None:
    """Renders one cached PDF. Safe to run twice: a file already ready for the assessment as it is returns at
    once; the result is stored with the fingerprint read before rendering, so a change during it renders again."""
    report_file = ReportFile.objects.select_related("assessment__model", "assessment__project").defer("content")
    report_file = report_file.filter(pk=report_file_id).first()
    if report_file is None:
        return
    assessment = report_file.assessment
    options = {"kind": report_file.kind, "reading": report_file.reading, "language": report_file.language}
    current = report_fingerprint(assessment, **options)
    if report_file.is_ready_for(current):
        return
    _progress(report_file.pk, 10, status=ReportStatus.RENDERING)
    try:
        with translation.override(report_file.language):
            context = {"report": assessment_report(assessment, reading=report_file.reading), "kind": report_file.kind}
            if report_file.kind == ReportKind.PACK:
                context["evidence"] = evidence_index(assessment)
            _progress(report_file.pk, 40)
            content = render_pdf("reports/pdf.html", context)
    except DatabaseError:
        raise  # transient: the task retries
    except Exception as error:  # a template or font problem: recorded for the person waiting, not retried
        logger.exception("Report %s failed to render", report_file.pk)
        _progress(report_file.pk, 100, status=ReportStatus.FAILED, reason=str(error)[:500], finished_at=timezone.now())
        return
    _progress(
        report_file.pk,
        100,
        status=ReportStatus.READY,
        content=content,
        fingerprint=current,
        finished_at=timezone.now(),
    )


@transaction.atomic
def allow_share_links(*, organisation: Organisation, actor, allowed: bool) -> None:
    """The organisation admin's switch; switching off stops every existing link at once (access checks it)."""
    before = organisation.allow_share_links
    organisation.allow_share_links = allowed
    organisation.save(update_fields=["allow_share_links"])
    audit.record(
        organisation=organisation,
        actor=actor,
        action="organisation.share_links",
        target=organisation.slug,
        before={"allowed": before},
        after={"allowed": allowed},
    )


@transaction.atomic
def create_share_link(*, assessment: Assessment, actor, days: int, reading: str) -> tuple[ShareLink, str]:
    """A new read-only link and its token; the token is shown once and only its digest is stored."""
    if not assessment.organisation.allow_share_links:
        raise RuleViolation(_("Your organisation admin has not allowed sharing reports by link."))
    if not isinstance(days, int) or not 1 <= days <= MAX_SHARE_DAYS:
        raise RuleViolation(_("A link can last from 1 to %(days)s days.") % {"days": MAX_SHARE_DAYS}, field="days")
    if reading not in READINGS:
        raise RuleViolation(_("Unknown reading."), field="reading")
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        organisation=assessment.organisation,
        assessment=assessment,
        token_digest=token_digest(token),
        reading=reading,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=actor,
        action="report.shared",
        target=str(link.pk),
        after={"expires_at": link.expires_at.isoformat(), "reading": reading},
    )
    return link, token


@transaction.atomic
def revoke_share_link(*, link: ShareLink, actor) -> None:
    """Withdraws a link; revoking twice changes nothing."""
    updated = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        audit.record(
            organisation=link.assessment.organisation,
            assessment=link.assessment,
            actor=actor,
            action="report.share_revoked",
            target=str(link.pk),
        )
