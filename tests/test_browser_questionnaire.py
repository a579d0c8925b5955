"""A team member fills a sub-domain in headless Chromium, watches progress and level change, uploads, submits."""

import pytest
from django.db.models import Q

from assessment.models import Answer, Evidence
from assessment.services.assessments import AnswerInput, required_criteria, save_answers
from tests.signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.worker
def test_team_answers_a_sub_domain_uploads_and_submits(
    celery_worker, live_server, page, team, assessment, screenshots, tmp_path
):
    # Everything outside 环境管理 (environment management) is answered already, so submitting becomes possible.
    others = required_criteria(assessment).exclude(subitem__item__subdomain__code="cd.env")
    save_answers(
        assessment=assessment,
        actor=team,
        items=[AnswerInput(code, "met") for code in others.values_list("code", flat=True)],
    )

    sign_in(page, live_server, "team")
    page.get_by_role("link", name="#" + str(assessment.pk)).first.click()
    page.get_by_role("link", name="Environment management").first.click()
    assert "138 of 147 required criteria answered" in page.locator("#overall-progress").inner_text()
    progress_and_level_follow_the_answers(page, assessment)
    not_applicable_needs_a_reason(page, assessment)
    answer_the_rest_as_partly_met(page, assessment)
    upload_a_report_that_a_worker_reads(page, assessment, tmp_path, screenshots)
    submit_in_chinese(page, assessment, screenshots)


def progress_and_level_follow_the_answers(page, assessment) -> None:
    types = page.locator("#c-" + str(criterion_pk(assessment, "cd.env.env.types@1")))
    types.get_by_label("Met", exact=True).check()  # keyboard users: the radio group takes arrow keys; change saves it
    expect_text(page, "#overall-progress", "139 of 147")
    for level in (2, 3):
        page.locator(f"#c-{criterion_pk(assessment, f'cd.env.env.types@{level}')}").get_by_label(
            "Met", exact=True
        ).check()
    expect_text(page, "#overall-progress", "141 of 147")
    level_badge = page.locator(f"#level-{assessment.model.criteria.get(code='cd.env.env.types@1').subitem_id}")
    assert "3" in level_badge.inner_text() and "meets the target" in level_badge.inner_text()


def not_applicable_needs_a_reason(page, assessment) -> None:
    """N/A without a reason is refused at the field, and what was chosen stays."""
    provisioning = page.locator(f"#c-{criterion_pk(assessment, 'cd.env.env.provisioning@1')}")
    provisioning.get_by_label("Not applicable").check()
    page.get_by_role("alert").first.wait_for()
    assert "Say why" in page.get_by_role("alert").first.inner_text()
    provisioning = page.locator(f"#c-{criterion_pk(assessment, 'cd.env.env.provisioning@1')}")
    assert provisioning.get_by_label("Not applicable").is_checked()
    provisioning.get_by_label("Why it does not apply").fill("Environments are provided by the group platform.")
    provisioning.get_by_role("button", name="Save").click()
    expect_text(page, "#overall-progress", "142 of 147")


def answer_the_rest_as_partly_met(page, assessment) -> None:
    remaining = Q(subitem__item__subdomain__code="cd.env") & ~Q(pk__in=Answer.objects.values("criterion_id"))
    for code in required_criteria(assessment).filter(remaining).values_list("code", flat=True):
        page.locator(f"#c-{criterion_pk(assessment, code)}").get_by_label("Partly met", exact=True).check()
        page.wait_for_timeout(150)
    expect_text(page, "#overall-progress", "147 of 147")


def upload_a_report_that_a_worker_reads(page, assessment, tmp_path, screenshots) -> None:
    report = tmp_path / "junit.xml"
    report.write_text('<?xml version="1.0"?><testsuite tests="1"><testcase name="ok"/></testsuite>')
    row = page.locator(f"#c-{criterion_pk(assessment, 'cd.env.env.types@2')}")
    row.get_by_role("link", name="Add evidence").click()
    row.locator("input[type=file]").set_input_files(report)
    row.get_by_role("button", name="Add evidence").click()
    page.get_by_role("link", name="junit.xml").wait_for()
    assert Evidence.objects.get().name == "junit.xml"
    # A real worker reads the report; the row polls and shows the outcome without a reload.
    row = page.locator(f"#c-{criterion_pk(assessment, 'cd.env.env.types@2')}")
    row.get_by_text("Read · junit").wait_for(timeout=20_000)
    assert "0 failed" in row.inner_text() and "Facts read from the file" in row.inner_text()
    page.screenshot(path=screenshots / "questionnaire-en.png", full_page=False)


def submit_in_chinese(page, assessment, screenshots) -> None:
    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("heading", level=1, name="环境管理").wait_for()
    page.screenshot(path=screenshots / "questionnaire-zh.png", full_page=False)
    page.locator(f"a[href='/assessments/{assessment.pk}/']").first.click()
    page.get_by_role("button", name="提交").click()
    page.locator(".messages").wait_for()
    assessment.refresh_from_db()
    assert assessment.state == "submitted"
    page.screenshot(path=screenshots / "assessment-submitted-zh.png", full_page=True)


def test_an_outsider_gets_nothing(live_server, page, team, outsider, assessment):
    sign_in(page, live_server, "outsider")
    assert "Marketing platform" not in page.content()
    response = page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/projects/{assessment.project_id}/")
    assert response.status == 404


def criterion_pk(assessment, code: str) -> int:
    return assessment.model.criteria.get(code=code).pk


def expect_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector)?.innerText.includes(text)", arg=[selector, text]
    )
