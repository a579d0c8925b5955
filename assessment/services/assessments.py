"""Writes of assessments: starting one, the team's answers, and what a change of the team's work reopens."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from assessment.models import (
    Answer,
    AnswerValue,
    Assessment,
    AssessmentState,
    Criterion,
    Decision,
    MaturityModel,
    Project,
)
from assessment.selectors.catalog import current_model
from assessment.selectors.claims import Claims, claims_of
from assessment.selectors.levels import part_ids_in_scope
from assessment.services import audit
from assessment.services.exceptions import RuleViolation
from assessment.services.queueing import publish_once_after_commit

DEFAULT_PARTS = ("cd",)


@transaction.atomic
def start_assessment(
    *,
    project: Project,
    actor,
    target_level: int,
    part_codes: list[str] | None = None,
    model: MaturityModel | None = None,
) -> Assessment:
    """A draft assessment pinned to a model version (the current CAICT one unless given), Part 3 by default."""
    model = model or current_model()
    if model is None:
        raise RuleViolation(_("No maturity model is loaded yet."), field="model")
    if not isinstance(target_level, int) or not 1 <= target_level <= 5:
        raise RuleViolation(_("The target level must be from 1 to 5."), field="target_level")
    codes = list(dict.fromkeys(part_codes or DEFAULT_PARTS))
    parts = list(model.parts.filter(code__in=codes))
    unknown = sorted(set(codes) - {part.code for part in parts})
    if unknown:
        raise RuleViolation(_("Unknown part: %(codes)s.") % {"codes": ", ".join(unknown)}, field="parts")
    outlines = sorted(part.code for part in parts if not part.is_assessable)
    if outlines:
        raise RuleViolation(
            _("These parts are outlines without criteria and cannot be assessed: %(codes)s.")
            % {"codes": ", ".join(outlines)},
            field="parts",
        )
    assessment = Assessment.objects.create(
        organisation=project.organisation, project=project, model=model, target_level=target_level, created_by=actor
    )
    assessment.parts.set(parts)
    audit.record(
        organisation=project.organisation,
        assessment=assessment,
        actor=actor,
        action="assessment.started",
        target=str(assessment.pk),
        after={"target_level": target_level, "parts": codes, "model": f"{model.key} {model.version}"},
    )
    return assessment


def ensure_team_editable(assessment: Assessment) -> None:
    """Refuses unless the team may edit now. The state is read afresh and, within the caller's transaction, held
    until its commit, so a submission cannot slip in between this check and the write."""
    with transaction.atomic(savepoint=False):
        locked = Assessment.objects.select_for_update().filter(pk=assessment.pk)
        assessment.state = locked.values_list("state", flat=True).get()
    if not assessment.is_team_editable:
        raise RuleViolation(
            _("This assessment is %(state)s and can no longer be changed by the team.")
            % {"state": assessment.get_state_display()},
            field="state",
        )


def criteria_in_scope(assessment: Assessment, codes: list[str]) -> tuple[dict[str, Criterion], list[str]]:
    """The assessment's criteria with these codes, and the codes that are not among them."""
    found = {
        criterion.code: criterion
        for criterion in Criterion.objects.filter(
            model_id=assessment.model_id, code__in=codes, subitem__item__subdomain__part__in=assessment.parts.all()
        )
    }
    return found, [code for code in codes if code not in found]


def not_in_scope_message(assessment: Assessment, code: str) -> str:
    return _("%(code)s is not a criterion of this assessment (model %(model)s, parts in scope).") % {
        "code": code,
        "model": f"{assessment.model.key} {assessment.model.version}",
    }


@dataclass(frozen=True)
class AnswerInput:
    criterion: str
    value: str
    comment: str = ""
    justification: str = ""


def _answer_problems(item: AnswerInput) -> dict[str, str]:
    problems = {}
    if item.value not in AnswerValue.values:
        problems["answer"] = _("Choose met, partly, not_met or na.")
    elif item.value == AnswerValue.NOT_APPLICABLE and not item.justification.strip():
        problems["justification"] = _("Say why this criterion does not apply: an assessor has to approve it.")
    return problems


@transaction.atomic
def save_answers(*, assessment: Assessment, items: list[AnswerInput], actor) -> list[Answer]:
    """Upserts answers by criterion code, all or nothing; every problem is reported by position and field."""
    ensure_team_editable(assessment)
    criteria, unknown = criteria_in_scope(assessment, [item.criterion for item in items])
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        prefix = f"{index}." if len(items) > 1 else ""
        if item.criterion in seen:
            errors[f"{prefix}criterion"] = [_("%(code)s appears twice in this request.") % {"code": item.criterion}]
        seen.add(item.criterion)
        if item.criterion in unknown:
            errors[f"{prefix}criterion"] = [not_in_scope_message(assessment, item.criterion)]
        for field, message in _answer_problems(item).items():
            errors[f"{prefix}{field}"] = [message]
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], errors=errors)
    pairs = [(criteria[item.criterion], item) for item in items]
    claims = _upsert_all(assessment, pairs, actor)
    return [claims.answer(assessment, criterion.pk) for criterion, _item in pairs]


def _upsert_all(assessment: Assessment, pairs: list[tuple[Criterion, AnswerInput]], actor) -> Claims:
    """Writes the answers that changed, under the assessment's lock (ensure_team_editable), which every answer
    write takes: the claims read here are the stored answers until the commit. Returns the claims as written."""
    claims = claims_of(assessment)
    changed = []
    for criterion, item in pairs:
        answer = _upsert(assessment, criterion, claims.answer(assessment, criterion.pk), item, actor)
        if answer is not None:
            claims.record(answer)
            changed.append(criterion.pk)
    if assessment.state == AssessmentState.CHANGES_REQUESTED:
        reopen_decisions(assessment=assessment, criterion_ids=changed, actor=actor, reason="answer.changed")
    if changed:
        _refresh_levels_later(assessment)
    return claims


def reopen_decisions(*, assessment: Assessment, criterion_ids: list[int], actor, reason: str) -> int:
    """A changed answer or evidence sends only its criteria back for re-review: their decisions stop counting.
    Call inside the change's transaction. Returns how many decisions were reopened."""
    if assessment.state not in (AssessmentState.CHANGES_REQUESTED, AssessmentState.DRAFT) or not criterion_ids:
        return 0
    reopened = list(
        Decision.objects.filter(assessment=assessment, criterion_id__in=criterion_ids, is_current=True)
        .select_related("criterion")
        .only("pk", "value", "criterion__code")
    )
    if not reopened:
        return 0
    Decision.objects.filter(pk__in=[decision.pk for decision in reopened]).update(is_current=False)
    for decision in reopened:
        audit.record(
            organisation=assessment.organisation,
            assessment=assessment,
            actor=actor,
            action="decision.reopened",
            target=decision.criterion.code,
            before={"decision": decision.value, "is_current": True},
            after={"is_current": False, "because": reason},
        )
    _refresh_levels_later(assessment)
    return len(reopened)


def _refresh_levels_later(assessment: Assessment) -> None:
    """Stored levels follow every answer change, recomputed by a worker so the save itself stays quick."""
    publish_once_after_commit("assessment.refresh_levels", assessment.pk)


def _fields(item: AnswerInput) -> dict[str, str]:
    """What is stored of an answer: trimmed texts, and a justification only for N/A."""
    fields = {"value": item.value, "comment": item.comment.strip(), "justification": item.justification.strip()}
    if item.value != AnswerValue.NOT_APPLICABLE:
        fields["justification"] = ""
    return fields


def _upsert(assessment: Assessment, criterion: Criterion, answer: Answer | None, item: AnswerInput, actor):
    """Saves the answer and its audit entry; returns it, or None when it was already so."""
    fields = _fields(item)
    before = None if answer is None else {name: getattr(answer, name) for name in fields}
    if before == fields:
        return None
    if answer is None:
        answer = Answer(assessment=assessment, criterion=criterion)
    for name, value in fields.items():
        setattr(answer, name, value)
    answer.updated_by = actor
    answer.save()
    audit.record(
        organisation=assessment.organisation,
        assessment=assessment,
        actor=actor,
        action="answer.changed",
        target=criterion.code,
        before=before,
        after=fields,
    )
    return answer


def save_answer(
    *,
    assessment: Assessment,
    criterion: Criterion,
    value: str,
    actor,
    comment: str = "",
    justification: str = "",
) -> Claims:
    """save_answers for one criterion already looked up (selectors.questionnaire.find_criterion): its scope is
    checked again here, without a query, and problems are reported as save_answers reports them. Returns the
    assessment's claims as saved (the answer is `claims.answer(assessment, criterion.pk)`), for the feedback."""
    if not assessment.is_team_editable:
        ensure_team_editable(assessment)  # says why, in the state it is in now
    item = AnswerInput(criterion=criterion.code, value=value, comment=comment, justification=justification)
    errors = (
        {} if is_in_scope(assessment, criterion) else {"criterion": [not_in_scope_message(assessment, item.criterion)]}
    )
    errors.update({field: [message] for field, message in _answer_problems(item).items()})
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        ensure_team_editable(assessment)  # under a lock until the commit: no submission slips in between
        return _upsert_all(assessment, [(criterion, item)], actor)


def is_in_scope(assessment: Assessment, criterion: Criterion) -> bool:
    """Whether the criterion belongs to the assessment's model and parts in scope (reads the criterion's
    sub-item, item and sub-domain: select_related them)."""
    part_id = criterion.subitem.item.subdomain.part_id
    return criterion.model_id == assessment.model_id and part_id in part_ids_in_scope(assessment)


def required_criteria(assessment: Assessment):
    """The criteria the team must answer before submitting: every level up to the target, parts in scope."""
    return Criterion.objects.filter(
        model_id=assessment.model_id,
        subitem__item__subdomain__part__in=assessment.parts.all(),
        level__lte=assessment.target_level,
    )


def missing_answers(assessment: Assessment) -> list[str]:
    """Codes of the criteria up to the target level that the team has not answered, in catalogue order."""
    return list(
        required_criteria(assessment)
        .exclude(pk__in=assessment.answers.values("criterion_id"))
        .order_by("subitem__item__subdomain__part__number", "subitem__position", "level")
        .values_list("code", flat=True)
    )
