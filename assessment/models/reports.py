"""Rendered report files (the PDF cache) and read-only share links to a report."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models.assessments import Assessment
from assessment.models.tenancy import Organisation


class ReportKind(models.TextChoices):
    REPORT = "report", _("Level report")
    PACK = "pack", _("Pre-assessment pack")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFile(models.Model):
    """One rendered PDF of an assessment, valid while the assessment's fingerprint is unchanged.

    There is one row per assessment, kind, reading and language: a new fingerprint re-renders into the same row,
    so the cache never grows with edits.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="report_files")
    kind = models.CharField(max_length=10, choices=ReportKind)
    reading = models.CharField(max_length=12)
    language = models.CharField(max_length=10)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=ReportStatus, default=ReportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    reason = models.TextField(blank=True)
    content = models.BinaryField(blank=True, default=b"")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind", "reading", "language"], name="report_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.kind} {self.reading} {self.language}: {self.status}"

    def is_ready_for(self, fingerprint: str) -> bool:
        return self.status == ReportStatus.READY and self.fingerprint == fingerprint


def token_digest(token: str) -> str:
    """Share tokens are stored as digests only: a leaked database does not leak working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLink(models.Model):
    """A read-only link to one assessment's report, for people without an account, until it expires or is revoked."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="share_links")
    token_digest = models.CharField(max_length=64, unique=True)
    reading = models.CharField(max_length=12, default="provisional")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("share link")

    def __str__(self) -> str:
        return f"share {self.assessment_id} until {self.expires_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
