"""Confirmed levels count accepted criteria only: N/A only once accepted, rejected never (DESIGN.md §4)."""

import pytest
from rest_framework.test import APIClient

from assessment.selectors.levels import confirmed_levels, provisional_levels
from assessment.services import lifecycle
from tests.review.flow import answer_codes, answer_required, decide_codes, fresh, move

pytestmark = pytest.mark.django_db

SUBITEM = "cd.cm.vc.vcs"
A, R, Q = "accepted", "rejected", "info_requested"


@pytest.fixture
def answered(assessment, team):
    """The target-3 assessment with every criterion up to the target answered met by the team."""
    answer_required(assessment, team)
    return assessment


def reviewed(assessment, team, assessor, orgadmin, answers: tuple, decisions: tuple):
    answer_codes(assessment, team, {f"{SUBITEM}@{level}": value for level, value in enumerate(answers, 1)})
    move(assessment, "submit", team)
    lifecycle.assign_assessor(assessment=fresh(assessment), assessor=assessor, actor=orgadmin)
    move(assessment, "start_review", assessor)
    chosen = {f"{SUBITEM}@{level}": value for level, value in enumerate(decisions, 1) if value}
    if chosen:
        decide_codes(assessment, assessor, chosen)
    return fresh(assessment)


def notation(levels) -> str:
    return next(row.level.notation for row in levels.subitems.values() if row.subitem.code == SUBITEM)


@pytest.mark.parametrize(
    ("answers", "decisions", "confirmed", "provisional"),
    [
        pytest.param(("met", "met", "met"), (None, None, None), "0", "3", id="nothing-accepted-yet"),
        pytest.param(("met", "met", "met"), (A, A, None), "2", "3", id="level-3-undecided"),
        pytest.param(("met", "met", "met"), (A, A, A), "3", "3", id="all-accepted"),
        pytest.param(("met", "met", "met"), (A, R, A), "1", "3", id="rejected-does-not-count"),
        pytest.param(("met", "met", "met"), (A, Q, A), "1", "3", id="asked-does-not-count"),
        pytest.param(("met", "na", "met"), (A, None, A), "1", "3", id="na-unapproved-does-not-count"),
        pytest.param(("met", "na", "met"), (A, A, A), "3", "3", id="na-accepted-counts-as-met"),
        pytest.param(("na", "met", "met"), (R, A, A), "0", "3", id="na-rejected"),
        pytest.param(("met", "met", "partly"), (A, A, A), "3-", "3-", id="3-minus-accepted"),
        pytest.param(("met", "met", "partly"), (A, A, None), "2", "3-", id="partly-unreviewed-is-not-shown"),
        pytest.param(("met", "met", "partly"), (A, A, R), "2", "3-", id="partly-rejected"),
        pytest.param(("met", "partly", "met"), (A, A, A), "2-", "2-", id="2-minus"),
        pytest.param(("met", "not_met", "met"), (A, A, A), "1", "1", id="accepted-not-met"),
    ],
)
def test_confirmed_reading(answered, team, assessor, orgadmin, answers, decisions, confirmed, provisional):
    assessment = reviewed(answered, team, assessor, orgadmin, answers, decisions)

    assert notation(confirmed_levels(assessment)) == confirmed
    assert notation(provisional_levels(assessment)) == provisional


def test_the_api_gives_both_readings_and_the_rollup_of_the_confirmed_one(answered, team, assessor, orgadmin, manager):
    assessment = reviewed(answered, team, assessor, orgadmin, ("met", "met", "met"), (A, A, A))
    client = APIClient()
    client.force_authenticate(manager)

    body = client.get(f"/api/v1/assessments/{assessment.pk}/levels/").json()

    assert body["reading"] == "provisional" and body["confirmed"]["reading"] == "confirmed"
    subitems = {row["code"]: row["level"] for row in body["confirmed"]["subitems"]}
    assert subitems[SUBITEM] == "3"
    assert set(subitems.values()) == {"3", "0"}  # the other sub-items are not reviewed yet
    assert body["confirmed"]["parts"][0]["level"] == "0"  # min over sub-items
    assert body["confirmed"]["parts"][0]["distribution"] == {"0": 48, "1": 0, "2": 0, "3": 1, "4": 0, "5": 0}
    assert body["parts"][0]["level"] == "3"


def test_the_overview_shows_the_confirmed_level_once_something_is_accepted(
    client, answered, team, assessor, orgadmin, manager
):
    assessment = reviewed(answered, team, assessor, orgadmin, ("met", "met", "met"), (None, None, None))
    client.force_login(manager)
    assert "confirmed-level" not in client.get(f"/assessments/{assessment.pk}/").content.decode()
    decide_codes(assessment, assessor, {f"{SUBITEM}@1": A})
    assert "confirmed-level" in client.get(f"/assessments/{assessment.pk}/").content.decode()
