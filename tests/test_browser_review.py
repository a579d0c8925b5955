"""The whole review in headless Chromium: the team submits, the assessor asks for information on one criterion
and accepts the rest, the team answers and resubmits, the assessor accepts and publishes, the manager sees the
confirmed level."""

import pytest

from assessment.models import AuditEntry, Notification, Verdict
from assessment.services.assessments import AnswerInput, required_criteria, save_answers, start_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
ASKED = "cd.cm.vc.vcs@1"


def session(browser, live_server, username: str):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_submit_request_information_resubmit_accept_publish(
    browser, live_server, caict, project, team, assessor, manager, screenshots
):
    assessment = start_assessment(project=project, actor=team, target_level=1)
    codes = list(required_criteria(assessment).values_list("code", flat=True))
    save_answers(assessment=assessment, actor=team, items=[AnswerInput(code, "met") for code in codes])
    # The automatic checks found every claim but one met: the assessor can accept those in bulk.
    for criterion in required_criteria(assessment).exclude(code=ASKED):
        Verdict.objects.create(
            assessment=assessment,
            criterion=criterion,
            value="met",
            explanation_en="Checked.",
            explanation_zh="已检查。",
        )
    asked_pk = assessment.model.criteria.get(code=ASKED).pk

    team_page = session(browser, live_server, "team")
    team_page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    team_page.get_by_role("button", name="Submit", exact=True).click()
    team_page.get_by_text("Submitted. The assessors have it now").wait_for()

    reviewer = session(browser, live_server, "assessor")
    reviewer.get_by_role("link", name="Notifications 1").wait_for()
    reviewer.get_by_role("link", name="Review", exact=True).click()
    reviewer.get_by_role("button", name="Take it on").click()
    reviewer.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    reviewer.get_by_role("button", name="Start the review").click()
    reviewer.get_by_text("The assessment is now In review").wait_for()

    row = reviewer.locator(f"#r-{asked_pk}")
    row.get_by_label("More information requested").check()
    row.get_by_label("Comment").fill("Show the repository list and its access rules.")
    row.get_by_role("button", name="Record decision").click()
    reviewer.locator(f"#r-{asked_pk} .decision-info_requested").wait_for()

    reviewer.get_by_role("link", name=f"Accept {len(codes) - 1} criteria the checks found met…").click()
    reviewer.get_by_role("button", name=f"Accept {len(codes) - 1} criteria").click()
    reviewer.get_by_text(f"Accepted {len(codes) - 1} criteria.").wait_for()
    reviewer.screenshot(path=screenshots / "review-en.png", full_page=False)
    reviewer.get_by_role("button", name="Send back for more information").click()
    reviewer.get_by_text("The assessment is now Changes requested").wait_for()

    # The team follows the notification straight to the criterion, answers and resubmits.
    team_page.goto(f"{live_server.url}/notifications/")
    team_page.get_by_role("button", name="asks for more information").click()
    assert team_page.url.endswith(f"#c-{asked_pk}")
    request_box = team_page.locator(f"#c-{asked_pk} .information-request")
    assert "Show the repository list" in request_box.inner_text()
    request_box.get_by_label("Reply to the assessor").fill("All 42 repositories are in GitLab; see the export.")
    request_box.get_by_role("button", name="Send reply").click()
    team_page.get_by_text("Reply saved").wait_for()
    team_page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    team_page.get_by_role("button", name="Submit", exact=True).click()
    team_page.get_by_text("Submitted. The assessors have it now").wait_for()

    # Only what changed comes back: one criterion needs a decision.
    reviewer.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    reviewer.get_by_role("button", name="Start the review").click()
    assert reviewer.locator(".review-row").count() == 1
    row = reviewer.locator(f"#r-{asked_pk}")
    assert "All 42 repositories" in row.inner_text()
    row.get_by_label("Accepted").check()
    row.get_by_role("button", name="Record decision").click()
    reviewer.locator(f"#r-{asked_pk} .decision-accepted").wait_for()
    reviewer.get_by_role("button", name="Complete the review").click()
    reviewer.get_by_text("The assessment is now Assessed").wait_for()
    reviewer.get_by_role("button", name="Publish the result").click()
    reviewer.get_by_text("The assessment is now Published").wait_for()

    boss = session(browser, live_server, "manager")
    boss.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    assert boss.locator(".confirmed-level").first.inner_text() == "1"
    boss.screenshot(path=screenshots / "published-en.png", full_page=True)
    boss.get_by_role("button", name="简体中文").click()
    boss.get_by_role("heading", name="已确认的等级").wait_for()
    boss.screenshot(path=screenshots / "published-zh.png", full_page=True)

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
