"""Publication freezes the result: nothing changed afterwards (in the database or through the services) alters
it; a published assessment is never edited, only superseded."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from assessment.models import (
    Answer,
    AssessmentState,
    Criterion,
    Decision,
    Evidence,
    EvidenceLink,
    MaturityModel,
)
from assessment.selectors import catalog as catalog_selectors
from assessment.selectors.levels import confirmed_levels, provisional_levels
from assessment.services import lifecycle, review
from assessment.services.assessments import AnswerInput, save_answers
from assessment.services.evidence import add_evidence, attach_evidence, remove_evidence
from assessment.services.exceptions import RuleViolation
from assessment.services.levels import refresh_stored_levels
from assessment.services.publication import start_successor
from assessment.services.scoring import refresh_verdicts
from tests.api.error_shape import assert_error_shape
from tests.review.flow import ASKED, answer_required, criterion, decide_codes, fresh, move, required_codes, set_verdict

pytestmark = pytest.mark.django_db

REJECTED = "cd.cm.vc.branch@1"  # rejected at review: its sub-item shows in the confirmed gap


def api(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


@pytest.fixture
def published(small, team, assessor, orgadmin):
    """Published with evidence on ASKED and one rejected criterion."""
    add_evidence(assessment=small, actor=team, criteria_codes=[ASKED], note="Git hosting on GitLab, protected main.")
    answer_required(small, team)
    move(small, "submit", team)
    lifecycle.assign_assessor(assessment=fresh(small), assessor=assessor, actor=orgadmin)
    move(small, "start_review", assessor)
    codes = required_codes(small)
    decide_codes(small, assessor, dict.fromkeys(codes, "accepted") | {REJECTED: "rejected"})
    move(small, "complete_review", assessor)
    move(small, "publish", assessor)
    return fresh(small)


def readings(client, assessment) -> dict:
    assessment = fresh(assessment)
    return {
        "levels": client.get(f"/api/v1/assessments/{assessment.pk}/levels/").json(),
        "snapshot": client.get(f"/api/v1/assessments/{assessment.pk}/snapshot/").json(),
        "confirmed": [row.level.notation for row in confirmed_levels(assessment).subitems.values()],
        "provisional": [row.level.notation for row in provisional_levels(assessment).subitems.values()],
        "stored": refresh_stored_levels(assessment) | {"computed_at": None, "data_version": None},
    }


def test_the_snapshot_holds_levels_decisions_evidence_digests_and_the_model(published, manager):
    snapshot = api(manager).get(f"/api/v1/assessments/{published.pk}/snapshot/").json()
    assert snapshot["model"] == {"key": "caict-devops", "version": "2021.1", "rollup": "min"}
    assert snapshot["published_by"] == "assessor" and snapshot["target_level"] == 1
    assert len(snapshot["decisions"]) == 49
    assert {"criterion": REJECTED, "decision": "rejected"}.items() <= next(
        row for row in snapshot["decisions"] if row["criterion"] == REJECTED
    ).items()
    evidence = Evidence.objects.get(assessment=published)
    assert [(row["sha256"], row["criteria"]) for row in snapshot["evidence"]] == [(evidence.sha256, [ASKED])]
    assert snapshot["levels"]["confirmed"]["parts"]["cd"]["level"] == "0"
    assert snapshot["levels"]["provisional"]["parts"]["cd"]["level"] == "1"


@pytest.fixture
def catalogue_read_afresh():
    """The catalogue as a new process would read it, during the test and again after its rollback (the cache
    would otherwise keep this test's edits for the next tests)."""
    catalog_selectors._model_catalog.cache_clear()
    yield catalog_selectors._model_catalog.cache_clear
    catalog_selectors._model_catalog.cache_clear()


def test_nothing_changed_in_the_database_afterwards_alters_the_published_result(
    published, manager, catalogue_read_afresh
):
    client = api(manager)
    before = readings(client, published)
    assert before["levels"]["confirmed"]["gap"], "the rejected criterion shows in the confirmed gap"

    Answer.objects.filter(assessment=published).update(value="not_met", comment="changed behind the app's back")
    Decision.objects.filter(assessment=published).update(value="rejected")
    Decision.objects.filter(assessment=published, criterion__code=REJECTED).update(value="accepted")
    set_verdict(published, ASKED, "not_met")
    Evidence.objects.filter(assessment=published).update(
        sha256="0" * 64, expires_on="2000-01-01", effective_on="2000-01-01"
    )
    EvidenceLink.objects.filter(evidence__assessment=published).delete()
    Criterion.objects.filter(model=published.model, code=ASKED).update(text_en="Rewritten", checks=[{"fact": "x"}])
    MaturityModel.objects.filter(pk=published.model_id).update(rollup="median")
    catalogue_read_afresh()

    assert readings(client, published) == before


def test_the_services_refuse_to_change_a_published_assessment(published, team, assessor, orgadmin, second_assessor):
    evidence = Evidence.objects.get(assessment=published)
    attempts = {
        "answer": lambda: save_answers(assessment=published, items=[AnswerInput(ASKED, "not_met")], actor=team),
        "evidence": lambda: add_evidence(assessment=published, actor=team, criteria_codes=[ASKED], note="late"),
        "attach": lambda: attach_evidence(evidence=evidence, criteria_codes=[REJECTED], actor=team),
        "remove": lambda: remove_evidence(evidence=evidence, actor=team),
        "decide": lambda: review.decide(
            assessment=published,
            item=review.DecisionInput(criterion(published, REJECTED), "accepted"),
            actor=assessor,
        ),
        "reply": lambda: review.reply_to_request(
            assessment=published, criterion=criterion(published, REJECTED), reply="x", actor=team
        ),
        "assign": lambda: lifecycle.assign_assessor(assessment=published, assessor=second_assessor, actor=orgadmin),
        "reopen": lambda: lifecycle.transition(assessment=published, move_name="reopen_review", actor=assessor),
    }
    snapshot = fresh(published).snapshot
    for name, attempt in attempts.items():
        with pytest.raises((RuleViolation, PermissionDenied)):
            attempt()
        assert fresh(published).snapshot == snapshot, name
    assert fresh(published).state == AssessmentState.PUBLISHED


def test_rescoring_a_published_assessment_leaves_its_levels(published, manager):
    client = api(manager)
    before = readings(client, published)
    refresh_verdicts(fresh(published), criterion_ids=list(Criterion.objects.values_list("pk", flat=True)[:200]))
    assert readings(client, published) == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "answers/", [{"criterion": ASKED, "answer": "not_met"}]),
        ("post", "evidence/", {"criteria": [ASKED], "note": "late"}),
        ("post", "submit/", None),
        ("post", f"requests/{REJECTED}/reply/", {"reply": "x"}),
    ],
)
def test_the_team_cannot_edit_it_over_the_api(published, team, method, path, body):
    response = getattr(api(team), method)(
        f"/api/v1/assessments/{published.pk}/{path}", body, format="json" if path != "evidence/" else "multipart"
    )
    assert_error_shape(response, 409, "state")


def test_removing_its_evidence_over_the_api_is_refused(published, team):
    evidence = Evidence.objects.get(assessment=published)
    assert_error_shape(api(team).delete(f"/api/v1/evidence/{evidence.pk}/"), 409, "state")
    evidence.refresh_from_db()
    assert evidence.removed_at is None


def test_a_published_assessment_is_superseded_by_a_draft_with_its_answers_and_evidence(published, team, manager):
    client = api(manager)
    before = readings(client, published)

    response = api(team).post(f"/api/v1/assessments/{published.pk}/supersede/")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["supersedes"], body["target_level"], body["parts"]) == (
        "draft",
        published.pk,
        1,
        ["cd"],
    )
    successor = fresh(published).superseded_by
    assert successor.model_id == published.model_id and successor.created_by == team

    def answers(assessment):
        return sorted(Answer.objects.filter(assessment=assessment).values_list("criterion_id", "value", "comment"))

    def evidence(assessment):
        links = EvidenceLink.objects.filter(evidence__assessment=assessment, evidence__removed_at__isnull=True)
        return sorted(links.values_list("evidence__sha256", "criterion_id", "evidence__uploaded_by"))

    assert answers(successor) == answers(published) and len(answers(successor)) == 49
    assert evidence(successor) == evidence(published) != []
    assert not Decision.objects.filter(assessment=successor).exists()

    # The successor is a draft like any other; the published one stays as it was.
    save_answers(assessment=successor, items=[AnswerInput(ASKED, "not_met")], actor=team)
    remove_evidence(evidence=Evidence.objects.get(assessment=successor), actor=team)
    assert readings(client, published) == before

    again = api(team).post(f"/api/v1/assessments/{published.pk}/supersede/")
    assert "superseded already" in assert_error_shape(again, 409, "state")["detail"]


def test_only_a_published_assessment_is_superseded_and_only_by_its_team(published, assessment, assessor, team):
    assert_error_shape(api(assessor).post(f"/api/v1/assessments/{published.pk}/supersede/"), 403)
    refused = api(team).post(f"/api/v1/assessments/{assessment.pk}/supersede/")
    assert "Only a published assessment" in assert_error_shape(refused, 409, "state")["detail"]
    with pytest.raises(RuleViolation, match="Only a published assessment"):
        start_successor(published=assessment, actor=team)


def test_the_snapshot_exists_for_published_assessments_only(to_state, manager):
    assessment = to_state("assessed")
    assert_error_shape(api(manager).get(f"/api/v1/assessments/{assessment.pk}/snapshot/"), 409, "state")


def test_html_supersede_leads_to_the_new_draft(client, published, team):
    client.force_login(team)
    response = client.post(f"/assessments/{published.pk}/successor/")
    successor = fresh(published).superseded_by
    assert response.status_code == 302 and response["Location"] == f"/assessments/{successor.pk}/"
    assert client.post(f"/assessments/{published.pk}/successor/").status_code == 302
    assert not type(successor).objects.filter(supersedes=successor).exists()
    assert type(successor).objects.filter(supersedes=published).count() == 1
