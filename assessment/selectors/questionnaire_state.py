"""What a questionnaire page shows that the team and the workers change: read in one statement, and told
apart from what it was before by one more (content_fingerprint).

Every questionnaire page needs the assessment's answers and automatic verdicts (for levels and progress) and,
per criterion shown, what identifies its evidence (for the blocks' cache keys, block_cache). As three ORM
queries these cost more to compile and send than PostgreSQL took to answer them; as one statement, prepared
once per connection, one round trip. Portable SQL: SQLite runs it as written.
"""

import datetime
import hashlib
from collections import defaultdict
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection

from assessment.models import Answer, Criterion, Decision, Evidence, EvidenceLink, Item, SubItem, Verdict
from assessment.prepared_statements import PreparedStatement
from assessment.selectors.levels import VerdictInfo

_ANSWERS, _VERDICTS, _EVIDENCE = Answer._meta.db_table, Verdict._meta.db_table, Evidence._meta.db_table
_LINKS, _CRITERIA = EvidenceLink._meta.db_table, Criterion._meta.db_table
_SUBITEMS, _ITEMS, _PEOPLE = SubItem._meta.db_table, Item._meta.db_table, get_user_model()._meta.db_table
_DECISIONS = Decision._meta.db_table

# One row per answer, verdict and shown link of evidence, told apart by the first column.
STATE = f"""
SELECT 'answer', criterion_id, id, value, '', '', updated_at
    FROM {_ANSWERS} WHERE assessment_id = %(assessment)s
UNION ALL
SELECT 'verdict', criterion_id, 0, value, explanation_zh, explanation_en, computed_at
    FROM {_VERDICTS} WHERE assessment_id = %(assessment)s
UNION ALL
SELECT 'evidence', link.criterion_id, evidence.id, evidence.sha256, person.username, evidence.status,
       evidence.status_changed_at
    FROM {_LINKS} link
    JOIN {_EVIDENCE} evidence ON evidence.id = link.evidence_id
    JOIN {_PEOPLE} person ON person.id = evidence.uploaded_by_id
    WHERE evidence.assessment_id = %(assessment)s AND evidence.removed_at IS NULL
      AND (%(subdomain)s IS NULL OR link.criterion_id IN (
          SELECT criterion.id FROM {_CRITERIA} criterion
              JOIN {_SUBITEMS} subitem ON subitem.id = criterion.subitem_id
              JOIN {_ITEMS} item ON item.id = subitem.item_id
              WHERE item.subdomain_id = %(subdomain)s))
"""  # noqa: S608 - table names come from the models, the values are parameters
_STATE = PreparedStatement("questionnaire_state", STATE, types={"assessment": "bigint", "subdomain": "bigint"})


class AnswerStamp(NamedTuple):
    """What identifies an answer's state: every save sets a new `updated_at` (auto_now)."""

    pk: int
    value: str
    updated_at: datetime.datetime


class QuestionnaireState(NamedTuple):
    answers: dict[int, AnswerStamp]
    verdicts: dict[int, VerdictInfo]
    # Per criterion, each piece of evidence shown: its id, content digest, uploader's name and reading status
    # with when it changed (reading sets the kind, summary and reason). Evidence is never otherwise edited
    # (only added, linked and removed, and removed evidence is not shown), so this identifies what is shown.
    evidence: dict[int, list[tuple]]


def questionnaire_state(assessment_id: int, subdomain_id: int | None) -> QuestionnaireState:
    """Answers and verdicts of the whole assessment; evidence of the sub-domain's criteria (or of all)."""
    with connection.cursor() as cursor:
        _STATE.execute(cursor, {"assessment": assessment_id, "subdomain": subdomain_id})
        rows = cursor.fetchall()
    state = QuestionnaireState({}, {}, defaultdict(list))
    read_moment = _moment_reader()
    for kind, criterion_id, row_id, value, text_zh, text_en, moment in rows:
        moment = read_moment(moment)
        if kind == "answer":
            state.answers[criterion_id] = AnswerStamp(row_id, value, moment)
        elif kind == "verdict":
            state.verdicts[criterion_id] = VerdictInfo(value, text_zh, text_en, moment)
        else:
            state.evidence[criterion_id].append((row_id, value, text_zh, text_en, moment))
    for stamps in state.evidence.values():
        stamps.sort()
    return state


def _moment_reader():
    """The database's own reading of a stored time, as the ORM applies it (SQLite hands one back without its
    time zone)."""
    column = Answer._meta.get_field("updated_at").get_col(_ANSWERS)
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)

    def read(moment):
        for converter in converters:
            moment = converter(moment, column, connection)
        return moment

    return read


FINGERPRINT = f"""
SELECT
    (SELECT COUNT(*) FROM {_ANSWERS} WHERE assessment_id = %(id)s),
    (SELECT MAX(updated_at) FROM {_ANSWERS} WHERE assessment_id = %(id)s),
    (SELECT COUNT(*) FROM {_EVIDENCE} WHERE assessment_id = %(id)s),
    (SELECT MAX(status_changed_at) FROM {_EVIDENCE} WHERE assessment_id = %(id)s),
    (SELECT MAX(removed_at) FROM {_EVIDENCE} WHERE assessment_id = %(id)s),
    (SELECT COUNT(*) FROM {_LINKS} JOIN {_EVIDENCE} ON {_EVIDENCE}.id = {_LINKS}.evidence_id
        WHERE {_EVIDENCE}.assessment_id = %(id)s),
    (SELECT COUNT(*) FROM {_VERDICTS} WHERE assessment_id = %(id)s),
    (SELECT MAX(computed_at) FROM {_VERDICTS} WHERE assessment_id = %(id)s),
    (SELECT COUNT(*) FROM {_DECISIONS} WHERE assessment_id = %(id)s),
    (SELECT SUM(version) FROM {_DECISIONS} WHERE assessment_id = %(id)s),
    (SELECT SUM(CASE WHEN is_current THEN 1 ELSE 0 END) FROM {_DECISIONS} WHERE assessment_id = %(id)s),
    (SELECT SUM(LENGTH(reply)) FROM {_DECISIONS} WHERE assessment_id = %(id)s)
"""  # noqa: S608 - table names come from the models, the only value is a parameter


_FINGERPRINT = PreparedStatement("content_fingerprint", FINGERPRINT, types={"id": "bigint"})


def content_fingerprint(assessment_id: int) -> tuple:
    """What changes whenever anything an assessment's questionnaire shows changes: every save stamps a new
    `updated_at`, evidence is only added, re-read (status_changed_at), linked or removed, every verdict
    computation stamps `computed_at`, and every decision, reply or reopening changes a version, a count or
    a length. One query, portable SQL."""
    with connection.cursor() as cursor:
        _FINGERPRINT.execute(cursor, {"id": assessment_id})
        return tuple(str(value) for value in cursor.fetchone())


def data_version(assessment_id: int) -> str:
    """A digest of content_fingerprint: what stored levels record having been computed from."""
    return hashlib.sha256(repr(content_fingerprint(assessment_id)).encode()).hexdigest()
