"""From a CI job's POST to the assessment: events in, links and figures recomputed, criteria re-evaluated."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessment.models import Evidence, Verdict
from assessment.services.snapshots import SNAPSHOT_KIND

pytestmark = pytest.mark.django_db


def last_complete_month() -> tuple[datetime.date, datetime.date]:
    first_of_this = timezone.localdate().replace(day=1)
    last = first_of_this - datetime.timedelta(days=1)
    return last.replace(day=1), last


def test_posted_events_reach_the_figures_and_the_open_assessment(
    team, assessment, eager_tasks, django_capture_on_commit_callbacks
):
    start, end = last_complete_month()
    days = [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]
    events = []
    for day in days:  # a production deployment every day at 10:00 Beijing time, shipping one change merged at 09:00
        events.append(
            {
                "type": "change",
                "external_id": f"c-{day}",
                "commit_sha": f"{day:%Y%m%d}aa",
                "authored_at": f"{day}T08:00:00+08:00",
                "merged_at": f"{day}T09:00:00+08:00",
            }
        )
        events.append(
            {
                "type": "deployment",
                "external_id": f"d-{day}",
                "environment": "production",
                "finished_at": f"{day}T10:00:00+08:00",
                "result": "success",
                "commit_sha": f"{day:%Y%m%d}aa",
            }
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=team).key}")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/projects/{assessment.project_id}/events/", events, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2 * len(days)

    body = client.get(f"/api/v1/projects/{assessment.project_id}/metrics/?period=month&start={start}&end={end}").json()
    (month,) = body["periods"]
    assert month["deployments"] == len(days)
    assert month["lead_time_median_hours"] == pytest.approx(1)  # merged 09:00, deployed 10:00: linked by commit
    assert month["deployment_frequency_per_week"] == pytest.approx(7, abs=0.01)

    snapshot = Evidence.objects.get(assessment=assessment, kind=SNAPSHOT_KIND, removed_at__isnull=True)
    assert snapshot.facts["deployments.per_week"] == pytest.approx(7, abs=0.01)
    verdict = Verdict.objects.get(assessment=assessment, criterion__code="cd.drm.mode.strategy@3")
    assert verdict.value == "met" and ": 0 weeks (level 3 asks for at most 0 weeks)" in verdict.explanation_en
    weekly = Verdict.objects.get(assessment=assessment, criterion__code="cd.drm.mode.strategy@2")
    assert weekly.value == "met" and ": 7 a week (level 2 asks for at least 1 a week)" in weekly.explanation_en
