"""Notifications: who hears of what (in the app and by email), links straight to the place, never of one's own
action, never twice."""

import pytest
from django.conf import settings
from django.utils import translation

from assessment.models import Notification
from assessment.selectors import notifications as notification_selectors
from assessment.services import lifecycle
from assessment.tasks import send_notification_emails
from tests.review.flow import answer_required, criterion, decide_codes, fresh, move, required_codes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "addresses")]

LATER = "cd.mf.metrics.definition@1"  # in the last sub-domain
EARLIER = "cd.tm.auto.execution@1"  # in an earlier one


@pytest.fixture
def addresses(team, assessor, second_assessor, manager, orgadmin):
    for user in (team, assessor, second_assessor, manager, orgadmin):
        user.email = f"{user.username}@acme.example"
        user.save(update_fields=["email"])


def notified(kind: str, assessment) -> dict[str, str]:
    """Recipient's user name → link, for the notices of this kind about the assessment."""
    rows = Notification.objects.filter(kind=kind, assessment=assessment).select_related("recipient")
    return {row.recipient.username: row.link for row in rows}


def mailed_to(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def test_a_submission_goes_to_every_assessor_while_nobody_is_assigned(
    small, team, django_capture_on_commit_callbacks, mailoutbox
):
    answer_required(small, team)
    with django_capture_on_commit_callbacks(execute=True):
        move(small, "submit", team)

    review_page = f"/assessments/{small.pk}/review/"
    assert notified("submitted", small) == {"assessor": review_page, "assessor2": review_page}
    assert mailed_to(mailoutbox) == ["assessor2@acme.example", "assessor@acme.example"]
    body = mailoutbox[0].body
    assert f"{settings.SITE_URL}{review_page}" in body and settings.SITE_URL.startswith("http")
    assert "team submitted the assessment of Marketing platform" in body


def test_the_email_carries_both_languages_and_the_link(small, team, monkeypatch, django_capture_on_commit_callbacks):
    """The catalogue of messages may lack a translation; the email still renders each language in turn."""

    class ByLanguage:
        def __str__(self):
            return f"[{translation.get_language()}] %(actor)s submitted #%(assessment)s"

    monkeypatch.setitem(notification_selectors.TEXTS, "submitted", ByLanguage())
    answer_required(small, team)
    move(small, "submit", team)
    notice = Notification.objects.filter(kind="submitted").first()

    subject, body = notification_selectors.email_of(notice)

    assert subject == f"[zh-hans] team submitted #{small.pk}"
    assert body.split("\n\n") == [
        f"[zh-hans] team submitted #{small.pk}",
        f"[en] team submitted #{small.pk}",
        f"{settings.SITE_URL}/assessments/{small.pk}/review/",
    ]


def test_assignment_goes_to_the_assessor_and_a_resubmission_only_to_them(
    to_state, team, assessor, orgadmin, django_capture_on_commit_callbacks, mailoutbox
):
    assessment = to_state("changes_requested")
    assert notified("assigned", assessment) == {"assessor": f"/assessments/{assessment.pk}/review/"}
    assert "orgadmin" not in notified("assigned", assessment)

    with django_capture_on_commit_callbacks(execute=True):
        move(assessment, "submit", team)

    assert notified("resubmitted", assessment) == {"assessor": f"/assessments/{assessment.pk}/review/"}
    assert mailed_to(mailoutbox) == ["assessor@acme.example"]
    assert "only what changed needs review again" in mailoutbox[0].body


def test_a_request_for_information_links_the_team_to_the_first_criterion_concerned(
    to_state, assessor, django_capture_on_commit_callbacks, mailoutbox
):
    assessment = to_state("in_review")
    decide_codes(assessment, assessor, {LATER: "info_requested", EARLIER: "info_requested"})
    with django_capture_on_commit_callbacks(execute=True):
        move(assessment, "request_changes", assessor)

    first = criterion(assessment, EARLIER)
    link = f"/assessments/{assessment.pk}/questionnaire/cd.tm/#c-{first.pk}"
    assert notified("information_requested", assessment) == {"team": link}
    assert mailed_to(mailoutbox) == ["team@acme.example"]
    assert f"{settings.SITE_URL}{link}" in mailoutbox[0].body


def test_publication_goes_to_the_team_and_the_managers(to_state, assessor, django_capture_on_commit_callbacks):
    assessment = to_state("assessed")
    with django_capture_on_commit_callbacks(execute=True):
        move(assessment, "publish", assessor)

    overview = f"/assessments/{assessment.pk}/"
    assert notified("published", assessment) == {"team": overview, "manager": overview}


def test_nobody_is_notified_of_their_own_action(small, team, dual, orgadmin, manager, assessor):
    answer_required(small, team)
    move(small, "submit", dual)  # dual is on the project's team and an assessor: the other assessors hear of it
    assert set(notified("submitted", small)) == {"assessor", "assessor2"}

    lifecycle.assign_assessor(assessment=fresh(small), assessor=dual, actor=dual)  # takes it on
    assert notified("assigned", small) == {}
    move(small, "start_review", dual)
    decide_codes(small, dual, dict.fromkeys(required_codes(small), "accepted"))
    move(small, "complete_review", dual)
    move(small, "publish", dual)  # dual is on the project's team too

    assert set(notified("published", small)) == {"team", "manager"}


def test_the_email_task_never_mails_a_notice_twice(to_state, team, django_capture_on_commit_callbacks, mailoutbox):
    assessment = to_state("changes_requested")
    with django_capture_on_commit_callbacks(execute=True):
        move(assessment, "submit", team)
    ids = list(Notification.objects.filter(kind="resubmitted").values_list("pk", flat=True))
    sent = len(mailoutbox)

    assert send_notification_emails(ids) == 0
    assert send_notification_emails.delay(ids).get() == 0
    assert len(mailoutbox) == sent == 1
    assert Notification.objects.filter(pk__in=ids, emailed_at__isnull=False).count() == 1


def test_the_in_app_list_opening_marks_read_and_goes_to_the_place(client, to_state, assessor, team):
    assessment = to_state("submitted")
    notice = Notification.objects.get(kind="assigned", recipient=assessor)
    client.force_login(assessor)

    page = client.get("/notifications/", headers={"accept-language": "en"}).content.decode()
    assert "orgadmin assigned you the review of Marketing platform" in page

    opened = client.post(f"/notifications/{notice.pk}/open/")

    assert opened.status_code == 302 and opened["Location"] == f"/assessments/{assessment.pk}/review/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    client.force_login(team)
    assert client.post(f"/notifications/{notice.pk}/open/").status_code == 404


def test_the_api_lists_only_ones_own_and_marks_them_read(api_as, to_state, assessor, team):
    to_state("submitted")
    own = api_as(assessor).get("/api/v1/notifications/").json()["results"]
    assert sorted(row["kind"] for row in own) == ["assigned", "submitted"]
    assert all(row["read_at"] is None for row in own)
    assert [row["kind"] for row in api_as(team).get("/api/v1/notifications/").json()["results"]] == []

    assert api_as(team).post("/api/v1/notifications/read/", {"ids": [own[0]["id"]]}, format="json").json() == {
        "marked_read": 0
    }
    marked = api_as(assessor).post("/api/v1/notifications/read/", {}, format="json")
    assert marked.json() == {"marked_read": 2}
    assert all(row["read_at"] for row in api_as(assessor).get("/api/v1/notifications/").json()["results"])
