"""The whole review in headless Chromium: the team submits, the assessor asks for information on one criterion
and accepts the rest, the team follows the notification, replies and resubmits, the assessor accepts and
publishes, the manager reads the confirmed level, in both languages."""

import re

import pytest

from assessment.models import AuditEntry, Criterion, Notification
from assessment.services.assessments import start_assessment
from tests.review.flow import ASKED, answer_required, required_codes, set_verdict

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_assessor_and_manager_through_a_review(
    person, live_server, caict, project, team, assessor, manager, screenshots
):
    assessment = start_assessment(project=project, actor=team, target_level=1)
    answer_required(assessment, team)
    codes = required_codes(assessment)
    for code in codes:
        if code != ASKED:
            set_verdict(assessment, code, "met")  # the checks agree with the team everywhere but ASKED
    asked = Criterion.objects.get(model=caict, code=ASKED)
    overview = f"{live_server.url}/assessments/{assessment.pk}/"

    team_page = person("team")
    submit(team_page, overview)
    review = person("assessor")
    first_review_asks_on_one_criterion(review, live_server.url, assessment, asked, len(codes) - 1, screenshots)
    team_follows_the_notification_replies_and_resubmits(team_page, live_server.url, asked, overview)
    second_review_decides_what_changed_and_publishes(review, live_server.url, assessment, asked)
    manager_reads_the_confirmed_level_in_both_languages(person("manager"), overview, screenshots)

    assessment.refresh_from_db()
    assert assessment.state == "published" and assessment.snapshot["levels"]["confirmed"]["parts"]["cd"]["level"] == "1"
    assert Notification.objects.filter(recipient=manager, kind="published").exists()
    actions = set(AuditEntry.objects.filter(assessment=assessment).values_list("action", flat=True))
    assert {
        "assessment.submit",
        "assessment.start_review",
        "decision.recorded",
        "decision.replied",
        "assessment.request_changes",
        "assessment.publish",
        "assessment.snapshot",
    } <= actions


def submit(team_page, overview: str) -> None:
    team_page.goto(overview)
    team_page.get_by_role("button", name="Submit", exact=True).click()
    team_page.get_by_text("Submitted. The assessors have it now").wait_for()


def first_review_asks_on_one_criterion(review, server: str, assessment, asked, bulk: int, screenshots) -> None:
    """The assessor takes the assessment on, asks about one criterion, accepts the rest in bulk, sends it back."""
    review.get_by_role("link", name="Notifications 1").wait_for()
    review.get_by_role("link", name="Review", exact=True).click()
    review.get_by_role("button", name="Take it on").click()
    review.goto(f"{server}/assessments/{assessment.pk}/review/")
    review.get_by_role("button", name="Start the review").click()
    review.get_by_text("The assessment is now In review").wait_for()
    review.wait_for_url(re.compile(r"/review/$"))
    row = review.locator(f"#r-{asked.pk}")
    row.get_by_label("More information requested").check()
    row.get_by_label("Comment (required to reject or to ask for information)").fill("Which branches are protected?")
    row.get_by_role("button", name="Record decision").click()
    review.locator(f"#r-{asked.pk} .decision-info_requested").wait_for()
    review.get_by_role("link", name=f"Accept {bulk} criteria the checks found met…").click()
    review.get_by_role("button", name=f"Accept {bulk} criteria").click()
    review.get_by_text(f"Accepted {bulk} criteria.").wait_for()
    review.screenshot(path=screenshots / "review-en.png", full_page=False)
    review.get_by_role("button", name="Send back for more information").click()
    review.get_by_text("The assessment is now Changes requested").wait_for()


def team_follows_the_notification_replies_and_resubmits(team_page, server: str, asked, overview: str) -> None:
    """The team follows the notification straight to the criterion, replies and resubmits."""
    team_page.goto(f"{server}/notifications/")
    team_page.get_by_role("button", name="asks for more information").click()
    assert team_page.url.endswith(f"#c-{asked.pk}")
    request = team_page.locator(f"#c-{asked.pk} .information-request")
    assert "Which branches are protected?" in request.inner_text()
    request.get_by_label(re.compile("Reply to the assessor")).fill("main and release/* are protected.")
    request.get_by_role("button", name="Send reply").click()
    team_page.get_by_text("Reply saved").wait_for()
    submit(team_page, overview)


def second_review_decides_what_changed_and_publishes(review, server: str, assessment, asked) -> None:
    """Only what changed comes back: one criterion needs a decision; then the review completes and publishes."""
    review.goto(f"{server}/assessments/{assessment.pk}/review/")
    review.get_by_role("button", name="Start the review").click()
    review.wait_for_url(re.compile(r"/review/$"))
    assert review.locator("li.review-row").count() == 1
    row = review.locator(f"#r-{asked.pk}")
    assert "main and release/* are protected." in row.inner_text()
    row.get_by_label("Accepted").check()
    row.get_by_role("button", name="Record decision").click()
    review.locator(f"#r-{asked.pk} .decision-accepted").wait_for()
    review.reload()
    review.get_by_role("button", name="Complete the review").click()
    review.get_by_text("The assessment is now Assessed").wait_for()
    review.get_by_role("button", name="Publish the result").click()
    review.get_by_text("The assessment is now Published").wait_for()


def manager_reads_the_confirmed_level_in_both_languages(reader, overview: str, screenshots) -> None:
    reader.goto(overview)
    assert reader.locator(".confirmed-level").first.inner_text() == "1"
    assert "published: frozen at publication" in reader.content()
    reader.screenshot(path=screenshots / "published-en.png", full_page=True)
    reader.get_by_role("button", name="简体中文").click()
    reader.get_by_role("heading", name="已确认的等级").wait_for()
    reader.screenshot(path=screenshots / "published-zh.png", full_page=True)
