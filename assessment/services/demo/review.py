"""The assessor's side of a demo round, through the lifecycle and review services: start the review, decide on
each claim (accept it, reject what the automatic checks contradict or the story rejects, ask what the story
asks), send the assessment back when something was asked, and take the team's replies and resubmission."""

from assessment.models import Answer, AnswerValue, Assessment, Criterion, Decision, DecisionValue, VerdictValue
from assessment.selectors.levels import verdicts_of
from assessment.services.demo.exhibits import attach_exhibit
from assessment.services.demo.story import Round, State
from assessment.services.lifecycle import transition
from assessment.services.review import DecisionInput, decide_many, reply_to_request

CONTRADICTED = (
    "自动检查结果不支持该答复，请补充证据。 The automatic check does not bear this answer out; please add evidence."
)
AGREES = "团队自评为未满足，与自动检查一致。 The team's own answer is 'not met', as the check found."
NOT_APPLICABLE = "同意不适用的理由，该项检查与本项目无关。 The reason for N/A stands: the check does not apply here."
SENT_BACK = "请回复标注的问题后重新提交。 Please answer the marked questions and submit again."


def play_review(*, assessment: Assessment, round_: Round, team_member, assessor, day) -> Assessment:
    """Takes the round from submitted to the state the story leaves it in; `day(days_ago)` dates the replies."""
    assessment = transition(assessment=assessment, move_name="start_review", actor=assessor)
    decide_many(assessment=assessment, items=_decisions(assessment, round_, asking=True), actor=assessor)
    if round_.outcome == State.IN_REVIEW:
        return assessment
    if round_.requests:
        assessment = _send_back(assessment, round_, team_member, assessor, day)
        if round_.outcome == State.CHANGES_REQUESTED:
            return assessment
        transition(assessment=assessment, move_name="submit", actor=team_member)
        assessment = transition(assessment=assessment, move_name="start_review", actor=assessor)
        decide_many(assessment=assessment, items=_decisions(assessment, round_, asking=False), actor=assessor)
    assessment = transition(assessment=assessment, move_name="complete_review", actor=assessor)
    if round_.outcome == State.ASSESSED:
        return assessment
    return transition(assessment=assessment, move_name="publish", actor=assessor)


def _send_back(assessment: Assessment, round_: Round, team_member, assessor, day) -> Assessment:
    assessment = transition(assessment=assessment, move_name="request_changes", actor=assessor, comment=SENT_BACK)
    criteria = {criterion.code: criterion for criterion in Criterion.objects.filter(model=assessment.model)}
    for code, reply in round_.replies.items():
        reply_to_request(assessment=assessment, criterion=criteria[code], reply=reply, actor=team_member)
    for exhibit in round_.reply_exhibits:
        attach_exhibit(
            assessment=assessment, exhibit=exhibit, actor=team_member, effective_on=day(round_.submitted - 5)
        )
    return assessment


def _decisions(assessment: Assessment, round_: Round, *, asking: bool) -> list[DecisionInput]:
    """A decision on every claim up to the target that has none standing, in the sub-domains reviewed so far;
    on the first pass the story's questions are asked, afterwards their replies are accepted."""
    answers = dict(Answer.objects.filter(assessment=assessment).values_list("criterion_id", "value"))
    verdicts = {criterion_id: info.value for criterion_id, info in verdicts_of(assessment).items()}
    standing = set(
        Decision.objects.filter(assessment=assessment, is_current=True).values_list("criterion_id", flat=True)
    )
    criteria = (
        Criterion.objects.filter(
            model=assessment.model,
            level__lte=assessment.target_level,
            subitem__item__subdomain__part__in=assessment.parts.all(),
        )
        .select_related("subitem__item__subdomain")
        .order_by("code")
    )
    items = []
    for criterion in criteria:
        claimed = criterion.pk in answers or verdicts.get(criterion.pk) == VerdictValue.MET
        reached = criterion.subitem.item.subdomain.code in round_.decided or (
            asking and criterion.code in round_.requests
        )
        if claimed and reached and criterion.pk not in standing:
            items.append(_decision(criterion, answers.get(criterion.pk), verdicts.get(criterion.pk), round_, asking))
    return items


def _decision(criterion: Criterion, answer: str | None, verdict: str | None, round_: Round, asking: bool):
    code = criterion.code
    if asking and code in round_.requests:
        return DecisionInput(criterion, DecisionValue.INFO_REQUESTED, comment=round_.requests[code])
    if code in round_.overrides:
        return DecisionInput(criterion, DecisionValue.ACCEPTED, override_reason=round_.overrides[code])
    if code in round_.rejections:
        reason = round_.rejections[code] if verdict == VerdictValue.MET else ""
        return DecisionInput(criterion, DecisionValue.REJECTED, comment=round_.rejections[code], override_reason=reason)
    if verdict == VerdictValue.NOT_MET and answer == AnswerValue.NOT_APPLICABLE:
        return DecisionInput(criterion, DecisionValue.ACCEPTED, override_reason=NOT_APPLICABLE)
    if verdict == VerdictValue.NOT_MET and answer != AnswerValue.NOT_MET:
        return DecisionInput(criterion, DecisionValue.REJECTED, comment=CONTRADICTED)
    if verdict == VerdictValue.NOT_MET:
        # Accepting goes against a "not met" verdict, so the service asks for a reason even here.
        return DecisionInput(criterion, DecisionValue.ACCEPTED, override_reason=AGREES)
    return DecisionInput(criterion, DecisionValue.ACCEPTED)
