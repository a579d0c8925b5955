"""The questionnaire costs a fixed number of queries whatever the catalogue, answers or evidence (assert it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.seed import full_assessment

pytestmark = pytest.mark.django_db


def queries(client, method: str, url: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 302), response.status_code
    return len(captured)


def test_questionnaire_pages_cost_the_same_whatever_their_size(client, caict):
    user, assessment = full_assessment(evidence_count=300)
    client.force_login(user)
    client.get(reverse("assessment-overview", args=(assessment.pk,)))  # session and caches (the catalogue) warm
    small = queries(client, "get", reverse("questionnaire", args=(assessment.pk, "cd.env")))  # 15 criteria
    large = queries(client, "get", reverse("questionnaire", args=(assessment.pk, "cd.tm")))  # 50 criteria
    everything = queries(client, "get", reverse("questionnaire", args=(assessment.pk, "all")))  # 245, 300 evidence
    # Finding the sub-domain costs no query (the model version's catalogue and the assessment's parts are in
    # memory), so all three cost the same.
    assert small == large == everything <= 10, (small, large, everything)


def test_saving_an_answer_costs_a_fixed_number_of_queries(client, caict):
    user, assessment = full_assessment(evidence_count=300)
    client.force_login(user)
    client.get(reverse("questionnaire", args=(assessment.pk, "cd.env")))  # session and caches warm
    url = reverse("answer-save", args=(assessment.pk, "cd.env.env.types@1"))
    first = queries(client, "post", url, data={"answer": "partly"}, headers={"hx-request": "true"})
    other = reverse("answer-save", args=(assessment.pk, "cd.tm.auto.execution@3"))
    second = queries(client, "post", other, data={"answer": "not_met"}, headers={"hx-request": "true"})
    # The parts in scope are in memory: no query for them. One query re-reads the state under a lock (a submission
    # cannot slip in between the check and the write).
    assert first == second <= 13, (first, second)
