"""Evidence: a file, link or note supporting one or more criteria of an assessment."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models.assessments import Assessment
from assessment.models.catalog import Criterion, is_chinese_active
from assessment.models.tenancy import Organisation


class EvidenceSource(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    NOTE = "note", _("Note")


def evidence_file_path(evidence: "Evidence", _user_file_name: str) -> str:
    """A generated storage name; the user's file name is display text only and never touches the disk."""
    return f"evidence/{evidence.organisation_id}/{uuid.uuid4().hex}"


# Evidence about to expire is flagged to the team and the assessors this many days ahead.
EXPIRY_WARNING_DAYS = 30


class ScoringStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    SCORING = "scoring", _("Being read")
    SCORED = "scored", _("Read")
    FAILED = "failed", _("Could not be read")


class Evidence(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(max_length=10, choices=EvidenceSource)
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(upload_to=evidence_file_path, blank=True, max_length=200)
    media_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(max_length=2000, blank=True)
    note = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)
    criteria = models.ManyToManyField(Criterion, through="EvidenceLink", related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    effective_on = models.DateField(_("effective date"), default=timezone.localdate)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Automatic reading (assessment/services/scoring.py): what the file is and what it shows.
    status = models.CharField(max_length=10, choices=ScoringStatus, default=ScoringStatus.PENDING, db_index=True)
    kind = models.CharField(max_length=30, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    scoring_task_id = models.CharField(max_length=64, blank=True)  # the delivery that claimed the reading
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("effective_on")),
                name="evidence_expires_after_effective",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def expiry_status(self) -> str:
        return expiry_status(self.expires_on)


def expiry_status(expires_on: datetime.date | None) -> str:
    """ "expired" once past the expiry date (evidence then supports no criterion), "expiring" within the warning
    window before it, else ""."""
    if expires_on is None:
        return ""
    today = timezone.localdate()
    if expires_on < today:
        return "expired"
    if (expires_on - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    return ""


class EvidenceLink(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="links")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="evidence_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evidence", "criterion"], name="evidence_link_unique")]

    def __str__(self) -> str:
        return f"{self.evidence_id} → {self.criterion_id}"


class VerdictValue(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class Verdict(models.Model):
    """Automatic advice on one criterion of one assessment, from its checks over the attached evidence's facts.

    Advice only: it never changes the team's answer or an assessor's decision.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="verdicts")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=12, choices=VerdictValue)
    explanation_zh = models.TextField()
    explanation_en = models.TextField()
    evidence_ids = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="verdict_unique")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"

    @property
    def explanation(self) -> str:
        return self.explanation_zh if is_chinese_active() else self.explanation_en
