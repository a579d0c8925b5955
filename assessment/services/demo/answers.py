"""The team's answers for a round of the demo story: every criterion up to the target, read off the levels the
round gives its sub-domains and sub-items (story.py)."""

from assessment.models import AnswerValue, Assessment
from assessment.services.assessments import AnswerInput, required_criteria
from assessment.services.demo.story import Round

PARTLY_COMMENT = (
    "部分团队已做到，计划下季度推广到全部服务。 Some services do this already; all of them by next quarter."
)


def answers_for(assessment: Assessment, round_: Round) -> list[AnswerInput]:
    """The answers to every criterion up to the target, except in the sub-domains the team has not reached yet."""
    criteria = required_criteria(assessment).select_related("subitem__item__subdomain").order_by("code")
    answers = []
    for criterion in criteria:
        subdomain = criterion.subitem.item.subdomain.code
        if subdomain in round_.unanswered:
            continue
        answers.append(_answer(round_, criterion.code, criterion.subitem.code, subdomain, criterion.level))
    return answers


def _answer(round_: Round, code: str, subitem: str, subdomain: str, level: int) -> AnswerInput:
    if subitem in round_.not_applicable:
        return AnswerInput(code, AnswerValue.NOT_APPLICABLE, justification=round_.not_applicable[subitem])
    reached = round_.lower.get(subitem, round_.levels[subdomain])
    if level <= reached:
        return AnswerInput(code, AnswerValue.MET)
    if level == reached + 1 and subitem in round_.partly:
        return AnswerInput(code, AnswerValue.PARTLY, comment=PARTLY_COMMENT)
    return AnswerInput(code, AnswerValue.NOT_MET)
