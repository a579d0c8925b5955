"""Driving an assessment through its lifecycle with the real services, as the people involved would."""

from assessment.models import Assessment, AssessmentState, Criterion, Verdict
from assessment.services import lifecycle, review
from assessment.services.assessments import AnswerInput, required_criteria, save_answers

ASKED = "cd.cm.vc.vcs@1"  # the criterion the assessor asks about when sending the assessment back


def required_codes(assessment: Assessment) -> list[str]:
    return list(required_criteria(assessment).order_by("code").values_list("code", flat=True))


def answer_required(assessment: Assessment, actor, value: str = "met", overrides: dict | None = None) -> None:
    """Answers every criterion up to the target level with `value`, the codes in `overrides` otherwise."""
    answer_codes(assessment, actor, dict.fromkeys(required_codes(assessment), value) | (overrides or {}))


def answer_codes(assessment: Assessment, actor, answers: dict[str, str]) -> None:
    items = [
        AnswerInput(code, value, justification="Not relevant here." if value == "na" else "")
        for code, value in answers.items()
    ]
    save_answers(assessment=assessment, items=items, actor=actor)


def criterion(assessment: Assessment, code: str) -> Criterion:
    return Criterion.objects.get(model=assessment.model, code=code)


def decide_codes(assessment: Assessment, actor, decisions: dict[str, str], comment: str = "Seen.") -> None:
    items = [
        review.DecisionInput(criterion(assessment, code), value, "" if value == "accepted" else comment)
        for code, value in decisions.items()
    ]
    review.decide_many(assessment=fresh(assessment), items=items, actor=actor)


def move(assessment: Assessment, name: str, actor) -> Assessment:
    return lifecycle.transition(assessment=fresh(assessment), move_name=name, actor=actor)


def fresh(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_related("project", "organisation", "model").get(pk=assessment.pk)


def drive(assessment: Assessment, state: str, *, team, assessor, orgadmin) -> Assessment:
    """Takes a draft to `state`: answered and submitted by `team`, assigned to `assessor` by `orgadmin`,
    sent back once with a request on ASKED, resubmitted, accepted whole, completed, published."""
    if state == AssessmentState.DRAFT:
        return fresh(assessment)
    answer_required(assessment, team)
    move(assessment, "submit", team)
    lifecycle.assign_assessor(assessment=fresh(assessment), assessor=assessor, actor=orgadmin)
    if state == AssessmentState.SUBMITTED:
        return fresh(assessment)
    move(assessment, "start_review", assessor)
    codes = required_codes(assessment)
    if state == AssessmentState.IN_REVIEW:
        return fresh(assessment)
    decide_codes(assessment, assessor, {ASKED: "info_requested"})
    move(assessment, "request_changes", assessor)
    if state == AssessmentState.CHANGES_REQUESTED:
        return fresh(assessment)
    if state not in (AssessmentState.ASSESSED, AssessmentState.PUBLISHED):
        raise ValueError(state)
    move(assessment, "submit", team)
    move(assessment, "start_review", assessor)
    decide_codes(assessment, assessor, dict.fromkeys(codes, "accepted"))
    move(assessment, "complete_review", assessor)
    if state == AssessmentState.PUBLISHED:
        move(assessment, "publish", assessor)
    return fresh(assessment)


def set_verdict(assessment: Assessment, code: str, value: str) -> None:
    """An automatic verdict as scoring would leave it (scoring itself is tested in tests/scoring)."""
    Verdict.objects.update_or_create(
        assessment=assessment,
        criterion=criterion(assessment, code),
        defaults={"value": value, "explanation_en": f"checks say {value}", "explanation_zh": f"检查：{value}"},
    )
