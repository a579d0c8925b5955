"""The review page costs a fixed number of queries, however many criteria, answers, evidence and decisions."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Assessment, Decision, Membership
from bench.seed import full_assessment

pytestmark = pytest.mark.django_db


def review_queries(client, assessment) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("review", args=(assessment.pk,)) + "?show=all")
    assert response.status_code == 200
    return len(captured)


def test_the_review_page_costs_the_same_with_few_or_many_decisions(client, caict):
    _team, assessment = full_assessment(evidence_count=300)
    assessor = get_user_model().objects.create_user("reviewer")
    Membership.objects.create(organisation=assessment.organisation, user=assessor, is_assessor=True)
    Assessment.objects.filter(pk=assessment.pk).update(state="in_review", assessor=assessor)
    client.force_login(assessor)
    client.get(reverse("review", args=(assessment.pk,)))  # session and catalogue warm
    before = review_queries(client, assessment)
    criteria = list(assessment.model.criteria.filter(subitem__item__subdomain__part__code="cd")[:200])
    Decision.objects.bulk_create(
        Decision(
            assessment=assessment, criterion=c, value="accepted", decided_by=assessor, decided_at=assessment.created_at
        )
        for c in criteria
    )
    after = review_queries(client, assessment)
    assert before == after <= 12, (before, after)
