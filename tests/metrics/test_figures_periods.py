"""Periods in the site's time zone: where an event near midnight falls, and the period arithmetic itself."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from metrics.selectors.figures import project_figures
from metrics.selectors.periods import Period, latest_complete, period_of, periods_between, recent_periods, start_of
from tests.metrics.figure_events import deployment, settle

UTC = datetime.UTC
WEEK_1 = Period("week", datetime.date(2026, 11, 2), datetime.date(2026, 11, 9))
WEEK_2 = Period("week", datetime.date(2026, 11, 9), datetime.date(2026, 11, 16))


def _counts(project, periods):
    return [figures.deployments for figures in project_figures(project.pk, periods)]


@pytest.mark.django_db
def test_sunday_2330_utc_is_already_monday_in_shanghai(project):
    deployment(project, datetime.datetime(2026, 11, 8, 23, 30, tzinfo=UTC))
    settle(project)
    assert _counts(project, [WEEK_1, WEEK_2]) == [0, 1]


@pytest.mark.django_db
def test_the_same_event_stays_in_sundays_week_when_the_site_runs_on_utc(project, settings):
    settings.TIME_ZONE = "UTC"
    deployment(project, datetime.datetime(2026, 11, 8, 23, 30, tzinfo=UTC))
    settle(project)
    assert _counts(project, [WEEK_1, WEEK_2]) == [1, 0]


@pytest.mark.django_db
def test_month_and_quarter_edges_follow_local_midnight(project):
    deployment(project, datetime.datetime(2026, 9, 30, 15, 59, tzinfo=UTC))  # 23:59 on 30 September in Shanghai
    deployment(project, datetime.datetime(2026, 9, 30, 16, 0, tzinfo=UTC))  # 00:00 on 1 October in Shanghai
    settle(project)
    months = periods_between(datetime.date(2026, 9, 1), datetime.date(2026, 10, 31), "month")
    quarters = periods_between(datetime.date(2026, 7, 1), datetime.date(2026, 12, 31), "quarter")
    assert _counts(project, months) == [1, 1]
    assert _counts(project, quarters) == [1, 1]


@pytest.mark.django_db
def test_a_week_split_by_a_month_end_counts_whole(project):
    """Tuesday 29 September to Sunday 4 October 2026 is one week across two months."""
    for day in ("2026-09-29 10:00", "2026-09-30 10:00", "2026-10-01 10:00", "2026-10-04 10:00"):
        deployment(project, day)
    settle(project)
    (week,) = project_figures(project.pk, [period_of(datetime.date(2026, 10, 1), "week")])
    assert (week.period.start, week.deployments, week.deployment_frequency_per_week) == (
        datetime.date(2026, 9, 28),
        4,
        pytest.approx(4),
    )


def test_period_arithmetic():
    assert start_of(datetime.date(2026, 11, 8), "week") == datetime.date(2026, 11, 2)
    assert start_of(datetime.date(2026, 11, 27), "quarter") == datetime.date(2026, 10, 1)
    assert period_of(datetime.date(2026, 12, 31), "quarter").end == datetime.date(2027, 1, 1)
    assert [p.start.month for p in recent_periods(datetime.date(2026, 2, 10), "month", 4)] == [11, 12, 1, 2]
    assert latest_complete(datetime.date(2026, 11, 27), "month") == Period(
        "month", datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    )
    assert len(periods_between(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "week")) == 53


def test_a_running_period_counts_the_days_so_far(settings):
    week = WEEK_1
    wednesday_noon = datetime.datetime(2026, 11, 4, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert week.days_covered(wednesday_noon) == pytest.approx(2.5)
    assert not week.is_complete(wednesday_noon)
    assert week.days_covered(wednesday_noon + datetime.timedelta(days=30)) == 7
