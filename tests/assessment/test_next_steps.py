"""Each person's page says what to do next."""

import pytest
from django.urls import reverse

from assessment.services.assessments import AnswerInput, required_criteria, save_answers
from assessment.services.lifecycle import transition

pytestmark = pytest.mark.django_db
ENGLISH = {"accept-language": "en"}


def test_the_team_is_sent_on_to_the_first_sub_domain_left_to_answer(client, team, assessment):
    client.force_login(team)
    overview = reverse("assessment-overview", args=(assessment.pk,))
    assert "Continue answering: Configuration management" in client.get(overview, headers=ENGLISH).content.decode()
    codes = required_criteria(assessment).filter(subitem__item__subdomain__code="cd.cm").values_list("code", flat=True)
    save_answers(assessment=assessment, actor=team, items=[AnswerInput(code, "met") for code in codes])
    body = client.get(overview, headers=ENGLISH).content.decode()
    assert "Continue answering: Build and continuous integration" in body


def test_no_continue_button_for_someone_who_cannot_answer(client, manager, assessment):
    client.force_login(manager)
    body = client.get(reverse("assessment-overview", args=(assessment.pk,)), headers=ENGLISH).content.decode()
    assert "Continue answering" not in body


def test_an_assessor_with_nothing_to_review_is_told_what_will_come(client, assessor, assessment):
    client.force_login(assessor)
    assert "Nothing waits for your review right now" in client.get("/", headers=ENGLISH).content.decode()


def test_an_assessor_sees_the_assessment_assigned_to_them_and_no_empty_message(client, team, assessor, assessment):
    codes = required_criteria(assessment).values_list("code", flat=True)
    save_answers(assessment=assessment, actor=team, items=[AnswerInput(code, "met") for code in codes])
    transition(assessment=assessment, move_name="submit", actor=team)
    transition(assessment=assessment, move_name="start_review", actor=assessor)
    client.force_login(assessor)
    body = client.get("/", headers=ENGLISH).content.decode()
    assert f"Marketing platform #{assessment.pk}" in body
    assert "Nothing waits for your review right now" not in body
    assert body.count('id="review-heading"') == 1
