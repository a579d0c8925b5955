"""The report costs a fixed number of queries whatever the answers, evidence and decisions (assert it), whether
its body is rendered afresh or comes from the fragment cache."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.seed import full_assessment
from tests.reports.conftest import answer, metric_snapshot

pytestmark = pytest.mark.django_db


def queries(client, url: str, *, cold: bool, **params) -> int:
    if cold:
        caches["fragments"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(captured)


def test_report_page_costs_the_same_for_an_empty_and_a_full_assessment(client, caict, assessment, team):
    client.force_login(team)  # a team member, like the full assessment's user (managers also read share links)
    empty_url = reverse("report", args=(assessment.pk,))
    client.get(empty_url)  # session and the catalogue warm
    empty = queries(client, empty_url, cold=True)
    user, full = full_assessment(evidence_count=300)
    metric_snapshot(full, user, {"delivery.release_per_week": 3})
    client.force_login(user)
    full_url = reverse("report", args=(full.pk,))
    client.get(full_url)
    every = queries(client, full_url, cold=True)
    confirmed = queries(client, full_url, cold=True, reading="confirmed")
    assert empty == every == confirmed <= 15, (empty, every, confirmed)
    client.get(full_url)  # the provisional body cached again
    cached = queries(client, full_url, cold=False)
    assert cached < every, (cached, every)
    assert queries(client, f"/api/v1/assessments/{full.pk}/report/", cold=True) <= 20


def test_a_change_is_shown_at_once_despite_the_cache(client, assessment, team):
    client.force_login(team)
    url = reverse("report", args=(assessment.pk,))
    assert "L1×49" not in client.get(url).content.decode()
    from assessment.selectors.catalog import model_catalog

    codes = [node.code for node in model_catalog(assessment.model).subitems if node.code.startswith("cd.")]
    answer(assessment, team, {f"{code}@1": "met" for code in codes})
    assert "L1×49" in client.get(url).content.decode()
