"""Saving one answer on PostgreSQL in a single statement: the write, its audit entry and the state check.

The questionnaire saves an answer on every change of a radio button, so this path is the hottest write of
the app. The ORM path (services/assessments.py) takes five round trips (BEGIN, a locking read, the write,
the audit entry, COMMIT); this one statement does the same work in one, atomically:

- the assessment row is share-locked and must be in a team-editable state, so a concurrent submission
  waits for the save or the save sees the submission and writes nothing;
- the previous answer is read under a row lock (the audit entry's "before");
- the upsert only writes when something changed, and the audit entry is written only then.

The statement also returns the assessment's answers and the criteria whose checks are met (as they were
before it; the saved answer is patched in), so the levels and progress shown after the save need no other
query. Used for single saves in the states without decisions to reopen (draft); everything else takes the ORM
path.
"""

import json

from django.db import connection
from django.utils import timezone

from assessment.models import Answer, Assessment, Criterion
from assessment.prepared_statements import PreparedStatement

SAVE_ANSWER = """
WITH editable AS (
    SELECT id FROM assessment_assessment WHERE id = %(assessment)s AND state = ANY(%(states)s) FOR SHARE
), old AS (
    SELECT value, comment, justification FROM assessment_answer
    WHERE assessment_id = %(assessment)s AND criterion_id = %(criterion)s FOR UPDATE
), saved AS (
    INSERT INTO assessment_answer
        (assessment_id, criterion_id, value, comment, justification, updated_by_id, updated_at)
    SELECT %(assessment)s, %(criterion)s, %(value)s, %(comment)s, %(justification)s, %(actor)s, %(now)s
    -- Joining `old` reads (and locks) the previous answer before the upsert changes it: a row this statement
    -- has already updated would be invisible to the locking read, and the audit's "before" lost.
    FROM editable LEFT JOIN old ON TRUE
    ON CONFLICT (assessment_id, criterion_id) DO UPDATE
        SET value = EXCLUDED.value, comment = EXCLUDED.comment, justification = EXCLUDED.justification,
            updated_by_id = EXCLUDED.updated_by_id, updated_at = EXCLUDED.updated_at
        WHERE (assessment_answer.value, assessment_answer.comment, assessment_answer.justification)
            IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.comment, EXCLUDED.justification)
    RETURNING id, updated_at
), audited AS (
    INSERT INTO assessment_auditentry
        (organisation_id, assessment_id, actor_id, action, target, before, after, created_at)
    SELECT %(organisation)s, %(assessment)s, %(actor)s, 'answer.changed', %(code)s,
        (SELECT jsonb_build_object('value', value, 'comment', comment, 'justification', justification) FROM old),
        %(after)s::jsonb, %(now)s
    FROM saved
)
SELECT (SELECT id FROM editable), (SELECT id FROM saved), (SELECT updated_at FROM saved),
       (SELECT id FROM assessment_answer WHERE assessment_id = %(assessment)s AND criterion_id = %(criterion)s),
       (SELECT updated_at FROM assessment_answer WHERE assessment_id = %(assessment)s AND criterion_id = %(criterion)s),
       (SELECT json_agg(json_build_array(criterion_id, value)) FROM assessment_answer
            WHERE assessment_id = %(assessment)s),
       (SELECT json_agg(criterion_id) FROM assessment_verdict WHERE assessment_id = %(assessment)s AND value = 'met')
"""
_SAVE_ANSWER = PreparedStatement(
    "save_answer",
    SAVE_ANSWER,
    types={
        **dict.fromkeys(("assessment", "criterion", "organisation", "actor"), "bigint"),
        **dict.fromkeys(("code", "value", "comment", "justification", "after"), "text"),
        "states": "text[]",
        "now": "timestamptz",
    },
)


def save_in_one_statement(
    *, assessment: Assessment, criterion: Criterion, fields: dict[str, str], actor, editable_states: tuple[str, ...]
) -> Answer | None:
    """The saved answer (unchanged ones too), or None when the assessment is no longer team-editable. The
    answer carries `claims`: the assessment's answers by criterion id (this one included) and the set of
    criteria whose checks are met."""
    now = timezone.now()
    parameters = {
        "assessment": assessment.pk,
        "criterion": criterion.pk,
        "organisation": assessment.organisation_id,
        "actor": actor.pk,
        "code": criterion.code[:200],
        "states": list(editable_states),
        "after": json.dumps(fields),
        "now": now,
        **fields,
    }
    with connection.cursor() as cursor:
        _SAVE_ANSWER.execute(cursor, parameters)
        is_editable, saved_id, saved_at, existing_id, existing_at, answers, met = cursor.fetchone()
    if is_editable is None:
        return None
    answer = Answer(
        pk=saved_id or existing_id,
        assessment=assessment,
        criterion=criterion,
        updated_by=actor,
        updated_at=saved_at or existing_at,
        **fields,
    )
    answer.was_changed = saved_id is not None
    answered = dict(answers or [])
    answered[criterion.pk] = fields["value"]
    answer.claims = (answered, set(met or []))
    return answer
