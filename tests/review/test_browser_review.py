"""The review in headless Chromium: the team submits, the assessor asks about one criterion and accepts the rest,
the team replies and resubmits, the assessor accepts and publishes, the manager reads the confirmed level."""

import re

import pytest

from assessment.models import Assessment, Criterion
from assessment.services.assessments import start_assessment
from tests.review.flow import ASKED, answer_required, required_codes, set_verdict

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]
PASSWORD = "correct horse battery"


@pytest.fixture
def person(browser, live_server):
    """person(username): a signed-in browser tab in a context of its own, closed after the test."""
    contexts = []

    def signed_in(username: str):
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return sign_in(context.new_page(), live_server, username)

    yield signed_in
    for context in contexts:
        context.close()


def sign_in(page, live_server, username: str):
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_team_assessor_and_manager_through_a_review(
    person, live_server, caict, project, team, assessor, manager, screenshots
):
    assessment = start_assessment(project=project, actor=team, target_level=1)
    answer_required(assessment, team)
    for code in required_codes(assessment):
        if code != ASKED:
            set_verdict(assessment, code, "met")  # the checks agree with the team everywhere but ASKED
    asked = Criterion.objects.get(model=caict, code=ASKED)
    overview = f"{live_server.url}/assessments/{assessment.pk}/"

    team_page = person("team")
    team_page.goto(overview)
    team_page.get_by_role("button", name="Submit", exact=True).click()
    team_page.get_by_text("Submitted. The assessors have it now").wait_for()

    review = person("assessor")
    review.goto(f"{live_server.url}/review/")
    review.get_by_role("button", name="Take it on").click()
    review.get_by_role("button", name="Start the review").click()
    review.wait_for_url(re.compile(r"/review/$"))
    row = review.locator(f"#r-{asked.pk}")
    row.get_by_label("More information requested").check()
    row.get_by_label("Comment (required to reject or to ask for information)").fill("Which branches are protected?")
    row.get_by_role("button", name="Record decision").click()
    review.locator(f"#r-{asked.pk} .decision-info_requested").wait_for()
    review.get_by_role("link", name=re.compile(r"Accept 48 criteria the checks found met")).click()
    review.get_by_role("button", name="Accept 48 criteria").click()
    review.get_by_text("Accepted 48 criteria.").wait_for()
    review.screenshot(path=screenshots / "review-after-bulk-accept.png", full_page=True)
    review.get_by_role("button", name="Send back for more information").click()
    review.get_by_text("The assessment is now Changes requested").wait_for()

    team_page.goto(f"{live_server.url}/assessments/{assessment.pk}/questionnaire/cd.cm/#c-{asked.pk}")
    request = team_page.locator(f"#c-{asked.pk} .information-request")
    assert "Which branches are protected?" in request.inner_text()
    request.get_by_label(re.compile("Reply to the assessor")).fill("main and release/* are protected.")
    request.get_by_role("button", name="Send reply").click()
    team_page.get_by_text("Reply saved").wait_for()
    team_page.goto(overview)
    team_page.get_by_role("button", name="Submit", exact=True).click()
    team_page.get_by_text("Submitted. The assessors have it now").wait_for()

    review.goto(f"{live_server.url}/assessments/{assessment.pk}/review/")
    review.get_by_role("button", name="Start the review").click()
    review.wait_for_url(re.compile(r"/review/$"))
    assert review.locator("li.review-row").count() == 1  # only the criterion asked about needs a decision
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

    reader = person("manager")
    reader.goto(overview)
    assert reader.locator(".confirmed-level").first.inner_text() == "1"
    assert "published: frozen at publication" in reader.content()
    reader.screenshot(path=screenshots / "review-published-manager.png", full_page=True)
    assert Assessment.objects.get(pk=assessment.pk).state == "published"
