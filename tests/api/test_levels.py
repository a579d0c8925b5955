"""Provisional levels over the API: CAICT notation per sub-item, roll-ups with distributions, the gap to target."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import SubItem
from assessment.services.assessments import AnswerInput, save_answers
from assessment.services.evidence import add_evidence
from tests.api.error_shape import assert_error_shape

pytestmark = pytest.mark.django_db


def url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/levels/"


def configuration_management_subitems(assessment) -> list[str]:
    subitems = SubItem.objects.filter(model=assessment.model, item__subdomain__code="cd.cm").order_by("position")
    return list(subitems.values_list("code", flat=True))


def answer(assessment, team, answers: dict[str, str]) -> None:
    save_answers(assessment=assessment, items=[AnswerInput(c, v) for c, v in answers.items()], actor=team)


@pytest.fixture
def level_3_partly_everywhere(assessment, team):
    """Every sub-item of configuration management: levels 1 and 2 met, level 3 partly met."""
    for code in configuration_management_subitems(assessment):
        answer(assessment, team, {f"{code}@1": "met", f"{code}@2": "met", f"{code}@3": "partly"})
    return assessment


def by_code(rows: list[dict]) -> dict[str, dict]:
    return {row["code"]: row for row in rows}


def test_partly_met_next_level_reads_3_minus(api_as, manager, level_3_partly_everywhere):
    assessment = level_3_partly_everywhere
    subitems = configuration_management_subitems(assessment)
    response = api_as(manager).get(url(assessment))
    assert response.status_code == 200
    body = response.json()
    assert (body["reading"], body["target_level"]) == ("provisional", 3)
    # Nothing is assessor-accepted yet: the confirmed reading counts no criterion.
    assert body["confirmed"]["reading"] == "confirmed"
    assert {part["level"] for part in body["confirmed"]["parts"]} == {"0"}

    vcs = by_code(body["subitems"])["cd.cm.vc.vcs"]
    assert (vcs["level"], vcs["achieved"], vcs["blocking"]) == ("3-", 2, ["cd.cm.vc.vcs@3"])
    assert vcs["name_en"] and vcs["name_zh"]
    cm = by_code(body["subdomains"])["cd.cm"]
    assert (cm["level"], cm["achieved"]) == ("3-", 2)
    assert cm["distribution"] == {"0": 0, "1": 0, "2": len(subitems), "3": 0, "4": 0, "5": 0}
    part = by_code(body["parts"])["cd"]
    assert part["level"] == "0"  # the other sub-domains are not answered yet
    assert (part["distribution"]["2"], part["distribution"]["0"]) == (len(subitems), 49 - len(subitems))
    assert len(body["subitems"]) == 49 and len(body["subdomains"]) == 7


def test_one_level_3_not_met_makes_the_subdomain_2(api_as, team, level_3_partly_everywhere):
    assessment = level_3_partly_everywhere
    answer(assessment, team, {"cd.cm.vc.vcs@3": "not_met"})
    body = api_as(team).get(url(assessment)).json()
    assert by_code(body["subitems"])["cd.cm.vc.vcs"]["level"] == "2"
    assert by_code(body["subitems"])["cd.cm.vc.branch"]["level"] == "3-"
    assert by_code(body["subdomains"])["cd.cm"]["level"] == "2"


def test_gap_lists_blocking_criteria_with_their_answer_and_evidence(api_as, team, level_3_partly_everywhere):
    assessment = level_3_partly_everywhere
    answer(assessment, team, {"cd.cm.vc.vcs@3": "not_met", "cd.cm.vc.branch@3": "met"})
    add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@3"], note="Plan to move to Git.")
    gap = by_code(api_as(team).get(url(assessment)).json()["gap"])
    assert "cd.cm.vc.branch" not in gap  # reaches the target
    assert gap["cd.cm.vc.vcs"] == {
        "code": "cd.cm.vc.vcs",
        "level": "2",
        "target_level": 3,
        "blocking": [{"criterion": "cd.cm.vc.vcs@3", "answer": "not_met", "evidence": 1}],
    }
    unanswered = next(row for code, row in gap.items() if not code.startswith("cd.cm."))
    assert [(row["answer"], row["evidence"]) for row in unanswered["blocking"]] == [(None, 0)] * 3
    assert [row["criterion"] for row in unanswered["blocking"]] == [f"{unanswered['code']}@{n}" for n in (1, 2, 3)]
    assert len(gap) == 48


def test_not_applicable_counts_as_met_provisionally(api_as, team, assessment):
    answer(assessment, team, {"cd.cm.vc.vcs@1": "met", "cd.cm.vc.vcs@2": "met"})
    save_answers(
        assessment=assessment,
        items=[AnswerInput("cd.cm.vc.vcs@3", "na", justification="Nothing to version.")],
        actor=team,
    )
    body = api_as(team).get(url(assessment)).json()
    assert by_code(body["subitems"])["cd.cm.vc.vcs"]["level"] == "3"
    assert "cd.cm.vc.vcs" not in by_code(body["gap"])


@pytest.mark.parametrize("persona", ["team", "assessor", "manager", "orgadmin", "bystander"])
def test_every_member_reads_levels(api_as, assessment, persona, request):
    assert api_as(request.getfixturevalue(persona)).get(url(assessment)).status_code == 200


def test_outsider_gets_404(api_as, outsider, assessment):
    assert_error_shape(api_as(outsider).get(url(assessment)), 404)


def test_levels_cost_a_fixed_number_of_queries(api_as, team, assessment):
    client = api_as(team)
    client.get(url(assessment))
    with CaptureQueriesContext(connection) as empty:
        client.get(url(assessment))
    for code in configuration_management_subitems(assessment):
        answer(assessment, team, {f"{code}@1": "met", f"{code}@2": "partly"})
        add_evidence(assessment=assessment, actor=team, criteria_codes=[f"{code}@2"], note=f"about {code}")
    with CaptureQueriesContext(connection) as answered:
        client.get(url(assessment))
    assert len(empty) == len(answered) <= 12
