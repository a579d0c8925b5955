"""Decisions: separation of duties, the assigned assessor only, comments and override reasons, in review only."""

import pytest
from rest_framework.test import APIClient

from assessment.models import AssessmentState, Decision
from assessment.services import lifecycle
from assessment.services.evidence import add_evidence
from tests.api.error_shape import assert_error_shape
from tests.review.flow import answer_codes, answer_required, fresh, move, required_codes, set_verdict

pytestmark = pytest.mark.django_db

MINE = "cd.cm.vc.branch@1"  # answered by `dual`
UPLOADED = "cd.cm.vc.artifact@1"  # evidence uploaded by `dual`
OTHER = "cd.cm.vc.ssot@1"  # the team's own work


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def decide(user, assessment, *items, status=200):
    response = api(user).post(f"/api/v1/assessments/{assessment.pk}/decisions/", list(items), format="json")
    assert response.status_code == status, response.content
    return response


@pytest.fixture
def dual_claims(small, team, dual, orgadmin):
    """Submitted; `dual` answered MINE and uploaded evidence for UPLOADED, the team did the rest; assigned to
    `dual`, in review."""
    answer_codes(small, dual, {MINE: "met"})
    answer_required(small, team)  # the same answer again: unchanged, still dual's
    add_evidence(assessment=small, actor=dual, criteria_codes=[UPLOADED], note="Artifact repository: Nexus.")
    move(small, "submit", team)
    lifecycle.assign_assessor(assessment=fresh(small), assessor=dual, actor=orgadmin)
    move(small, "start_review", dual)
    return fresh(small)


def test_nobody_decides_on_a_claim_they_answered_or_evidence_they_uploaded(dual_claims, dual):
    for code in (MINE, UPLOADED):
        response = decide(dual, dual_claims, {"criterion": code, "decision": "accepted"}, status=400)
        body = assert_error_shape(response, 400, "0.criterion")
        assert "another assessor has to decide" in body["detail"]
    assert not Decision.objects.filter(assessment=dual_claims, version__gt=0).exists()

    decide(dual, dual_claims, {"criterion": OTHER, "decision": "accepted"})
    assert Decision.objects.get(assessment=dual_claims, criterion__code=OTHER).decided_by == dual


def test_another_assessor_decides_what_the_first_may_not(dual_claims, second_assessor, orgadmin):
    lifecycle.assign_assessor(assessment=dual_claims, assessor=second_assessor, actor=orgadmin)

    decided = decide(
        second_assessor,
        dual_claims,
        {"criterion": MINE, "decision": "accepted"},
        {"criterion": UPLOADED, "decision": "rejected", "comment": "The note names no repository policy."},
    ).json()

    assert [(row["criterion"], row["decision"], row["decided_by"]) for row in decided] == [
        (UPLOADED, "rejected", "assessor2"),
        (MINE, "accepted", "assessor2"),
    ]


def test_the_review_page_says_who_must_decide_and_offers_no_form(client, dual_claims, dual):
    client.force_login(dual)
    page = client.get(f"/assessments/{dual_claims.pk}/review/?show=all", headers={"accept-language": "en"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("another assessor decides on it") == 2
    assert f'action="/assessments/{dual_claims.pk}/review/{MINE}/"' not in html
    assert f'action="/assessments/{dual_claims.pk}/review/{OTHER}/"' in html


def test_html_decision_on_own_work_is_refused_and_nothing_recorded(client, dual_claims, dual):
    client.force_login(dual)
    response = client.post(
        f"/assessments/{dual_claims.pk}/review/{MINE}/",
        {"decision": "accepted"},
        headers={"hx-request": "true", "accept-language": "en"},
    )
    assert response.status_code == 422
    assert "another assessor decides on it" in response.content.decode()
    assert not Decision.objects.filter(assessment=dual_claims, version__gt=0).exists()


@pytest.mark.parametrize("interface", ["api", "html"])
def test_an_assessor_it_is_not_assigned_to_gets_403(client, to_state, second_assessor, interface):
    assessment = to_state("in_review")
    if interface == "api":
        response = api(second_assessor).post(
            f"/api/v1/assessments/{assessment.pk}/decisions/",
            [{"criterion": OTHER, "decision": "accepted"}],
            format="json",
        )
        assert_error_shape(response, 403)
    else:
        client.force_login(second_assessor)
        response = client.post(f"/assessments/{assessment.pk}/review/{OTHER}/", {"decision": "accepted"})
        assert response.status_code == 403
    assert not Decision.objects.filter(assessment=assessment, version__gt=0).exists()


@pytest.mark.parametrize("role", ["team", "manager", "orgadmin"])
def test_other_members_may_not_decide(to_state, role, request):
    assessment = to_state("in_review")
    response = api(request.getfixturevalue(role)).post(
        f"/api/v1/assessments/{assessment.pk}/decisions/", [{"criterion": OTHER, "decision": "accepted"}], format="json"
    )
    assert_error_shape(response, 403)


def test_outsiders_learn_nothing(to_state, outsider):
    assessment = to_state("in_review")
    for method, path in [
        ("get", "decisions/"),
        ("post", "decisions/"),
        ("get", "decisions/accept-verified/"),
        ("get", "audit/"),
    ]:
        response = getattr(api(outsider), method)(
            f"/api/v1/assessments/{assessment.pk}/{path}", [{"criterion": OTHER, "decision": "accepted"}], format="json"
        )
        assert_error_shape(response, 404)


@pytest.mark.parametrize("state", ["submitted", "changes_requested", "assessed", "published"])
def test_decisions_are_taken_in_review_only(to_state, assessor, state):
    assessment = to_state(state)
    before = list(Decision.objects.filter(assessment=assessment).values_list("criterion_id", "value", "version"))

    response = decide(assessor, assessment, {"criterion": OTHER, "decision": "rejected", "comment": "No."}, status=409)

    assert "Decisions are taken while the assessment is in review" in response.json()["detail"]
    after = list(Decision.objects.filter(assessment=assessment).values_list("criterion_id", "value", "version"))
    assert after == before


@pytest.mark.parametrize("value", ["rejected", "info_requested"])
def test_rejecting_or_asking_needs_a_comment(to_state, assessor, value):
    assessment = to_state("in_review")
    response = decide(assessor, assessment, {"criterion": OTHER, "decision": value, "comment": "   "}, status=400)
    assert_error_shape(response, 400, "0.comment")


@pytest.mark.parametrize(("verdict", "value"), [("met", "rejected"), ("not_met", "accepted")])
def test_going_against_the_automatic_verdict_needs_a_reason(to_state, assessor, verdict, value):
    assessment = to_state("in_review")
    set_verdict(assessment, OTHER, verdict)
    item = {"criterion": OTHER, "decision": value, "comment": "Looked at it."}
    assert_error_shape(decide(assessor, assessment, item, status=400), 400, "0.override_reason")

    recorded = decide(assessor, assessment, item | {"override_reason": "The report is from another project."}).json()

    assert recorded[0]["verdict"] == verdict and recorded[0]["override_reason"] == "The report is from another project."


def test_agreeing_with_the_verdict_needs_no_reason(to_state, assessor):
    assessment = to_state("in_review")
    set_verdict(assessment, OTHER, "met")
    decide(assessor, assessment, {"criterion": OTHER, "decision": "accepted"})


def test_accept_verified_accepts_exactly_what_it_counted(to_state, assessor):
    assessment = to_state("in_review")
    codes = required_codes(assessment)[:3]
    for code in codes:
        set_verdict(assessment, code, "met")
    client = api(assessor)
    count = client.get(f"/api/v1/assessments/{assessment.pk}/decisions/accept-verified/").json()
    assert count == {"count": 3, "criteria": count["criteria"]} and sorted(count["criteria"]) == sorted(codes)

    stale = client.post(
        f"/api/v1/assessments/{assessment.pk}/decisions/accept-verified/", {"expected_count": 2}, format="json"
    )
    assert_error_shape(stale, 409, "version")
    assert not Decision.objects.filter(assessment=assessment, version__gt=0).exists()

    accepted = client.post(
        f"/api/v1/assessments/{assessment.pk}/decisions/accept-verified/", {"expected_count": 3}, format="json"
    )
    assert accepted.status_code == 200 and sorted(row["criterion"] for row in accepted.json()) == sorted(codes)
    assert fresh(assessment).state == AssessmentState.IN_REVIEW


def test_html_bulk_accept_confirms_how_many_then_accepts_them(client, to_state, assessor):
    assessment = to_state("in_review")
    codes = required_codes(assessment)[:2]
    for code in codes:
        set_verdict(assessment, code, "met")
    client.force_login(assessor)
    confirm = client.get(f"/assessments/{assessment.pk}/review/accept-verified/", headers={"accept-language": "en"})
    assert confirm.status_code == 200 and all(code in confirm.content.decode() for code in codes)

    done = client.post(
        f"/assessments/{assessment.pk}/review/accept-verified/",
        {"criteria": " ".join(codes), "confirmed": "on"},
        headers={"accept-language": "en"},
        follow=True,
    )

    assert "Accepted 2 criteria." in done.content.decode()
    accepted = Decision.objects.filter(assessment=assessment, value="accepted", is_current=True)
    assert sorted(accepted.values_list("criterion__code", flat=True)) == sorted(codes)


def test_a_stale_version_is_a_conflict_over_the_api_and_a_message_in_html(client, to_state, assessor):
    assessment = to_state("in_review")
    decide(assessor, assessment, {"criterion": OTHER, "decision": "accepted", "version": 0})

    stale = decide(
        assessor, assessment, {"criterion": OTHER, "decision": "rejected", "comment": "No.", "version": 0}, status=409
    )
    assert_error_shape(stale, 409, "0.version")
    client.force_login(assessor)
    page = client.post(
        f"/assessments/{assessment.pk}/review/{OTHER}/",
        {"decision": "rejected", "comment": "No.", "version": "0"},
        headers={"hx-request": "true", "accept-language": "en"},
    )
    assert page.status_code == 422 and "decided on" in page.content.decode()
    decision = Decision.objects.get(assessment=assessment, criterion__code=OTHER)
    assert (decision.value, decision.version) == ("accepted", 1)


@pytest.mark.parametrize("later", ["complete_review", "request_changes"])
def test_a_decision_read_before_the_assessment_moved_on_is_refused(to_state, assessor, later):
    """A request that read the assessment in review, then decides after another request moved it on."""
    from assessment.services import review
    from assessment.services.exceptions import RuleViolation
    from tests.review.flow import ASKED, criterion, decide_codes

    assessment = to_state("in_review")
    seen = fresh(assessment)
    decisions = {ASKED: "info_requested"} if later == "request_changes" else {}
    decide_codes(assessment, assessor, dict.fromkeys(required_codes(assessment), "accepted") | decisions)
    move(assessment, later, assessor)

    with pytest.raises(RuleViolation, match="Decisions are taken while the assessment is in review"):
        review.decide(
            assessment=seen,
            item=review.DecisionInput(criterion(assessment, OTHER), "rejected", "Too late."),
            actor=assessor,
        )
    assert Decision.objects.get(assessment=assessment, criterion__code=OTHER).value == "accepted"
