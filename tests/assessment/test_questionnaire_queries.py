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
    # Session, user, the assessment, the membership; BEGIN, the state re-read under a lock (a submission cannot
    # slip in between the check and the write), the answers and met checks (the previous answer for the audit,
    # and what the levels and progress bars after the save need), the write and its audit entry, COMMIT. The
    # parts in scope are in memory: no query for them.
    assert first == second == 10, (first, second)


def test_the_whole_questionnaire_is_one_page_of_forms(client, caict):
    user, assessment = full_assessment(evidence_count=300)
    client.force_login(user)
    body = client.get(reverse("questionnaire", args=(assessment.pk, "all"))).content.decode()
    assert body.count('<form class="answer-form') == 245 and "&lt;form" not in body  # markup, not escaped text
    assert body.count('class="note-evidence"') == 300


def test_the_page_shows_every_kind_of_change(client, caict, settings, tmp_path):
    from assessment.models import Evidence, Verdict
    from assessment.services.assessments import AnswerInput, save_answers
    from assessment.services.evidence import add_evidence

    user, assessment = full_assessment(evidence_count=3)
    client.force_login(user)
    url = reverse("questionnaire", args=(assessment.pk, "cd.env"))
    client.get(url)

    save_answers(assessment=assessment, actor=user, items=[AnswerInput("cd.env.env.types@1", "na", "", "Group cloud")])
    assert "Group cloud" in client.get(url).content.decode()

    add_evidence(assessment=assessment, actor=user, criteria_codes=["cd.env.env.types@1"], note="Runbook v7 online")
    assert "Runbook v7 online" in client.get(url).content.decode()

    criterion = assessment.model.criteria.get(code="cd.env.env.types@2")
    Verdict.objects.update_or_create(
        assessment=assessment,
        criterion=criterion,
        defaults={"value": "met", "explanation_en": "Nightly pipeline seen", "explanation_zh": "看到夜间流水线"},
    )
    assert "Nightly pipeline seen" in client.get(url, headers={"accept-language": "en"}).content.decode()

    Evidence.objects.filter(note="Runbook v7 online").update(removed_at=assessment.created_at)
    assert "Runbook v7 online" not in client.get(url).content.decode()
