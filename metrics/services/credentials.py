"""Per-project credentials for machines: ingest tokens for the REST endpoint and webhook secrets.

An ingest token is shown once, when created; we keep only its SHA-256 (a random 256-bit token needs no slow
hash: it cannot be guessed from a dictionary). Webhook secrets stay readable to the project's admins because
GitHub signs with the secret itself.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessment.models import Project
from metrics.models import IngestToken, ProjectHook, Provider

TOKEN_PREFIX = "dmi_"  # noqa: S105 (not a secret: tells an ingest token apart from a person's API token in the same header)
_LAST_USED_PRECISION = timedelta(minutes=1)  # spares a write on every request of a busy pipeline


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_ingest_token(*, project: Project, actor, name: str) -> tuple[IngestToken, str]:
    """A new token for the project and its raw value, which is never shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = IngestToken.objects.create(
        project=project, name=name.strip(), prefix=raw[:10], digest=token_digest(raw), created_by=actor
    )
    return token, raw


def revoke_ingest_token(*, token: IngestToken) -> None:
    """Revoking twice keeps the first revocation time."""
    IngestToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def active_token(raw: str) -> IngestToken | None:
    """The unrevoked token with this raw value, marked as used; None if there is none."""
    token = IngestToken.objects.select_related("project").filter(digest=token_digest(raw), revoked_at=None).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - _LAST_USED_PRECISION:
            IngestToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def project_hook(*, project: Project) -> ProjectHook:
    """The project's webhook address and secrets, made on first use."""
    hook = ProjectHook.objects.filter(project=project).first()
    if hook is not None:
        return hook
    hook, _created = ProjectHook.objects.get_or_create(
        project=project,
        defaults={
            "hook_id": secrets.token_urlsafe(24),
            **{f"{provider}_secret": secrets.token_hex(24) for provider in Provider.values},
        },
    )
    return hook


def rotate_hook_secret(*, hook: ProjectHook, provider: str) -> ProjectHook:
    """Replaces one provider's secret; deliveries signed with the old one are refused from now on."""
    setattr(hook, f"{provider}_secret", secrets.token_hex(24))
    hook.rotated_at = timezone.now()
    hook.save(update_fields=[f"{provider}_secret", "rotated_at"])
    return hook
