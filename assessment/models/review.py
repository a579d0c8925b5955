"""An assessor's decisions on an assessment's criteria, and the notices people receive about assessments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.assessments import Assessment
from assessment.models.catalog import Criterion
from assessment.models.tenancy import Organisation


class DecisionValue(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    INFO_REQUESTED = "info_requested", _("More information requested")


class Decision(models.Model):
    """The current decision on one criterion of one assessment; its history lives in the audit trail.

    `is_current` turns false when the team changes the answer or the evidence behind it: only that criterion
    goes back for re-review. `version` rises with every write so two assessors deciding at once cannot
    silently overwrite each other (services/review.py updates conditionally on it).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="decisions")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=20, choices=DecisionValue)
    comment = models.TextField(_("comment"), blank=True)
    # The automatic verdict when the decision was taken, and why the assessor went against it (if they did).
    verdict_value = models.CharField(max_length=12, blank=True)
    override_reason = models.TextField(_("reason for overriding the automatic verdict"), blank=True)
    # The team's reply to a request for information.
    reply = models.TextField(_("reply"), blank=True)
    is_current = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="decision_unique")]
        verbose_name = _("decision")

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"

    @property
    def counts_as_accepted(self) -> bool:
        return self.is_current and self.value == DecisionValue.ACCEPTED


class Notification(models.Model):
    """Something a person should look at: in the app's list, and by email when it was created."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    # Rendered in the reader's language when shown (selectors/notifications.py), from the kind and these values.
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
