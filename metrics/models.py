"""Delivery events a project's tools send us: deployments, changes, builds and incidents.

Every event is keyed by its sender: `(project, source, external_id)` is unique, so a repeated delivery finds
the row it already made. Linking (which changes a deployment shipped, which deployment an incident belongs to)
is derived and recomputed, never trusted from the order events arrive in.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models import Organisation, Project


class Result(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")


class BuildResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    """What every delivery event shares: its owner and the sender's identity for it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=30, default="api")
    external_id = models.CharField(_("external id"), max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Deployment(Event):
    environment = models.CharField(_("environment"), max_length=100)
    is_production = models.BooleanField(_("production"), default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"))
    result = models.CharField(_("result"), max_length=10, choices=Result)
    version = models.CharField(_("version"), max_length=100, blank=True)
    commit_sha = models.CharField(_("commit"), max_length=64, blank=True)
    previous_commit_sha = models.CharField(_("previous commit"), max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "source", "external_id"], name="deployment_sender_unique"),
        ]
        indexes = [
            models.Index(fields=["project", "is_production", "finished_at"], name="deployment_window"),
            # Linking finds the deployment that shipped a change's own commit.
            models.Index(fields=["project", "commit_sha"], name="deployment_commit"),
        ]
        verbose_name = _("deployment")

    def __str__(self) -> str:
        return f"{self.environment} {self.version or self.commit_sha[:12]}"


class Change(Event):
    """A commit or merge request; `deployment` is the production deployment that shipped it (derived)."""

    commit_sha = models.CharField(_("commit"), max_length=64)
    title = models.CharField(_("title"), max_length=300, blank=True)
    authored_at = models.DateTimeField(_("authored at"))
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    deployment = models.ForeignKey(Deployment, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    deployed_at = models.DateTimeField(_("deployed at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "source", "external_id"], name="change_sender_unique"),
        ]
        indexes = [
            models.Index(fields=["project", "commit_sha"], name="change_commit"),
            models.Index(fields=["project", "deployed_at"], name="change_deployed"),
        ]
        verbose_name = _("change")

    def __str__(self) -> str:
        return self.title or self.commit_sha[:12]


class Build(Event):
    """A build or pipeline run."""

    name = models.CharField(_("pipeline"), max_length=200, blank=True)
    branch = models.CharField(_("branch"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    result = models.CharField(_("result"), max_length=10, choices=BuildResult)
    trigger = models.CharField(_("trigger"), max_length=50, blank=True)
    commit_sha = models.CharField(_("commit"), max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "source", "external_id"], name="build_sender_unique"),
            models.CheckConstraint(condition=models.Q(finished_at__gte=models.F("started_at")), name="build_ordered"),
        ]
        indexes = [models.Index(fields=["project", "finished_at"], name="build_window")]
        verbose_name = _("build")

    def __str__(self) -> str:
        return f"{self.name or self.external_id} {self.result}"


class Incident(Event):
    """A production incident; `deployment` is the last production deployment before it opened (derived)."""

    title = models.CharField(_("title"), max_length=300, blank=True)
    severity = models.CharField(_("severity"), max_length=30, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    deployment = models.ForeignKey(
        Deployment, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "source", "external_id"], name="incident_sender_unique"),
        ]
        indexes = [models.Index(fields=["project", "opened_at"], name="incident_window")]
        verbose_name = _("incident")

    def __str__(self) -> str:
        return self.title or self.external_id


class IngestToken(models.Model):
    """A project's token for CI scripts: posts that project's events and nothing else. Only its hash is kept."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)  # shown in lists so people can tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ingest token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Provider(models.TextChoices):
    GITHUB = "github", "GitHub"
    GITLAB = "gitlab", "GitLab"
    JENKINS = "jenkins", "Jenkins"


class ProjectHook(models.Model):
    """A project's webhook address and secrets. The address carries `hook_id`, never the guessable project id.

    Secrets are stored as given because GitHub's signature is an HMAC keyed by the secret itself: a hash would
    not let us verify it. Each provider has its own, so a GitLab token (sent in clear) cannot forge GitHub's.
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+")
    hook_id = models.CharField(max_length=43, unique=True)
    github_secret = models.CharField(max_length=64)
    gitlab_secret = models.CharField(max_length=64)
    jenkins_secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("project webhook")

    def __str__(self) -> str:
        return f"{self.project} hooks"

    def secret_for(self, provider: str) -> str:
        return getattr(self, f"{provider}_secret")


class HookDelivery(models.Model):
    """A webhook delivery already processed, by the sender's delivery id: a replay is answered, not re-applied."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=10, choices=Provider)
    delivery_id = models.CharField(max_length=200)
    event = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "provider", "delivery_id"], name="hook_delivery_unique"),
        ]
        verbose_name = _("webhook delivery")

    def __str__(self) -> str:
        return f"{self.provider} {self.delivery_id}"
