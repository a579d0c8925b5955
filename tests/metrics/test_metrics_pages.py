"""The project metrics page and the organisation overview: who may see them, what they show, how many queries."""

import datetime
from html import unescape as html_unescape

import pytest

from tests.metrics.figure_events import deployment, hand_checked_week, settle
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_project_page_links_to_its_metrics(client, team, project):
    response = _get(client, team, f"/projects/{project.pk}/")
    assert f'href="/projects/{project.pk}/metrics/"'.encode() in response.content


@pytest.mark.parametrize("persona", ["team", "assessor", "manager", "orgadmin"])
def test_members_read_a_projects_metrics(client, request, project, persona):
    hand_checked_week(project)
    response = _get(client, request.getfixturevalue(persona), f"/projects/{project.pk}/metrics/?period=week")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="trend"') == 10
    assert 'class="band band-elite"' in html  # band shading behind the DORA charts
    assert "Accelerate State of DevOps Report 2023" in html


def test_outsiders_get_404_for_a_projects_metrics(client, outsider, project):
    assert _get(client, outsider, f"/projects/{project.pk}/metrics/").status_code == 404


def test_anonymous_visitors_are_sent_tosign_in(client, project):
    assert client.get(f"/projects/{project.pk}/metrics/").status_code == 302


def test_a_project_without_events_says_how_to_send_them(client, team, project):
    deployment(project, "2026-11-02 10:00", environment="staging")
    settle(project)
    response = _get(client, team, f"/projects/{project.pk}/metrics/")
    assert f"/api/v1/projects/{project.pk}/events/".encode() in response.content
    assert b'<svg class="trend"' not in response.content


@pytest.mark.parametrize("period", ["week", "month", "quarter", "nonsense"])
def test_every_period_kind_renders(client, team, project, period):
    hand_checked_week(project)
    assert _get(client, team, f"/projects/{project.pk}/metrics/?period={period}").status_code == 200


def test_the_dashboard_takes_a_constant_number_of_queries(client, team, project, django_assert_max_num_queries):
    client.force_login(team)
    url = f"/projects/{project.pk}/metrics/?period=week"
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    hand_checked_week(project)
    for day in range(1, 28):
        deployment(project, f"2026-10-{day:02d} 10:00")
    settle(project)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["team", "manager", "orgadmin"])
def test_managers_admins_and_team_read_the_overview(client, request, acme, persona):
    project = acme[1]
    hand_checked_week(project)
    response = _get(client, request.getfixturevalue(persona), "/orgs/acme/metrics/?period=month")
    assert response.status_code == 200
    assert project.name.encode() in response.content


def test_assessors_may_not_compare_projects(client, assessor, acme):
    assert _get(client, assessor, "/orgs/acme/metrics/").status_code == 403


def test_outsiders_get_404_for_the_overview(client, outsider, acme):
    assert _get(client, outsider, "/orgs/acme/metrics/").status_code == 404


def test_the_overview_takes_a_constant_number_of_queries(client, manager, acme, django_assert_max_num_queries):
    from assessment.models import Project

    client.force_login(manager)
    client.get("/orgs/acme/metrics/")
    with django_assert_max_num_queries(12) as few:
        client.get("/orgs/acme/metrics/")
    for index in range(5):
        hand_checked_week(Project.objects.create(organisation=acme[0], name=f"Service {index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/orgs/acme/metrics/").status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_the_trends_in_both_languages(live_server, page, browser, manager, acme, screenshots):
    from django.utils import timezone

    from assessment.models import Project
    from tests.metrics.figure_events import recent_activity

    organisation, project = acme
    recent_activity(project, timezone.localdate())
    recent_activity(Project.objects.create(organisation=organisation, name="Billing"), timezone.localdate(), seed=9)
    Project.objects.create(organisation=organisation, name="Data warehouse")
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="Delivery metrics").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Delivery metrics")
    assert page.locator("svg.trend").count() == 10
    assert page.locator(".trend rect.band").count() >= 8  # the four DORA charts carry their bands
    # Keyboard: the numbers behind a chart open from the keyboard.
    summary = page.locator(".chart-data summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".chart-data").first.get_attribute("open") is not None
    page.screenshot(path=screenshots / "metrics-project-en.png", full_page=True)

    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("link", name="按 月".replace(" ", "")).or_(page.locator("a[href='?period=month']")).first.click()
    page.screenshot(path=screenshots / "metrics-project-month-zh.png", full_page=True)

    page.goto(f"{live_server.url}/orgs/acme/metrics/?period=week")
    assert page.locator("table.overview tbody tr").count() == 3
    page.screenshot(path=screenshots / "metrics-organisation-zh.png", full_page=True)
    page.get_by_role("button", name="English").click()
    page.screenshot(path=screenshots / "metrics-organisation-en.png", full_page=True)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    small = phone.new_page()
    sign_in(small, live_server, "manager")
    small.goto(f"{live_server.url}/projects/{project.pk}/metrics/")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=screenshots / "metrics-project-phone.png", full_page=True)
    phone.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_empty_project_explains_itself(live_server, page, team, project, screenshots):
    sign_in(page, live_server, "team")
    page.goto(f"{live_server.url}/projects/{project.pk}/metrics/")
    assert page.get_by_role("heading", name="No delivery events yet").is_visible()
    page.screenshot(path=screenshots / "metrics-project-empty-en.png", full_page=True)


def test_managers_find_the_overview_from_their_home_page(client, manager, acme):
    assert b'href="/orgs/acme/metrics/"' in _get(client, manager, "/").content


def test_events_only_outside_the_window_are_counted_dated_and_linked(client, team, project):
    from django.utils import timezone

    from tests.metrics.figure_events import SHANGHAI

    last_year = timezone.now().astimezone(SHANGHAI) - datetime.timedelta(days=400)
    deployment(project, last_year - datetime.timedelta(days=2))
    deployment(project, last_year)
    settle(project)
    response = _get(client, team, f"/projects/{project.pk}/metrics/?period=week")
    html = response.content.decode()
    day = last_year.date().isoformat()
    assert "No delivery events in the periods shown" in html and "No delivery events yet" not in html
    assert f"This project has 2 delivery events outside these periods; the latest is from {day}." in html
    link = f"?period=week&amp;end={day}"
    assert link in html and '<svg class="trend"' not in html
    shown = client.get(f"/projects/{project.pk}/metrics/" + html_unescape(link)).content.decode()
    assert "No delivery events" not in shown
    # Two deployments give deployment and release frequencies and rates; figures without a value say so.
    assert shown.count('<svg class="trend"') == 4 and shown.count("so there is no trend to draw") == 6
    assert f"Periods up to {day}." in shown


def test_the_overview_links_a_quiet_project_to_its_latest_events(client, manager, project):
    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(days=300)
    deployment(project, long_ago)
    settle(project)
    html = _get(client, manager, "/orgs/acme/metrics/?period=month").content.decode()
    day = timezone.localtime(long_ago).date().isoformat()
    assert f"/projects/{project.pk}/metrics/?period=month&amp;end={day}" in html
    assert f"1 event, the latest from {day}" in html


def test_a_project_page_in_chinese_counts_the_events_elsewhere(client, team, project):
    from django.utils import timezone

    deployment(project, timezone.now() - datetime.timedelta(days=300))
    settle(project)
    client.force_login(team)
    html = client.get(f"/projects/{project.pk}/metrics/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "所示周期内没有交付事件" in html


def test_an_assessor_is_not_sent_to_pages_their_role_may_not_open(client, assessor, project):
    html = _get(client, assessor, f"/projects/{project.pk}/metrics/").content.decode()
    assert "/orgs/acme/metrics/" not in html
    assert f"/projects/{project.pk}/events/import/" not in html


def test_an_empty_project_offers_its_team_the_import(client, team, project):
    html = _get(client, team, f"/projects/{project.pk}/metrics/").content.decode()
    assert f"/projects/{project.pk}/events/import/" in html
    assert "/orgs/acme/metrics/" in html


def test_an_overview_without_any_events_says_so(client, manager, acme):
    html = _get(client, manager, "/orgs/acme/metrics/").content.decode()
    assert "No project of the organisation has sent delivery events yet" in html
    hand_checked_week(acme[1])
    html = _get(client, manager, "/orgs/acme/metrics/").content.decode()
    assert "No project of the organisation has sent delivery events yet" not in html
