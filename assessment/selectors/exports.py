"""The tables an assessment exports (answers, levels, evidence index) and the pre-assessment pack's evidence
index: plain rows, a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from assessment.models import Answer, Assessment, Decision, Evidence, EvidenceLink
from assessment.reports.exports import Table
from assessment.selectors.levels import catalog_scope, verdicts_of
from assessment.selectors.reports import CONFIRMED, PROVISIONAL, both_readings


@dataclass
class EvidenceEntry:
    evidence: Evidence
    criteria: list[str]  # criterion codes


def evidence_index(assessment: Assessment) -> list[EvidenceEntry]:
    """The assessment's evidence (not removed) with SHA-256 digests and the criteria each supports (two queries)."""
    evidence = list(
        Evidence.objects.filter(assessment=assessment, removed_at__isnull=True)
        .select_related("uploaded_by")
        .only(
            "pk",
            "name",
            "source",
            "kind",
            "sha256",
            "uploaded_at",
            "effective_on",
            "expires_on",
            "url",
            "size",
            "status",
            "uploaded_by__username",
        )
        .order_by("uploaded_at", "pk")
    )
    codes: dict[int, list[str]] = defaultdict(list)
    links = EvidenceLink.objects.filter(evidence__in=[item.pk for item in evidence]).order_by("criterion__code")
    for evidence_id, code in links.values_list("evidence_id", "criterion__code"):
        codes[evidence_id].append(code)
    return [EvidenceEntry(item, codes[item.pk]) for item in evidence]


ANSWER_COLUMNS = [
    "subdomain",
    "subdomain_zh",
    "subitem",
    "subitem_zh",
    "subitem_en",
    "criterion",
    "level",
    "text_zh",
    "text_en",
    "answer",
    "comment",
    "justification",
    "verdict",
    "decision",
]
LEVEL_COLUMNS = ["scope", "code", "name_zh", "name_en", "provisional", "confirmed"]
EVIDENCE_COLUMNS = [
    "id",
    "name",
    "source",
    "kind",
    "sha256",
    "uploaded_at",
    "uploaded_by",
    "effective_on",
    "expires_on",
    "criteria",
]


def export_tables(assessment: Assessment) -> list[Table]:
    """The answers (one row per criterion in scope), the levels in both readings, and the evidence index."""
    scope = catalog_scope(assessment)
    answers = {
        criterion_id: (value, comment, justification)
        for criterion_id, value, comment, justification in Answer.objects.filter(assessment=assessment).values_list(
            "criterion_id", "value", "comment", "justification"
        )
    }
    verdicts = verdicts_of(assessment)
    decisions = dict(
        Decision.objects.filter(assessment=assessment, is_current=True).values_list("criterion_id", "value")
    )
    readings = both_readings(
        assessment, scope, {pk: value for pk, (value, _comment, _reason) in answers.items()}, verdicts
    )
    return [
        Table("answers", ANSWER_COLUMNS, _answer_rows(scope, answers, verdicts, decisions)),
        Table("levels", LEVEL_COLUMNS, _level_rows(readings)),
        Table("evidence", EVIDENCE_COLUMNS, [_evidence_row(entry) for entry in evidence_index(assessment)]),
    ]


def _answer_rows(scope, answers: dict, verdicts: dict, decisions: dict) -> list[list]:
    rows = []
    for criterion in scope.criteria:
        subitem = criterion.subitem
        value, comment, justification = answers.get(criterion.pk, ("", "", ""))
        verdict = verdicts.get(criterion.pk)
        rows.append(
            [
                subitem.item.subdomain.code,
                subitem.item.subdomain.name_zh,
                subitem.code,
                subitem.name_zh,
                subitem.name_en,
                criterion.code,
                criterion.level,
                criterion.text_zh,
                criterion.text_en,
                value,
                comment,
                justification,
                verdict.value if verdict else "",
                decisions.get(criterion.pk, ""),
            ]
        )
    return rows


def _evidence_row(entry: EvidenceEntry) -> list:
    evidence = entry.evidence
    return [
        evidence.pk,
        evidence.name,
        evidence.source,
        evidence.kind,
        evidence.sha256,
        evidence.uploaded_at.isoformat(),
        evidence.uploaded_by.username,
        evidence.effective_on.isoformat(),
        evidence.expires_on.isoformat() if evidence.expires_on else "",
        " ".join(entry.criteria),
    ]


def _level_rows(readings: dict) -> list[list]:
    provisional, confirmed = readings[PROVISIONAL], readings[CONFIRMED]
    rows = []
    for kind, left, right in (
        ("part", provisional.parts, confirmed.parts),
        ("subdomain", provisional.subdomains, confirmed.subdomains),
    ):
        for group, other in zip(left, right, strict=True):
            rows.append(
                [
                    kind,
                    group.node.code,
                    group.node.name_zh,
                    group.node.name_en,
                    group.level.notation,
                    other.level.notation,
                ]
            )
    for subitem_id, row in provisional.subitems.items():
        rows.append(
            [
                "subitem",
                row.subitem.code,
                row.subitem.name_zh,
                row.subitem.name_en,
                row.level.notation,
                confirmed.subitems[subitem_id].level.notation,
            ]
        )
    return rows
