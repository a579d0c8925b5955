"""What the team claims on an assessment as it stands, read in one query: the answers, and the criteria whose
automatic checks are met. The questionnaire's levels and progress bars are computed from it, and a save reads it
under its lock in place of the previous answer, so the feedback after the save needs no query of its own."""

from dataclasses import dataclass, field

from django.db.models import BigIntegerField, CharField, TextField, Value

from assessment.models import Answer, Assessment, Verdict, VerdictValue

CHECKS_MET = "checks:met"  # marks a verdict's row in the union (never an answer value)


@dataclass
class Claims:
    answered: dict[int, str] = field(default_factory=dict)  # criterion id → the team's answer
    met_by_checks: set[int] = field(default_factory=set)  # criteria the checks found met
    stored: dict[int, tuple] = field(default_factory=dict)  # criterion id → the stored answer's fields

    def record(self, answer: Answer) -> None:
        """Takes in an answer just saved, so the claims stay what is stored."""
        self.answered[answer.criterion_id] = answer.value
        fields = (answer.pk, answer.comment, answer.justification, answer.updated_by_id, answer.updated_at)
        self.stored[answer.criterion_id] = fields

    def answer(self, assessment: Assessment, criterion_id: int) -> Answer | None:
        """The stored answer to the criterion, as an Answer with every field (built on demand: a page of claims
        needs the values only)."""
        if criterion_id not in self.stored:
            return None
        pk, comment, justification, updated_by_id, updated_at = self.stored[criterion_id]
        return Answer(
            pk=pk,
            assessment=assessment,
            criterion_id=criterion_id,
            value=self.answered[criterion_id],
            comment=comment,
            justification=justification,
            updated_by_id=updated_by_id,
            updated_at=updated_at,
        )


def claims_of(assessment: Assessment) -> Claims:
    """The assessment's answers and met verdicts, in one query."""
    answers = Answer.objects.filter(assessment=assessment).values_list(
        "criterion_id", "value", "pk", "comment", "justification", "updated_by_id", "updated_at"
    )
    met = Verdict.objects.filter(assessment=assessment, value=VerdictValue.MET).values_list(
        "criterion_id",
        Value(CHECKS_MET, output_field=CharField()),
        Value(None, output_field=BigIntegerField()),
        Value("", output_field=TextField()),
        Value("", output_field=TextField()),
        Value(None, output_field=BigIntegerField()),
        "computed_at",
    )
    claims = Claims()
    for criterion_id, value, *stored in answers.union(met, all=True):
        if value == CHECKS_MET:
            claims.met_by_checks.add(criterion_id)
        else:
            claims.answered[criterion_id] = value
            claims.stored[criterion_id] = stored
    return claims
