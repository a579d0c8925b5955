"""seed_demo's delivery events: a year per project with a working week's rhythm, holidays, failures and
recoveries, linked and rolled up by the real services, so the metrics pages, the report's delivery panel, the
trends and the portfolio show figures; and the same events every run."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from assessment.models import Assessment, Project
from assessment.selectors.reports import delivery_panel
from metrics.models import Build, Change, Deployment, Incident, Result
from metrics.services.demo import PROFILES
from metrics.services.demo_calendar import is_frozen, is_holiday
from metrics.services.demo_events import year_of_events

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}
ZONE = ZoneInfo("Asia/Shanghai")


def telecom_projects():
    return Project.objects.filter(organisation__slug="demo-telecom").order_by("name")


def local_days(rows, field: str) -> list[datetime.date]:
    return [moment.astimezone(ZONE).date() for moment in rows.values_list(field, flat=True)]


def test_every_project_has_a_year_of_every_kind_of_event(demo):
    """Up to yesterday: merges and builds every week; deployments over most of the year (billing's monthly window
    is not always used)."""
    today = timezone.localdate()
    oldest, recent = {Deployment: 240, Change: 355, Build: 355}, {Deployment: 90, Change: 7, Build: 7}
    for project in telecom_projects():
        for model, field in ((Deployment, "finished_at"), (Change, "merged_at"), (Build, "finished_at")):
            days = local_days(model.objects.filter(project=project), field)
            assert (today - min(days)).days >= oldest[model], (project.name, model.__name__)
            assert 1 <= (today - max(days)).days <= recent[model], (project.name, model.__name__)
        assert Incident.objects.filter(project=project).exists(), project.name


def test_work_follows_the_week_and_stops_for_the_holidays(demo):
    merges = Counter(day.weekday() for day in local_days(Change.objects.filter(merged_at__isnull=False), "merged_at"))
    assert min(merges[day] for day in range(5)) > 5 * max(merges[5], merges[6])
    planned = Deployment.objects.filter(is_production=True, project__name__contains="Billing")
    assert planned and not any(is_frozen(day) for day in local_days(planned, "started_at"))
    holiday_merges = sum(is_holiday(day) for day in local_days(Change.objects.all(), "merged_at"))
    assert holiday_merges < Change.objects.count() / 100


def test_failed_deployments_are_followed_by_a_recovery(demo):
    failed = Deployment.objects.filter(is_production=True, result=Result.FAILURE).order_by("finished_at")
    assert failed.count() >= 20
    recovered = 0
    for deployment in failed:
        later = Deployment.objects.filter(
            project=deployment.project,
            is_production=True,
            result=Result.SUCCESS,
            finished_at__gt=deployment.finished_at,
            finished_at__lte=deployment.finished_at + datetime.timedelta(days=7),
        )
        recovered += later.exists()
    assert recovered >= failed.count() - 2  # a failure in the last days may not be recovered yet
    assert Build.objects.filter(result="failure").exists() and Incident.objects.filter(resolved_at__isnull=False)


def test_the_projects_perform_differently(demo):
    year_ago = timezone.now() - datetime.timedelta(days=365)

    def deployments(name: str) -> int:
        return Deployment.objects.filter(
            project__name__contains=name, is_production=True, result=Result.SUCCESS, finished_at__gte=year_ago
        ).count()

    assert deployments("Online service hall") > 10 * deployments("Billing system")
    assert Deployment.objects.filter(environment="生产", is_production=True).exists()  # production in Chinese


def test_events_were_linked_by_the_real_services(demo):
    shipped = Change.objects.filter(deployment__isnull=False)
    assert shipped.count() > Change.objects.count() * 0.9
    assert not shipped.exclude(deployed_at__gte=timezone.now() - datetime.timedelta(days=400)).exists()
    assert Incident.objects.filter(deployment__isnull=False).exists()


def test_the_managers_metrics_pages_show_figures_for_every_project(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="manager"))
    overview = client.get("/orgs/demo-telecom/metrics/", headers=ENGLISH)
    assert overview.status_code == 200
    rows = overview.context["rows"]
    assert len(rows) == 8 and all(row.figures.has_events for row in rows)
    for project in telecom_projects():
        page = client.get(f"/projects/{project.pk}/metrics/", headers=ENGLISH)
        assert page.status_code == 200
        assert page.context["dashboard"].has_events, project.name
        assert page.context["dashboard"].elsewhere is None


def test_reports_trends_and_the_portfolio_show_delivery_and_levels(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="manager"))
    for assessment in Assessment.objects.filter(organisation__slug="demo-telecom", state="published"):
        panel = delivery_panel(assessment)
        assert panel is not None and panel.figures, assessment
    latest = Assessment.objects.filter(project__name__contains="Online service hall").latest("published_at")
    report = client.get(f"/assessments/{latest.pk}/report/", headers=ENGLISH)
    assert "Deployments per day" in report.content.decode()
    trends = client.get(f"/projects/{latest.project_id}/trends/", headers=ENGLISH).context["trends"]
    assert len(trends.points) == 2 and trends.deltas
    assert any(change.change > 0 for change in trends.changes)
    portfolio = client.get("/orgs/demo-telecom/portfolio/", headers=ENGLISH).context["portfolio"]
    assert portfolio.total == 8 and portfolio.unassessed == 0


def test_the_events_are_the_same_every_run(demo):
    """Seeded generators and a clock fixed to the day: what the database holds is what the generator makes."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for project in telecom_projects():
        made = year_of_events(PROFILES[project.name], seed=f"demo-events:{project.name}", last_day=yesterday, zone=ZONE)
        counts = Counter(event["type"] for event in made)
        stored = {
            "deployment": Deployment.objects.filter(project=project).count(),
            "change": Change.objects.filter(project=project).count(),
            "build": Build.objects.filter(project=project).count(),
            "incident": Incident.objects.filter(project=project).count(),
        }
        assert stored == dict(counts), project.name


def test_a_year_of_events_is_made_the_same_way_every_time():
    profile = PROFILES["网上营业厅 Online service hall"]
    day = datetime.date(2026, 12, 5)
    first = year_of_events(profile, seed="demo-events:x", last_day=day, zone=ZONE)
    assert first == year_of_events(profile, seed="demo-events:x", last_day=day, zone=ZONE)
    assert first != year_of_events(profile, seed="demo-events:y", last_day=day, zone=ZONE)
    totals = {
        name: len(year_of_events(p, seed=f"demo-events:{name}", last_day=day, zone=ZONE))
        for name, p in PROFILES.items()
    }
    assert sum(totals.values()) == EVENTS_UP_TO_2026_12_05


# The demo's size, pinned: a change to the generator or the profiles changes it, and then the seed's time
# (scripts/run must start within a minute) is to be measured again.
EVENTS_UP_TO_2026_12_05 = 22_124
