"""Answers over the API: bulk upsert, all or nothing, errors by position; only the project's team answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Answer
from assessment.services.assessments import AnswerInput, required_criteria, save_answers
from assessment.services.catalog import load_catalog
from tests.api.error_shape import assert_error_shape
from tests.assessment.test_catalog_loader import SAMPLE

pytestmark = pytest.mark.django_db


def url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/answers/"


def saved(assessment) -> dict[str, str]:
    return dict(Answer.objects.filter(assessment=assessment).values_list("criterion__code", "value"))


def test_bulk_upsert_then_read(api_as, team, manager, assessment):
    payload = [
        {"criterion": "cd.cm.vc.vcs@1", "answer": "met", "comment": "  Git for everything "},
        {"criterion": "cd.cm.vc.vcs@2", "answer": "partly"},
        {"criterion": "cd.cm.vc.vcs@3", "answer": "na", "justification": "No source code of our own."},
    ]
    response = api_as(team).post(url(assessment), payload, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["criterion"] for row in body] == ["cd.cm.vc.vcs@1", "cd.cm.vc.vcs@2", "cd.cm.vc.vcs@3"]
    assert body[0]["comment"] == "Git for everything" and body[0]["updated_by"] == "team" and body[0]["updated_at"]
    assert body[2]["justification"] == "No source code of our own."

    listed = api_as(manager).get(url(assessment)).json()
    assert [(row["criterion"], row["answer"]) for row in listed] == [
        ("cd.cm.vc.vcs@1", "met"),
        ("cd.cm.vc.vcs@2", "partly"),
        ("cd.cm.vc.vcs@3", "na"),
    ]
    assert set(listed[0]) == {"criterion", "answer", "comment", "justification", "updated_at", "updated_by"}


def test_a_single_object_is_accepted_and_upserts(api_as, team, assessment):
    client = api_as(team)
    first = client.post(url(assessment), {"criterion": "cd.cm.vc.vcs@1", "answer": "partly"}, format="json")
    assert first.status_code == 200 and [row["answer"] for row in first.json()] == ["partly"]
    client.post(url(assessment), {"criterion": "cd.cm.vc.vcs@1", "answer": "met"}, format="json")
    assert saved(assessment) == {"cd.cm.vc.vcs@1": "met"}
    assert Answer.objects.filter(assessment=assessment).count() == 1


def test_all_or_nothing_with_errors_by_position(api_as, team, assessment):
    payload = [
        {"criterion": "cd.cm.vc.vcs@1", "answer": "met"},
        {"criterion": "cd.no.such.thing@1", "answer": "met"},
        {"criterion": "cd.cm.vc.vcs@3", "answer": "na", "justification": "   "},
    ]
    body = assert_error_shape(api_as(team).post(url(assessment), payload, format="json"), 400)
    assert set(body["errors"]) == {"1.criterion", "2.justification"}
    assert saved(assessment) == {}


def test_shape_errors_are_by_position_too(api_as, team, assessment):
    payload = [{"criterion": "cd.cm.vc.vcs@1", "answer": "met"}, {"criterion": "cd.cm.vc.vcs@2", "answer": "yes"}]
    body = assert_error_shape(api_as(team).post(url(assessment), payload, format="json"), 400)
    assert set(body["errors"]) == {"1.answer"}
    assert saved(assessment) == {}


def test_not_applicable_needs_a_justification(api_as, team, assessment):
    answer = {"criterion": "cd.cm.vc.vcs@1", "answer": "na"}
    assert_error_shape(api_as(team).post(url(assessment), answer, format="json"), 400, "justification")
    answer["justification"] = "We ship no code."
    assert api_as(team).post(url(assessment), answer, format="json").status_code == 200
    assert saved(assessment) == {"cd.cm.vc.vcs@1": "na"}


def test_criteria_outside_the_pinned_model_or_the_parts_in_scope_are_refused(api_as, team, assessment):
    load_catalog(source=SAMPLE.read_bytes())
    for code in ("plat.ci.speed.feedback@1", "agile.value.artifacts.content@1", "cd.cm.vc.vcs@9", "cd.cm.vc.vcs"):
        response = api_as(team).post(url(assessment), {"criterion": code, "answer": "met"}, format="json")
        body = assert_error_shape(response, 400, "criterion")
        assert code in body["detail"]
    assert saved(assessment) == {}


def test_the_same_criterion_twice_is_refused(api_as, team, assessment):
    payload = [{"criterion": "cd.cm.vc.vcs@1", "answer": "met"}, {"criterion": "cd.cm.vc.vcs@1", "answer": "not_met"}]
    assert_error_shape(api_as(team).post(url(assessment), payload, format="json"), 400, "1.criterion")
    assert saved(assessment) == {}


def test_a_request_holds_at_most_1000_answers(api_as, team, assessment):
    payload = [{"criterion": "cd.cm.vc.vcs@1", "answer": "met"}] * 1001
    body = assert_error_shape(api_as(team).post(url(assessment), payload, format="json"), 400)
    assert "1000" in body["detail"]


@pytest.mark.parametrize(
    "body",
    ["[]", '{"criterion": "cd.cm.vc.vcs@1",', '"met"', "42", "null", '[{"criterion": ["x"], "answer": "met"}]'],
)
def test_malformed_bodies_are_400(api_as, team, assessment, body):
    assert_error_shape(api_as(team).post(url(assessment), body, content_type="application/json"), 400)


def test_deeply_nested_json_is_a_400_not_a_crash(api_as, team, assessment):
    body = "[" * 100_000
    assert_error_shape(api_as(team).post(url(assessment), body, content_type="application/json"), 400)
    assert_error_shape(api_as(team).post("/api/v1/auth/token/", body, content_type="application/json"), 400)
    assert_error_shape(api_as(team).post("/api/v1/assessments/", body, content_type="application/json"), 400)


def test_a_body_past_the_request_size_limit_is_a_413(api_as, team, assessment):
    payload = [{"criterion": "cd.cm.vc.vcs@1", "answer": "met", "comment": "x" * 9000}] * 400
    assert_error_shape(api_as(team).post(url(assessment), payload, format="json"), 413)


def test_text_with_nul_characters_is_a_400(api_as, team, assessment):
    answer = {"criterion": "cd.cm.vc.vcs@1", "answer": "met", "comment": "a\x00b"}
    assert_error_shape(api_as(team).post(url(assessment), answer, format="json"), 400, "comment")


def test_payload_cannot_set_who_answered(api_as, team, outsider, assessment):
    answer = {"criterion": "cd.cm.vc.vcs@1", "answer": "met", "updated_by": outsider.pk, "assessment": 999}
    body = api_as(team).post(url(assessment), answer, format="json").json()
    assert body[0]["updated_by"] == "team"
    assert Answer.objects.get().updated_by == team


@pytest.mark.parametrize("persona", ["assessor", "manager", "orgadmin", "bystander"])
def test_only_the_projects_team_answers(api_as, assessment, persona, request):
    user = request.getfixturevalue(persona)
    answer = {"criterion": "cd.cm.vc.vcs@1", "answer": "met"}
    assert_error_shape(api_as(user).post(url(assessment), answer, format="json"), 403)
    assert api_as(user).get(url(assessment)).status_code == 200
    assert saved(assessment) == {}


def test_outsider_gets_404(api_as, outsider, assessment):
    assert_error_shape(api_as(outsider).get(url(assessment)), 404)
    answer = {"criterion": "cd.cm.vc.vcs@1", "answer": "met"}
    assert_error_shape(api_as(outsider).post(url(assessment), answer, format="json"), 404)


def test_reading_costs_the_same_for_one_answer_or_all(api_as, team, assessment):
    client = api_as(team)
    save_answers(assessment=assessment, items=[AnswerInput("cd.cm.vc.vcs@1", "met")], actor=team)
    client.get(url(assessment))
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url(assessment)).json()) == 1
    codes = required_criteria(assessment).values_list("code", flat=True)
    save_answers(assessment=assessment, items=[AnswerInput(code, "met") for code in codes], actor=team)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url(assessment)).json()) == 147
    assert len(one) == len(many) <= 4


def test_writing_many_answers_reads_them_back_in_one_query(api_as, team, assessment):
    codes = list(required_criteria(assessment).values_list("code", flat=True))
    client = api_as(team)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url(assessment), [{"criterion": code, "answer": "met"} for code in codes], format="json")
    assert response.status_code == 200 and len(response.json()) == 147
    # One insert and one audit entry per answer; reading back does not add one query per answer.
    assert len(queries) <= 2 * 147 + 15
