"""Assessments of a project against a pinned model version, the team's answers, and the audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.catalog import Criterion, MaturityModel, Part
from assessment.models.tenancy import Organisation, Project


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ASSESSED = "assessed", _("Assessed")
    PUBLISHED = "published", _("Published")


TEAM_EDITABLE_STATES = (AssessmentState.DRAFT, AssessmentState.CHANGES_REQUESTED)


class Assessment(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    model = models.ForeignKey(MaturityModel, on_delete=models.PROTECT, related_name="assessments")
    parts = models.ManyToManyField(Part, related_name="+")
    target_level = models.PositiveSmallIntegerField(_("target level"))
    state = models.CharField(max_length=20, choices=AssessmentState, default=AssessmentState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_assessments"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Frozen at publication (services/publication.py): levels, decisions, evidence digests and model version.
    # A published result is read from here only, so later catalogue or evidence changes cannot alter it.
    snapshot = models.JSONField(default=dict, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    # Levels as last computed (assessment/services/levels.py), for fast reading by reports and the API.
    stored_levels = models.JSONField(default=dict, blank=True)
    # The overall and per sub-domain figures of both readings, stored with stored_levels: a few hundred bytes,
    # so the portfolio reads fifty projects without decoding every sub-item's levels.
    level_summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_level__gte=1, target_level__lte=5), name="assessment_target_1_to_5"
            ),
        ]
        verbose_name = _("assessment")

    def __str__(self) -> str:
        return f"{self.project} #{self.pk}"

    @property
    def is_team_editable(self) -> bool:
        return self.state in TEAM_EDITABLE_STATES


class AnswerValue(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


class Answer(models.Model):
    """The team's answer to one criterion of one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=10, choices=AnswerValue)
    comment = models.TextField(blank=True)
    justification = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="answer_unique"),
            models.CheckConstraint(
                condition=~models.Q(value="na") | ~models.Q(justification=""), name="answer_na_is_justified"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.value}"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes that would bypass the model's guards are refused too (a database trigger backs this up on
    PostgreSQL, see migration 0004)."""

    def update(self, **kwargs):
        raise PermissionError("Audit entries are append-only.")

    def delete(self):
        raise PermissionError("Audit entries are append-only.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """Append-only record of a change: who, when, what, before and after. Never updated or deleted: what it
    refers to cannot be deleted while it exists (PROTECT)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")
