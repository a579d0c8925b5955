"""Reads of notifications, rendered in the reader's language from their kind and values."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assessment.models import Notification

TEXTS = {
    "submitted": _("%(actor)s submitted the assessment of %(project)s (#%(assessment)s) for review."),
    "resubmitted": _(
        "%(actor)s resubmitted the assessment of %(project)s (#%(assessment)s): only what changed needs review again."
    ),
    "assigned": _("%(actor)s assigned you the review of %(project)s (#%(assessment)s)."),
    "information_requested": _(
        "%(actor)s asks for more information on the assessment of %(project)s (#%(assessment)s); the criteria "
        "concerned are marked in the questionnaire."
    ),
    "published": _("%(actor)s published the result of the assessment of %(project)s (#%(assessment)s)."),
}


def notification_text(notification: Notification) -> str:
    template = TEXTS.get(notification.kind)
    if template is None:
        return notification.kind
    params = {"actor": "?", "project": "?", "assessment": "?"} | notification.params
    return str(template) % params


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("assessment__project")


def email_of(notification: Notification) -> tuple[str, str]:
    """Subject and body of the email for a notification: Chinese first, then English, with the link."""
    link = settings.SITE_URL.rstrip("/") + notification.link
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts.append(notification_text(notification))
    subject = parts[0][:150]
    body = "\n\n".join([*parts, link])
    return subject, body
