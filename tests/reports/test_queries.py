"""The report costs a fixed number of queries whatever the answers, evidence and decisions (assert it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.seed import full_assessment
from tests.reports.conftest import metric_snapshot

pytestmark = pytest.mark.django_db


def queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(captured)


def test_report_page_and_api_cost_the_same_for_an_empty_and_a_full_assessment(client, caict, assessment, team):
    client.force_login(team)  # a team member, like the full assessment's user (managers also read share links)
    empty_url = reverse("report", args=(assessment.pk,))
    client.get(empty_url)  # session and the catalogue warm
    empty = queries(client, empty_url)
    user, full = full_assessment(evidence_count=300)
    metric_snapshot(full, user, {"delivery.release_per_week": 3})
    client.force_login(user)
    full_url = reverse("report", args=(full.pk,))
    client.get(full_url)
    every = queries(client, full_url)
    confirmed = queries(client, full_url, reading="confirmed")
    assert empty == every == confirmed <= 15, (empty, every, confirmed)
    api = queries(client, f"/api/v1/assessments/{full.pk}/report/")
    assert api <= 20, api
