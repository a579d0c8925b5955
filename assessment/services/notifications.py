"""Notices about assessments: a row per recipient for the in-app list, and an email sent after the commit.

Who hears of what: assessors of a submission or resubmission (the assigned one, or all of the organisation's
while nobody is assigned), the assessor assigned, the project's team of a request for information, the team
and the managers of a publication. Nobody is notified of their own action.
"""

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from assessment.models import Assessment, Decision, DecisionValue, Membership, Notification
from assessment.selectors.navigation import forget_navigation
from assessment.services.queueing import publish_after_commit

KINDS = ("submitted", "resubmitted", "assigned", "information_requested", "published")


def assessment_moved(*, assessment: Assessment, move: str, actor, resubmission: bool = False) -> list[Notification]:
    if move == "submit":
        kind = "resubmitted" if resubmission else "submitted"
        return _notify(assessment, kind, _assessors(assessment), actor, reverse("review", args=(assessment.pk,)))
    if move == "request_changes":
        return _notify(assessment, "information_requested", _team(assessment), actor, _first_request_link(assessment))
    if move == "publish":
        recipients = _team(assessment) | _members(assessment, is_manager=True)
        return _notify(
            assessment, "published", recipients, actor, reverse("assessment-overview", args=(assessment.pk,))
        )
    return []


def assessor_assigned(*, assessment: Assessment, actor) -> list[Notification]:
    return _notify(assessment, "assigned", {assessment.assessor_id}, actor, reverse("review", args=(assessment.pk,)))


def _notify(assessment: Assessment, kind: str, recipient_ids: set[int], actor, link: str) -> list[Notification]:
    params = {"project": assessment.project.name, "assessment": assessment.pk, "actor": actor.get_username()}
    created = Notification.objects.bulk_create(
        Notification(
            organisation_id=assessment.organisation_id,
            recipient_id=recipient_id,
            assessment=assessment,
            kind=kind,
            params=params,
            link=link,
        )
        for recipient_id in sorted(recipient_ids - {actor.pk, None})
    )
    if created:
        forget_navigation(*(notification.recipient_id for notification in created))
        publish_after_commit("assessment.send_notification_emails", [notification.pk for notification in created])
    return created


def _assessors(assessment: Assessment) -> set[int]:
    if assessment.assessor_id:
        return {assessment.assessor_id}
    return _members(assessment, is_assessor=True)


def _team(assessment: Assessment) -> set[int]:
    team = set(assessment.project.team.values_list("pk", flat=True))
    return team | {assessment.created_by_id}


def _members(assessment: Assessment, **role) -> set[int]:
    memberships = Membership.objects.filter(organisation_id=assessment.organisation_id, **role)
    return set(memberships.values_list("user_id", flat=True))


def _first_request_link(assessment: Assessment) -> str:
    """The questionnaire at the first criterion with a request for information."""
    request = (
        Decision.objects.filter(assessment=assessment, is_current=True, value=DecisionValue.INFO_REQUESTED)
        .select_related("criterion__subitem__item__subdomain")
        .order_by("criterion__subitem__item__subdomain__position", "criterion__subitem__position", "criterion__level")
        .first()
    )
    if request is None:
        return reverse("assessment-overview", args=(assessment.pk,))
    subdomain = request.criterion.subitem.item.subdomain.code
    url = reverse("questionnaire", args=(assessment.pk, subdomain))
    return f"{url}#c-{request.criterion.pk}"


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Marks the user's notifications read (all of them when no ids are given); returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    marked = unread.update(read_at=timezone.now())
    forget_navigation(user.pk)
    return marked


def send_emails(*, notification_ids: list[int]) -> int:
    """Sends each notification to its recipient's address, once: a notification already emailed is skipped."""
    from assessment.selectors.notifications import email_of

    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).exclude(recipient__email="")
    for notification in pending.select_related("recipient"):
        # Claimed first, so a retried or repeated task never mails the same notice twice.
        if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        ):
            continue
        subject, body = email_of(notification)
        send_mail(subject, body, None, [notification.recipient.email])
        sent += 1
    return sent
