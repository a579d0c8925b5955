"""Assessments over the API: start, list, read with progress, submit; who may do what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Assessment, AssessmentState, Criterion, Organisation, Project
from assessment.services.assessments import AnswerInput, required_criteria, save_answers, start_assessment
from assessment.services.catalog import load_catalog
from tests.api.error_shape import assert_error_shape
from tests.assessment.test_catalog_loader import SAMPLE

pytestmark = pytest.mark.django_db
PART_3_UP_TO_LEVEL_3 = 49 * 3


def test_team_member_starts_an_assessment(api_as, team, project, caict):
    response = api_as(team).post(
        "/api/v1/assessments/", {"project": project.pk, "target_level": 3, "parts": ["cd"]}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assessment = Assessment.objects.get(pk=body["id"])
    assert (assessment.project, assessment.created_by, assessment.model) == (project, team, caict)
    assert body["project"] == project.pk
    assert body["model"] == {"id": caict.pk, "key": "caict-devops", "version": "2021.1"}
    assert (body["parts"], body["target_level"], body["state"]) == (["cd"], 3, "draft")
    assert body["created_by"] == "team" and body["created_at"] and body["submitted_at"] is None
    assert body["progress"] == {"answered": 0, "required": PART_3_UP_TO_LEVEL_3}


def test_defaults_are_part_3_and_the_projects_target(api_as, team, project, caict):
    project.target_level = 2
    project.save(update_fields=["target_level"])
    body = api_as(team).post("/api/v1/assessments/", {"project": project.pk}, format="json").json()
    assert (body["parts"], body["target_level"], body["progress"]["required"]) == (["cd"], 2, 49 * 2)


def test_several_parts_and_a_named_model_version(api_as, team, project, caict):
    body = (
        api_as(team)
        .post(
            "/api/v1/assessments/", {"project": project.pk, "target_level": 1, "parts": ["cd", "agile"]}, format="json"
        )
        .json()
    )
    assert body["parts"] == ["agile", "cd"] and body["progress"]["required"] == 49 + 22
    own_model = load_catalog(source=SAMPLE.read_bytes()).model
    part = own_model.parts.filter(status="assessable").first()
    body = (
        api_as(team)
        .post(
            "/api/v1/assessments/",
            {"project": project.pk, "target_level": 2, "parts": [part.code], "model": own_model.pk},
            format="json",
        )
        .json()
    )
    assert body["model"]["key"] == own_model.key and body["parts"] == [part.code]


def test_payload_cannot_set_organisation_state_or_creator(api_as, team, outsider, project, caict):
    other = Organisation.objects.get(slug="other")
    response = api_as(team).post(
        "/api/v1/assessments/",
        {
            "project": project.pk,
            "target_level": 3,
            "organisation": other.pk,
            "state": "published",
            "created_by": outsider.pk,
            "submitted_at": "2020-01-01T00:00:00Z",
            "id": 424242,
        },
        format="json",
    )
    assert response.status_code == 201
    assessment = Assessment.objects.get(pk=response.json()["id"])
    assert assessment.pk != 424242
    assert (assessment.organisation.slug, assessment.state, assessment.created_by) == ("acme", "draft", team)
    assert assessment.submitted_at is None


@pytest.mark.parametrize("persona", ["assessor", "manager", "orgadmin", "bystander"])
def test_only_the_projects_team_starts_assessments(api_as, project, caict, persona, request):
    response = api_as(request.getfixturevalue(persona)).post(
        "/api/v1/assessments/", {"project": project.pk, "target_level": 3}, format="json"
    )
    assert_error_shape(response, 403)
    assert not Assessment.objects.exists()


def test_outsider_cannot_start_on_a_foreign_project(api_as, outsider, project, caict):
    response = api_as(outsider).post("/api/v1/assessments/", {"project": project.pk, "target_level": 3}, format="json")
    assert_error_shape(response, 404)
    assert_error_shape(api_as(outsider).post("/api/v1/assessments/", {"project": 999999}, format="json"), 404)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"project": ..., "target_level": 3}, "project"),
        ({"project": "abc", "target_level": 3}, "project"),
        ({"project": -1, "target_level": 3}, "project"),
        ({"project": None, "target_level": 7}, "project"),
        ({"target_level": 7}, "target_level"),
        ({"target_level": "three"}, "target_level"),
        ({"target_level": 3, "parts": "cd"}, "parts"),
        ({"target_level": 3, "parts": ["nope"]}, "parts"),
        ({"target_level": 3, "parts": ["ops"]}, "parts"),  # an outline without criteria
        ({"target_level": 3, "model": 999999}, "model"),
        ({"target_level": 3, "model": 2**80}, "model"),
    ],
)
def test_bad_payloads_are_400_with_the_field(api_as, team, project, caict, payload, field):
    payload = {key: value for key, value in ({"project": project.pk} | payload).items() if value is not ...}
    assert_error_shape(api_as(team).post("/api/v1/assessments/", payload, format="json"), 400, field)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("body", ['{"project": 1,', "[]", '"text"', "null"])
def test_malformed_bodies_are_400(api_as, team, caict, body):
    response = api_as(team).post("/api/v1/assessments/", body, content_type="application/json")
    assert_error_shape(response, 400)


def test_form_bodies_are_refused(api_as, team, project, caict):
    response = api_as(team).post("/api/v1/assessments/", {"project": project.pk, "target_level": 3})
    assert_error_shape(response, 415)


def test_list_and_filter_show_only_visible_assessments(api_as, team, manager, outsider, assessment, acme):
    second = Project.objects.create(organisation=acme[0], name="Billing")
    second.team.add(team)
    other = start_assessment(project=second, actor=team, target_level=2)
    foreign_project = Project.objects.get(name="Mobile banking")
    start_assessment(project=foreign_project, actor=outsider, target_level=2)

    listed = api_as(manager).get("/api/v1/assessments/").json()
    assert {row["id"] for row in listed["results"]} == {assessment.pk, other.pk}
    filtered = api_as(manager).get("/api/v1/assessments/", {"project": second.pk}).json()
    assert [row["id"] for row in filtered["results"]] == [other.pk]
    assert [row["project"] for row in api_as(outsider).get("/api/v1/assessments/").json()["results"]] == [
        foreign_project.pk
    ]
    assert api_as(outsider).get("/api/v1/assessments/", {"project": second.pk}).json()["results"] == []
    assert_error_shape(api_as(manager).get("/api/v1/assessments/", {"project": "abc"}), 400, "project")


@pytest.mark.parametrize("persona", ["team", "assessor", "manager", "orgadmin", "bystander"])
def test_every_member_reads_an_assessment(api_as, assessment, persona, request):
    response = api_as(request.getfixturevalue(persona)).get(f"/api/v1/assessments/{assessment.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == assessment.pk and response.json()["progress"]["answered"] == 0


def test_outsider_gets_404_for_every_assessment_endpoint(api_as, outsider, assessment):
    client = api_as(outsider)
    base = f"/api/v1/assessments/{assessment.pk}"
    for url in (f"{base}/", f"{base}/answers/", f"{base}/evidence/", f"{base}/levels/"):
        assert_error_shape(client.get(url), 404)
    assert_error_shape(client.post(f"{base}/submit/"), 404)
    assert_error_shape(client.post(f"{base}/answers/", [], format="json"), 404)
    assert_error_shape(client.post(f"{base}/evidence/", {"note": "x", "criteria": "cd.cm.vc.vcs@1"}), 404)


def _answer_everything_required(assessment, team):
    items = [AnswerInput(code, "met") for code in required_criteria(assessment).values_list("code", flat=True)]
    save_answers(assessment=assessment, items=items, actor=team)


def test_submit_when_incomplete_says_how_many_are_missing(api_as, team, assessment):
    save_answers(assessment=assessment, items=[AnswerInput("cd.cm.vc.vcs@1", "met")], actor=team)
    response = api_as(team).post(f"/api/v1/assessments/{assessment.pk}/submit/")
    body = assert_error_shape(response, 400, "answers")
    assert str(PART_3_UP_TO_LEVEL_3 - 1) in body["detail"]
    assert Assessment.objects.get(pk=assessment.pk).state == AssessmentState.DRAFT


def test_submit_once_then_409(api_as, team, assessment):
    _answer_everything_required(assessment, team)
    response = api_as(team).post(f"/api/v1/assessments/{assessment.pk}/submit/", {"state": "published"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "submitted" and body["submitted_at"]
    assert body["progress"] == {"answered": PART_3_UP_TO_LEVEL_3, "required": PART_3_UP_TO_LEVEL_3}
    assert_error_shape(api_as(team).post(f"/api/v1/assessments/{assessment.pk}/submit/"), 409, "state")
    answer = {"criterion": "cd.cm.vc.vcs@1", "answer": "not_met"}
    assert_error_shape(
        api_as(team).post(f"/api/v1/assessments/{assessment.pk}/answers/", answer, format="json"), 409, "state"
    )


@pytest.mark.parametrize("persona", ["assessor", "manager", "orgadmin", "bystander"])
def test_only_the_team_submits(api_as, team, assessment, persona, request):
    _answer_everything_required(assessment, team)
    response = api_as(request.getfixturevalue(persona)).post(f"/api/v1/assessments/{assessment.pk}/submit/")
    assert_error_shape(response, 403)
    assert Assessment.objects.get(pk=assessment.pk).state == AssessmentState.DRAFT


def test_progress_counts_only_required_criteria(api_as, team, assessment):
    level_4 = Criterion.objects.filter(model=assessment.model, level=4, subitem__code="cd.cm.vc.vcs").get().code
    items = [AnswerInput("cd.cm.vc.vcs@1", "met"), AnswerInput("cd.cm.vc.vcs@2", "partly"), AnswerInput(level_4, "met")]
    save_answers(assessment=assessment, items=items, actor=team)
    body = api_as(team).get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert body["progress"] == {"answered": 2, "required": PART_3_UP_TO_LEVEL_3}


def test_listing_costs_the_same_for_one_assessment_or_many(api_as, manager, team, assessment, project):
    client = api_as(manager)
    client.get("/api/v1/assessments/")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/assessments/").json()["results"]) == 1
    for level in (1, 2, 4, 5):
        start_assessment(project=project, actor=team, target_level=level, part_codes=["cd", "agile"])
    with CaptureQueriesContext(connection) as many:
        results = client.get("/api/v1/assessments/").json()["results"]
    assert len(results) == 5
    assert sorted(row["progress"]["required"] for row in results) == sorted(
        [147, 49 + 22, 98 + 44, 196 + 88, 245 + 110]
    )
    assert len(one) == len(many) <= 5
