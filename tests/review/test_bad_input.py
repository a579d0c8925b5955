"""Bad input to the review endpoints: always a 4xx in the error shape, never a 500, nothing half-written."""

import pytest

from assessment.models import AuditEntry, Decision
from tests.api.error_shape import assert_error_shape
from tests.review.flow import ASKED, fresh

pytestmark = pytest.mark.django_db

OK = {"criterion": ASKED, "decision": "accepted"}
TOO_LONG = "x" * 5001


@pytest.fixture
def reviewing(to_state):
    return to_state("in_review")


def post_raw(client, path: str, raw: str):
    return client.post(path, raw, content_type="application/json")


def written(assessment) -> tuple[int, int]:
    return Decision.objects.filter(assessment=assessment).count(), AuditEntry.objects.filter(
        assessment=assessment
    ).count()


@pytest.mark.parametrize(
    ("body", "status", "fields"),
    [
        pytest.param("[{", 400, (), id="malformed-json"),
        pytest.param('"accepted"', 400, (), id="a-string"),
        pytest.param("{}", 400, (), id="an-object-not-a-list"),
        pytest.param("[]", 400, (), id="empty-list"),
        pytest.param("[null]", 400, (), id="null-item"),
        pytest.param('[{"criterion": "cd.cm.vc.vcs@1"}]', 400, ("0.decision",), id="no-decision"),
        pytest.param('[{"criterion": 5, "decision": "accepted"}]', 400, ("0.criterion",), id="number-code"),
        pytest.param('[{"criterion": ["a"], "decision": "accepted"}]', 400, ("0.criterion",), id="list-code"),
        pytest.param('[{"criterion": "cd.cm.vc.vcs@1", "decision": "maybe"}]', 400, ("0.decision",), id="bad-choice"),
        pytest.param('[{"criterion": "cd.cm.vc.vcs@1", "decision": "accepted", "version": "x"}]', 400,
                     ("0.version",), id="text-version"),
        pytest.param('[{"criterion": "cd.cm.vc.vcs@1", "decision": "accepted", "version": -1}]', 400,
                     ("0.version",), id="negative-version"),
        pytest.param('[{"criterion": "cd.cm.vc.vcs@1", "decision": "accepted", "version": 99999999999999}]', 400,
                     ("0.version",), id="huge-version"),
        pytest.param('[{"criterion": "no.such@1", "decision": "accepted"}]', 400, ("0.criterion",), id="unknown-code"),
        pytest.param('[{"criterion": "cd.cm.vc.vcs@9", "decision": "accepted"}]', 400, ("0.criterion",),
                     id="no-such-level"),
        pytest.param('[{"criterion": "agile.x@1", "decision": "accepted"}]', 400, ("0.criterion",),
                     id="part-not-in-scope"),
        pytest.param(f'[{{"criterion": "cd.cm.vc.vcs@1", "decision": "rejected", "comment": "{TOO_LONG}"}}]', 400,
                     ("0.comment",), id="oversize-comment"),
        pytest.param('[{"criterion": "cd.cm.vc.vcs@1", "decision": "accepted", "comment": {"a": 1}}]', 400,
                     ("0.comment",), id="object-comment"),
    ],
)  # fmt: skip
def test_decisions_refuse_bad_input_whole(api_as, reviewing, assessor, body, status, fields):
    before = written(reviewing)
    response = post_raw(api_as(assessor), f"/api/v1/assessments/{reviewing.pk}/decisions/", body)
    assert_error_shape(response, status, *fields)
    assert written(reviewing) == before


def test_too_many_decisions_at_once(api_as, reviewing, assessor):
    response = api_as(assessor).post(f"/api/v1/assessments/{reviewing.pk}/decisions/", [OK] * 1001, format="json")
    assert_error_shape(response, 400)
    assert written(reviewing)[0] == 0


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"criterion": "cd.cm.vc.branch@1", "decision": "rejected"}, "1.comment"),
        ({"criterion": "cd.cm.vc.branch@1", "decision": "info_requested", "comment": " "}, "1.comment"),
        ({"criterion": "nothing@1", "decision": "accepted"}, "1.criterion"),
        ({"criterion": "cd.cm.vc.branch@1", "decision": "accepted", "version": 3}, "1.version"),
    ],
)
def test_a_bad_item_leaves_the_good_ones_unwritten(api_as, reviewing, assessor, bad, field):
    before = written(reviewing)
    response = api_as(assessor).post(f"/api/v1/assessments/{reviewing.pk}/decisions/", [OK, bad], format="json")
    assert_error_shape(response, 409 if field.endswith("version") else 400, field)
    assert written(reviewing) == before


def test_one_criterion_twice_in_one_request_is_recorded_in_order(api_as, reviewing, assessor):
    response = api_as(assessor).post(
        f"/api/v1/assessments/{reviewing.pk}/decisions/",
        [OK, {"criterion": ASKED, "decision": "rejected", "comment": "On second thoughts."}],
        format="json",
    )
    assert response.status_code == 200, response.content
    decision = Decision.objects.get(assessment=reviewing, criterion__code=ASKED)
    assert (decision.value, decision.version) == ("rejected", 2)


@pytest.mark.parametrize("path", ["start-review", "request-changes", "complete-review", "reopen-review", "publish"])
@pytest.mark.parametrize(
    "body",
    ["{", "[]", '"x"', '{"comment": ["a"]}', f'{{"comment": "{TOO_LONG}"}}'],
    ids=["malformed", "list", "string", "list-comment", "oversize-comment"],
)
def test_moves_refuse_bad_input(api_as, reviewing, assessor, path, body):
    response = post_raw(api_as(assessor), f"/api/v1/assessments/{reviewing.pk}/{path}/", body)
    assert_error_shape(response, 400)
    assert fresh(reviewing).state == "in_review"


def test_an_unknown_move_is_a_404_in_the_error_shape(api_as, reviewing, assessor):
    assert_error_shape(api_as(assessor).post(f"/api/v1/assessments/{reviewing.pk}/fly/", {}, format="json"), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "assessor"),
        ({"assessor": ""}, "assessor"),
        ({"assessor": "nobody"}, "assessor"),
        ({"assessor": "team"}, "assessor"),  # a member, not an assessor
        ({"assessor": "outsider"}, "assessor"),  # another organisation's
        ({"assessor": ["assessor"]}, "assessor"),
        ({"assessor": "x" * 151}, "assessor"),
    ],
)
def test_assignment_refuses_bad_input(api_as, to_state, orgadmin, outsider, team, body, field):
    assessment = to_state("submitted")
    response = api_as(orgadmin).post(f"/api/v1/assessments/{assessment.pk}/assessor/", body, format="json")
    assert_error_shape(response, 400, field)
    assert fresh(assessment).assessor.username == "assessor"


@pytest.mark.parametrize(
    ("code", "body", "status"),
    [
        (ASKED, {}, 400),
        (ASKED, {"reply": ""}, 400),
        (ASKED, {"reply": TOO_LONG}, 400),
        (ASKED, {"reply": 5}, 200),  # a number is read as its text, as DRF's CharField does
        ("nothing@1", {"reply": "x"}, 400),
        ("cd.cm.vc.branch@1", {"reply": "x"}, 400),  # nothing was asked there
    ],
)
def test_replies_refuse_bad_input(api_as, to_state, team, code, body, status):
    assessment = to_state("changes_requested")
    response = api_as(team).post(f"/api/v1/assessments/{assessment.pk}/requests/{code}/reply/", body, format="json")
    if status == 200:
        assert response.status_code == 200
        return
    assert_error_shape(response, status)
    assert Decision.objects.get(assessment=assessment, criterion__code=ASKED).reply == ""


@pytest.mark.parametrize(
    "body", [{}, {"expected_count": -1}, {"expected_count": "many"}, {"expected_count": 10**9}, []]
)
def test_accept_verified_refuses_bad_input(api_as, reviewing, assessor, body):
    response = api_as(assessor).post(
        f"/api/v1/assessments/{reviewing.pk}/decisions/accept-verified/", body, format="json"
    )
    assert_error_shape(response, 400)


@pytest.mark.parametrize("query", ["kind=nothing", "since=yesterday", "until=2026-13-01", "actor=" + "x" * 151])
def test_audit_filters_refuse_bad_input(api_as, reviewing, manager, query):
    response = api_as(manager).get(f"/api/v1/assessments/{reviewing.pk}/audit/?{query}")
    assert_error_shape(response, 400, query.split("=")[0])


@pytest.mark.parametrize("body", ["{", '{"ids": "all"}', '{"ids": [0]}', '{"ids": ["x"]}', "[]"])
def test_marking_notifications_read_refuses_bad_input(api_as, assessor, body):
    assert_error_shape(post_raw(api_as(assessor), "/api/v1/notifications/read/", body), 400)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("review/cd.cm.vc.vcs@1/", {"decision": "maybe"}),
        ("review/cd.cm.vc.vcs@1/", {"decision": "rejected", "comment": TOO_LONG}),
        ("review/cd.cm.vc.vcs@1/", {"decision": "accepted", "version": "x"}),
        ("review/no.such@1/", {"decision": "accepted"}),
        ("move/", {"move": ""}),
        ("move/", {"move": "x" * 41}),
        ("assessor/", {"assessor": "x"}),
        ("review/accept-verified/", {"criteria": "no.such@1", "confirmed": "on"}),
        ("review/accept-verified/", {"criteria": ASKED}),
    ],
)
def test_html_forms_never_fail_on_bad_input(client, reviewing, assessor, path, data):
    client.force_login(assessor)
    before = written(reviewing)
    response = client.post(f"/assessments/{reviewing.pk}/{path}", data)
    assert response.status_code in (302, 404, 422)
    assert written(reviewing) == before
    assert fresh(reviewing).state == "in_review"
