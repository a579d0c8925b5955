"""Organisations, their members' roles, and their projects. One installation serves many organisations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    # Whether managers may share a read-only report with people outside the app (by an expiring link).
    allow_share_links = models.BooleanField(_("allow share links"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TEAM = "team", _("Team member")
    ASSESSOR = "assessor", _("Assessor")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Organisation admin")


class Membership(models.Model):
    """A person's roles in one organisation; a person may hold several."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_team_member = models.BooleanField(_("team member"), default=False)
    is_assessor = models.BooleanField(_("assessor"), default=False)
    is_manager = models.BooleanField(_("manager"), default=False)
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(is_team_member=True)
                | models.Q(is_assessor=True)
                | models.Q(is_manager=True)
                | models.Q(is_admin=True),
                name="membership_has_a_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"

    @property
    def roles(self) -> list[str]:
        flags = {
            Role.TEAM: self.is_team_member,
            Role.ASSESSOR: self.is_assessor,
            Role.MANAGER: self.is_manager,
            Role.ADMIN: self.is_admin,
        }
        return [role.value for role, held in flags.items() if held]

    def has_role(self, role: str) -> bool:
        return role in self.roles


class Project(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_level = models.PositiveSmallIntegerField(_("target level"), default=3)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="team_projects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="project_name_unique"),
            models.CheckConstraint(
                condition=models.Q(target_level__gte=1, target_level__lte=5), name="project_target_1_to_5"
            ),
        ]
        verbose_name = _("project")

    def __str__(self) -> str:
        return self.name
