"""The lifecycle as a table: every state × every move × every role, through the API (and a sample through HTML).

The expectations are written out here, independently of assessment/selectors/lifecycle.py's MOVES table:
draft → submitted → in_review → (changes_requested → submitted)* → assessed → published (DESIGN.md §6).
"""

import pytest
from rest_framework.test import APIClient

from assessment.models import Assessment, AssessmentState, AuditEntry
from tests.api.error_shape import assert_error_shape
from tests.review.flow import ASKED, answer_required, decide_codes, fresh, move, required_codes

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "in_review", "changes_requested", "assessed", "published"]
ROLES = ["team", "assessor", "second_assessor", "manager", "orgadmin", "outsider"]
ENDPOINTS = {
    "submit": "submit",
    "start_review": "start-review",
    "request_changes": "request-changes",
    "complete_review": "complete-review",
    "reopen_review": "reopen-review",
    "publish": "publish",
}
# (state, move) → the state it leads to; anything else is refused whoever asks.
LEGAL = {
    ("draft", "submit"): "submitted",
    ("changes_requested", "submit"): "submitted",
    ("submitted", "start_review"): "in_review",
    ("in_review", "request_changes"): "changes_requested",
    ("in_review", "complete_review"): "assessed",
    ("assessed", "reopen_review"): "in_review",
    ("assessed", "publish"): "published",
}
# Who may take a move: the project's team submits; the assessor the assessment is assigned to does the rest.
MAY_TAKE = {"submit": {"team"}} | {name: {"assessor"} for name in ENDPOINTS if name != "submit"}
# What a refusal offers instead, by state (English labels of the moves).
POSSIBLE_NOW = {
    "draft": ["Submit for review"],
    "submitted": ["Start the review"],
    "in_review": ["Send back for more information", "Complete the review"],
    "changes_requested": ["Submit for review"],
    "assessed": ["Reopen the review", "Publish the result"],
    "published": [],
}


def expected(state: str, move_name: str, role: str) -> int:
    if role == "outsider":
        return 404
    # Who may take a move is checked before the state. A draft is assigned to no assessor yet, so any of the
    # organisation's assessors may take review steps on it, once it is in a state that allows them.
    may = role in MAY_TAKE[move_name] or (role == "second_assessor" and state == "draft" and move_name != "submit")
    if not may:
        return 403
    return 200 if (state, move_name) in LEGAL else 409


def cases():
    for state in STATES:
        for move_name in ENDPOINTS:
            for role in ROLES:
                status = expected(state, move_name, role)
                yield pytest.param(state, move_name, role, status, id=f"{state}-{move_name}-{role}-{status}")


@pytest.fixture
def people(team, assessor, second_assessor, manager, orgadmin, outsider):
    return {
        "team": team,
        "assessor": assessor,
        "second_assessor": second_assessor,
        "manager": manager,
        "orgadmin": orgadmin,
        "outsider": outsider,
    }


def prepared(to_state, state: str, move_name: str, assessor) -> Assessment:
    """The small assessment in `state`, assigned to `assessor` from submission on; in review, with what the move
    needs (answers to submit a draft, a request for information to send back, every criterion decided to
    complete)."""
    assessment = to_state(state)
    if state == "draft":
        answer_required(assessment, assessment.created_by)
    elif state == "in_review" and move_name == "complete_review":
        decide_codes(assessment, assessor, dict.fromkeys(required_codes(assessment), "accepted"))
    elif state == "in_review":
        decide_codes(assessment, assessor, {ASKED: "info_requested"})
    return fresh(assessment)


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("state", "move_name", "role", "status"), list(cases()))
def test_api_transition_table(to_state, people, assessor, state, move_name, role, status):
    assessment = prepared(to_state, state, move_name, assessor)
    entries_before = AuditEntry.objects.filter(assessment=assessment).count()

    response = api(people[role]).post(f"/api/v1/assessments/{assessment.pk}/{ENDPOINTS[move_name]}/", {}, format="json")

    assessment.refresh_from_db()
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["state"] == assessment.state == LEGAL[(state, move_name)]
        entry = AuditEntry.objects.filter(assessment=assessment, action=f"assessment.{move_name}").latest("pk")
        assert (entry.actor, entry.before, entry.after) == (people[role], {"state": state}, {"state": assessment.state})
        return
    body = assert_error_shape(response, status)
    assert assessment.state == state, "a refused move changes nothing"
    assert AuditEntry.objects.filter(assessment=assessment).count() == entries_before
    if status == 409:
        for label in POSSIBLE_NOW[state]:
            assert label in body["detail"], body
        if state == "published":
            assert "supersede" in body["detail"], body


def test_the_refusal_names_the_state_and_who_may_do_what_is_possible(to_state, assessor):
    assessment = to_state("in_review")
    body = api(assessor).post(f"/api/v1/assessments/{assessment.pk}/publish/", {}, format="json").json()
    assert "is not possible while the assessment is In review" in body["detail"]
    assert "Send back for more information (an assessor)" in body["detail"]
    assert body["errors"] == {"state": [body["detail"]]}


@pytest.mark.parametrize(
    ("state", "move_name", "role", "outcome"),
    [
        ("submitted", "start_review", "assessor", "moved"),
        ("submitted", "start_review", "second_assessor", 403),
        ("in_review", "complete_review", "manager", 403),
        ("assessed", "publish", "orgadmin", 403),
        ("assessed", "publish", "assessor", "moved"),
        ("changes_requested", "submit", "team", "moved"),
        ("draft", "publish", "assessor", "refused"),
        ("published", "reopen_review", "assessor", "refused"),
        ("in_review", "request_changes", "outsider", 404),
        ("in_review", "fly", "assessor", "refused"),
    ],
)
def test_html_sample_of_the_table(client, to_state, people, assessor, state, move_name, role, outcome):
    assessment = prepared(to_state, state, move_name, assessor)
    client.force_login(people[role])

    response = client.post(
        f"/assessments/{assessment.pk}/move/", {"move": move_name}, headers={"accept-language": "en"}, follow=True
    )

    assessment.refresh_from_db()
    if outcome == "moved":
        assert response.status_code == 200
        assert assessment.state == LEGAL[(state, move_name)]
        assert "The assessment is now" in response.content.decode()
        return
    if outcome == "refused":
        assert response.status_code == 200  # back on the page, with the reason
        page = response.content.decode()
        assert "Unknown action" in page if move_name == "fly" else "is not possible while" in page
    else:
        assert response.status_code == outcome
    assert assessment.state == state


def test_the_team_sees_no_review_moves_and_the_assessor_sees_the_possible_ones(client, to_state, team, assessor):
    assessment = to_state("assessed")
    client.force_login(assessor)
    page = client.get(f"/assessments/{assessment.pk}/", headers={"accept-language": "en"}).content.decode()
    assert 'value="publish"' in page and 'value="reopen_review"' in page
    client.force_login(team)
    page = client.get(f"/assessments/{assessment.pk}/", headers={"accept-language": "en"}).content.decode()
    assert 'value="publish"' not in page and 'value="reopen_review"' not in page


def test_an_unassigned_submission_is_taken_on_by_the_first_assessor_who_starts_it(
    small, team, second_assessor, assessor
):
    answer_required(small, team)
    move(small, "submit", team)
    assert fresh(small).assessor is None

    moved = api(second_assessor).post(f"/api/v1/assessments/{small.pk}/start-review/", {}, format="json")

    assert moved.status_code == 200 and moved.json()["assessor"] == "assessor2"
    refused = api(assessor).post(f"/api/v1/assessments/{small.pk}/request-changes/", {}, format="json")
    assert_error_shape(refused, 403)


@pytest.mark.parametrize(
    ("state", "move_name", "field", "needs"),
    [
        ("draft", "submit", "answers", "not answered yet"),
        ("in_review", "request_changes", "decisions", "Request information on at least one criterion"),
        ("in_review", "complete_review", "decisions", "still await a decision"),
    ],
)
def test_preconditions_are_explained(to_state, team, assessor, state, move_name, field, needs):
    assessment = to_state(state)
    if state == "draft":
        user, path = team, "submit"
    else:
        user, path = assessor, ENDPOINTS[move_name]
        decide_codes(assessment, assessor, {required_codes(assessment)[0]: "accepted"})

    response = api(user).post(f"/api/v1/assessments/{assessment.pk}/{path}/", {}, format="json")

    body = assert_error_shape(response, 400, field)
    assert needs in body["detail"]
    assert fresh(assessment).state == state


def test_an_open_request_keeps_the_review_from_completing(to_state, assessor):
    assessment = to_state("in_review")
    codes = required_codes(assessment)
    decide_codes(assessment, assessor, dict.fromkeys(codes, "accepted") | {codes[3]: "info_requested"})

    response = api(assessor).post(f"/api/v1/assessments/{assessment.pk}/complete-review/", {}, format="json")

    body = assert_error_shape(response, 400, "decisions")
    assert "0 criteria still await a decision and 1 have a request for information open" in body["detail"]
    assert fresh(assessment).state == AssessmentState.IN_REVIEW
