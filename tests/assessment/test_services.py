"""Service rules that every interface shares (HTML, API, tasks)."""

import pytest
from django.utils import translation

from assessment.models import Answer, AuditEntry
from assessment.services.assessments import AnswerInput, save_answers, start_assessment
from assessment.services.evidence import add_evidence
from assessment.services.exceptions import RuleViolation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_bulk_write_naming_one_criterion_twice_is_refused_whole(assessment, team):
    items = [AnswerInput("cd.cm.vc.vcs@1", "met"), AnswerInput("cd.cm.vc.vcs@1", "not_met")]
    with pytest.raises(RuleViolation) as refused:
        save_answers(assessment=assessment, items=items, actor=team)
    assert refused.value.errors == {"1.criterion": ["cd.cm.vc.vcs@1 appears twice in this request."]}
    assert not Answer.objects.exists()


def test_bulk_errors_are_reported_by_position_and_nothing_is_saved(assessment, team):
    items = [AnswerInput("cd.cm.vc.vcs@1", "met"), AnswerInput("cd.cm.vc.vcs@2", "na"), AnswerInput("x@1", "met")]
    with pytest.raises(RuleViolation) as refused:
        save_answers(assessment=assessment, items=items, actor=team)
    assert set(refused.value.errors) == {"1.justification", "2.criterion"}
    assert not Answer.objects.exists() and not AuditEntry.objects.filter(action="answer.changed").exists()


def test_na_answers_keep_their_justification_and_others_drop_it(assessment, team):
    save_answers(assessment=assessment, actor=team, items=[AnswerInput("cd.cm.vc.vcs@1", "na", justification="why")])
    save_answers(assessment=assessment, actor=team, items=[AnswerInput("cd.cm.vc.vcs@1", "met", justification="x")])
    assert Answer.objects.get().justification == ""


def test_links_are_named_after_their_address(assessment, team):
    evidence = add_evidence(
        assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@2"], url="https://ci.example.com/job/42"
    )
    assert evidence.name == "ci.example.com/job/42"


@pytest.mark.parametrize(("parts", "message"), [(["ops"], "outlines without criteria"), (["zz"], "Unknown part")])
def test_assessments_only_cover_assessable_parts(project, team, caict, parts, message):
    with pytest.raises(RuleViolation, match=message):
        start_assessment(project=project, actor=team, target_level=3, part_codes=parts)
