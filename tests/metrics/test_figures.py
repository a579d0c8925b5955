"""Figures on a hand-checked week: every value below is worked out by hand from figure_events.hand_checked_week."""

import datetime

import pytest

from metrics.selectors.figures import project_figures
from metrics.selectors.periods import Period, period_of
from tests.metrics.figure_events import hand_checked_week

pytestmark = pytest.mark.django_db

WEEK = Period("week", datetime.date(2026, 11, 2), datetime.date(2026, 11, 9))


@pytest.fixture
def figures(project):
    hand_checked_week(project)
    (week,) = project_figures(project.pk, [WEEK])
    return week


def test_deployment_figures(figures):
    # Seven production deployments (the staging one does not count), five of them successful.
    assert (figures.deployments, figures.deployments_successful) == (7, 5)
    assert figures.deployment_frequency_per_week == pytest.approx(5)
    assert figures.deployment_frequency_per_day == pytest.approx(5 / 7)
    assert figures.max_deployments_per_day == 2  # Thursday 10:00 and 18:00
    assert figures.release_per_week == pytest.approx(4)  # v1..v4; v4 went out twice
    # Failed: the two on Tuesday; caused an incident: Wednesday's.
    assert figures.change_fail_rate == pytest.approx(3 / 7)
    # Rework: after each Tuesday failure, and Thursday 10:00 after the incident.
    assert figures.rework_rate == pytest.approx(3 / 7)
    # Recovery: red run Tuesday 10:00 → 16:00 (6 h) and the incident 11:00 → 13:00 (2 h).
    assert figures.recovery_median_hours == pytest.approx(4)
    assert figures.incidents == 1
    assert figures.bands["change_fail_rate"] == "low"
    assert figures.bands["deployment_frequency_per_week"] == "high"
    assert figures.bands["recovery_median_hours"] == "high"


def test_change_figures(figures):
    # Lead times (merge, or authoring when unmerged, to deployment): 2, 31, 22 and 24 hours.
    assert figures.changes == 4
    assert figures.lead_time_median_hours == pytest.approx(23)
    assert figures.lead_time_p90_hours == pytest.approx(24 + 0.7 * 7)
    # Delivery cycle (authoring to deployment): 24, 31, 24 and 144 hours.
    assert figures.delivery_cycle_median_days == pytest.approx(27.5 / 24)
    assert figures.bands["lead_time_median_hours"] == "elite"


def test_build_figures(figures):
    # Six finished builds (the cancelled one left out), three green.
    assert figures.builds == 6
    assert figures.pipeline_success_rate == pytest.approx(0.5)
    # Durations 300, 600, 600, 600, 120, 240 s.
    assert figures.build_duration_median_seconds == pytest.approx(450)
    assert figures.build_duration_p90_seconds == pytest.approx(600)
    # Red to green: main 10:10 → 10:50 (40 min), feature 09:02 → 09:34 (32 min).
    assert figures.ci_feedback_median_minutes == pytest.approx(36)


def test_a_period_without_events_has_no_figures(project):
    hand_checked_week(project)
    (empty,) = project_figures(project.pk, [period_of(datetime.date(2026, 10, 1), "month")])
    assert not empty.has_events
    assert empty.deployment_frequency_per_week is None  # nothing measured, not zero a week
    assert empty.change_fail_rate is None
    assert empty.lead_time_median_hours is None
    assert empty.bands["change_fail_rate"] is None
