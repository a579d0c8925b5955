"""A manager, in headless Chromium, goes from the home page to the portfolio, drills down to a report, asks for
its PDF, and reads both in English and Chinese. Screenshots land in var/screenshots (look at them)."""

import datetime

import pytest
from django.utils import timezone

from assessment.models import Assessment, Project
from assessment.services.assessments import start_assessment
from tests.reports.conftest import answer, metric_snapshot
from tests.signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PATTERNS = [
    ("met", "met", "met", "partly", "not_met"),
    ("met", "met", "partly", "not_met", "not_met"),
    ("met", "met", "met", "met", "partly"),
    ("met", "na", "met", "not_met", "not_met"),
    ("met", "met", "met", "not_met", "not_met"),
]


@pytest.fixture
def organisation_with_reports(assessment, team, all_subitems, acme):
    answers = {}
    for index, code in enumerate(all_subitems):
        for level, value in enumerate(PATTERNS[index % len(PATTERNS)], start=1):
            answers[f"{code}@{level}"] = value
    answer(assessment, team, answers)
    metric_snapshot(
        assessment,
        team,
        {
            "delivery.lead_time_median_hours": 18.5,
            "delivery.delivery_cycle_days": 6.0,
            "delivery.build_duration_median_seconds": 412,
            "delivery.pipeline_success_rate": 0.934,
            "delivery.release_per_week": 3.5,
            "delivery.change_fail_rate": 0.08,
            "delivery.test_coverage": 0.71,
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
        },
    )
    for index, (name, level) in enumerate([("Billing 计费", 2), ("Data platform", 4), ("Archive", 3)]):
        project = Project.objects.create(organisation=acme[0], name=name, target_level=level)
        if index < 2:
            other = start_assessment(project=project, actor=team, target_level=level)
            answer(other, team, {f"{code}@{rung}": "met" for code in all_subitems for rung in range(1, level + 1)})
    published_pair(acme[1], team, all_subitems)
    return assessment


def published_pair(project, team, all_subitems):
    """Two published assessments of the project, half a year apart, with delivery figures (for its trends)."""
    for days_ago, rungs, cycle in ((200, 1, 20.0), (20, 2, 11.0)):
        earlier = start_assessment(project=project, actor=team, target_level=3)
        answer(earlier, team, {f"{code}@{rung}": "met" for code in all_subitems for rung in range(1, rungs + 1)})
        metric_snapshot(earlier, team, {"delivery.delivery_cycle_days": cycle, "delivery.release_per_week": rungs})
        Assessment.objects.filter(pk=earlier.pk).update(
            state="published", published_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    # The draft being reported stays the project's newest assessment.
    Assessment.objects.filter(project=project, state="draft").update(created_at=timezone.now())


def test_manager_reads_portfolio_and_report_in_both_languages(
    celery_worker, live_server, page, manager, organisation_with_reports, screenshots
):
    assessment = organisation_with_reports
    sign_in(page, live_server, "manager")
    page.get_by_role("link", name="Portfolio: Acme Telecom").click()
    page.wait_for_url("**/orgs/acme/portfolio/")
    rows = page.locator("table.portfolio tbody tr")
    assert rows.count() == 4
    assert "Data platform" in rows.first.inner_text() or "Archive" in rows.first.inner_text()
    page.screenshot(path=screenshots / "portfolio-en.png", full_page=True)
    page.get_by_label("Sort by").select_option("-level")
    page.get_by_role("button", name="Apply").click()
    assert "Data platform" in page.locator("table.portfolio tbody tr").first.inner_text()

    page.get_by_role("link", name="Marketing platform").click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/report/")
    assert page.locator(".radar").is_visible()
    assert "3- 基础级 Foundation" in page.locator(".overall").inner_text()
    assert page.get_by_role("heading", name="What blocks the next level").is_visible()
    assert page.get_by_role("heading", name="Delivery metrics").is_visible()
    page.screenshot(path=screenshots / "report-en.png", full_page=True)

    page.get_by_role("button", name="Level report (PDF)").click()
    page.get_by_role("link", name="Download PDF").wait_for(timeout=60_000)
    page.screenshot(path=screenshots / "report-pdf-ready-en.png")

    page.goto(f"{live_server.url}/projects/{assessment.project_id}/trends/?reading=provisional")
    assert "\u221245%" in page.locator("main").inner_text()  # delivery cycle −45%
    page.screenshot(path=screenshots / "trends-en.png", full_page=True)

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/report/")
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert "配置管理" in page.locator(".levels-table").inner_text()
    page.screenshot(path=screenshots / "report-zh.png", full_page=True)
    page.goto(f"{live_server.url}/orgs/acme/portfolio/")
    assert "计费" in page.locator("table.portfolio").inner_text()
    page.screenshot(path=screenshots / "portfolio-zh.png", full_page=True)
