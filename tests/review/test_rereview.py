"""Re-review: a change after a request for information sends back only the criteria it touched."""

import re

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from assessment.models import AssessmentState, AuditEntry, Criterion, Decision
from assessment.services.evidence import add_evidence, attach_evidence, remove_evidence
from assessment.services.review import reply_to_request
from tests.review.flow import ASKED, answer_codes, criterion, decide_codes, fresh, move, required_codes

pytestmark = pytest.mark.django_db

CHANGED = "cd.cm.vc.branch@1"  # the team changes its answer
NEW_EVIDENCE = "cd.cm.vc.artifact@1"  # the team adds evidence
ATTACHED = "cd.cm.vc.ssot@1"  # existing evidence is attached to it
REMOVED = "cd.cm.change.process@1"  # its evidence is removed


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


@pytest.fixture
def sent_back(to_state, assessor):
    """In review, every criterion accepted except ASKED (information requested), then sent back to the team."""
    assessment = to_state("in_review")
    codes = required_codes(assessment)
    decide_codes(assessment, assessor, dict.fromkeys(codes, "accepted") | {ASKED: "info_requested"})
    move(assessment, "request_changes", assessor)
    return fresh(assessment)


def current(assessment) -> dict[str, str]:
    rows = Decision.objects.filter(assessment=assessment, is_current=True, version__gt=0)
    return dict(rows.values_list("criterion__code", "value"))


def listed_codes(client, assessment, query: str = "") -> set[str]:
    html = client.get(f"/assessments/{assessment.pk}/review/{query}").content.decode()
    ids = {int(pk) for pk in re.findall(r'<li id="r-(\d+)"', html)}
    return set(Criterion.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_only_the_changed_criteria_go_back_for_review(client, sent_back, team, assessor):
    codes = required_codes(sent_back)
    changed = api(team).post(
        f"/api/v1/assessments/{sent_back.pk}/answers/", [{"criterion": CHANGED, "answer": "partly"}], format="json"
    )
    assert changed.status_code == 200, changed.content
    added = api(team).post(
        f"/api/v1/assessments/{sent_back.pk}/evidence/", {"criteria": [NEW_EVIDENCE], "note": "Nexus, retention 90 d."}
    )
    assert added.status_code == 201, added.content

    still = current(sent_back)
    assert CHANGED not in still and NEW_EVIDENCE not in still
    assert still[ASKED] == "info_requested"
    assert still == dict.fromkeys(set(codes) - {CHANGED, NEW_EVIDENCE, ASKED}, "accepted") | {ASKED: "info_requested"}

    assert api(team).post(f"/api/v1/assessments/{sent_back.pk}/submit/").status_code == 200
    assert api(assessor).post(f"/api/v1/assessments/{sent_back.pk}/start-review/").status_code == 200

    client.force_login(assessor)
    assert listed_codes(client, sent_back) == {ASKED, CHANGED, NEW_EVIDENCE}
    assert len(listed_codes(client, sent_back, "?show=all")) > 3
    page = client.get(f"/assessments/{sent_back.pk}/review/", headers={"accept-language": "en"}).content.decode()
    assert "49 criteria to review: 46 accepted, 0 rejected, 1 with a request for information, 2 awaiting" in page
    assert page.count("Changed by the team since this decision: review it again") == 2
    assert current(fresh(sent_back)) == still


def test_an_unchanged_answer_saved_again_reopens_nothing(sent_back, team):
    before = current(sent_back)
    answer_codes(sent_back, team, {CHANGED: "met"})  # as it was
    assert current(sent_back) == before


def test_attaching_and_removing_evidence_reopen_only_their_criteria(small, to_state, team, assessor):
    evidence = add_evidence(assessment=small, actor=team, criteria_codes=[REMOVED], note="CAB minutes")
    assessment = to_state("in_review")
    codes = required_codes(assessment)
    decide_codes(assessment, assessor, dict.fromkeys(codes, "accepted") | {ASKED: "info_requested"})
    move(assessment, "request_changes", assessor)

    attach_evidence(evidence=evidence, criteria_codes=[ATTACHED], actor=team)
    assert set(codes) - set(current(assessment)) == {ATTACHED}

    remove_evidence(evidence=evidence, actor=team)
    assert set(codes) - set(current(assessment)) == {ATTACHED, REMOVED}
    reasons = AuditEntry.objects.filter(assessment=assessment, action="decision.reopened").values_list(
        "target", "after__because"
    )
    assert sorted(reasons) == [(REMOVED, "evidence.removed"), (ATTACHED, "evidence.attached")]


def test_a_reply_sends_the_request_back_to_the_assessor(client, sent_back, team, assessor):
    response = api(team).post(
        f"/api/v1/assessments/{sent_back.pk}/requests/{ASKED}/reply/",
        {"reply": "Branch protection is on for main; see the settings export."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_current"] is False and response.json()["reply"].startswith("Branch protection")

    move(sent_back, "submit", team)
    move(sent_back, "start_review", assessor)
    client.force_login(assessor)
    assert listed_codes(client, sent_back) == {ASKED}
    page = client.get(f"/assessments/{sent_back.pk}/review/", headers={"accept-language": "en"}).content.decode()
    assert "The team replied" in page and "Branch protection is on for main" in page


def test_replies_only_to_an_open_request_and_only_while_the_team_may_edit(sent_back, team, assessor):
    with pytest.raises(Exception, match="No information was requested"):
        reply_to_request(assessment=sent_back, criterion=criterion(sent_back, CHANGED), reply="x", actor=team)
    move(sent_back, "submit", team)
    response = api(team).post(
        f"/api/v1/assessments/{sent_back.pk}/requests/{ASKED}/reply/", {"reply": "Late."}, format="json"
    )
    assert response.status_code == 409
    assert fresh(sent_back).state == AssessmentState.SUBMITTED


def test_the_team_sees_the_request_at_the_criterion_and_can_reply_there(client, sent_back, team):
    client.force_login(team)
    page = client.get(f"/assessments/{sent_back.pk}/questionnaire/cd.cm/", headers={"accept-language": "en"})
    html = page.content.decode()
    assert "The assessor asks for more information" in html
    assert f'action="/assessments/{sent_back.pk}/requests/{ASKED}/reply/"' in html

    replied = client.post(
        f"/assessments/{sent_back.pk}/requests/{ASKED}/reply/", {"reply": "See the wiki page."}, follow=True
    )

    assert replied.status_code == 200 and "See the wiki page." in replied.content.decode()
    assert Decision.objects.get(assessment=sent_back, criterion__code=ASKED).reply == "See the wiki page."


def test_a_team_change_read_before_the_resubmission_is_refused(sent_back, team):
    """A request that read the assessment while the team could edit, then writes after it was resubmitted."""
    from assessment.services.assessments import AnswerInput, save_answers
    from assessment.services.exceptions import RuleViolation

    seen = fresh(sent_back)
    move(sent_back, "submit", team)
    before = current(sent_back)

    attempts = [
        lambda: save_answers(assessment=seen, items=[AnswerInput(CHANGED, "not_met")], actor=team),
        lambda: add_evidence(assessment=seen, actor=team, criteria_codes=[NEW_EVIDENCE], note="late"),
        lambda: reply_to_request(assessment=seen, criterion=criterion(seen, ASKED), reply="late", actor=team),
    ]
    for attempt in attempts:
        with translation.override("en"), pytest.raises(RuleViolation, match="can no longer be changed by the team"):
            attempt()
    assert current(sent_back) == before
    assert fresh(sent_back).state == AssessmentState.SUBMITTED
