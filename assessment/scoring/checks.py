"""Checks turn facts into a verdict per criterion, with an explanation citing the figures. Pure: no ORM.

A criterion's checks all have to hold. The facts come from every piece of evidence attached to the criterion;
where several pieces report the same fact, the newest one counts. A check over a fact that no evidence
reports makes the verdict inconclusive, never "not met".
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass

MET, NOT_MET, INCONCLUSIVE = "met", "not_met", "inconclusive"

_COMPARE = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_SHOWN = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
_FAILED = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "==": "≠", "!=": "="}


@dataclass(frozen=True)
class EvidenceFacts:
    """One piece of evidence's facts, in the order of preference (newest first)."""

    evidence_id: int
    summary: str
    facts: dict


@dataclass(frozen=True)
class CheckVerdict:
    value: str
    explanation_en: str
    explanation_zh: str
    evidence_ids: tuple[int, ...]


def _format(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) >= 1 or value == 0 else f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _format_ratio(fact: str, value) -> str:
    """Ratios (rates) read better as percentages."""
    if isinstance(value, float) and (fact.endswith("_rate") or fact.endswith(".pass_rate")) and 0 <= value <= 1:
        return f"{value:.2%}"
    return _format(value)


def _lookup(fact: str, evidence: list[EvidenceFacts]):
    for item in evidence:
        if fact in item.facts:
            return item.facts[fact], item
    return None, None


def _holds(op: str, actual, expected) -> bool | None:
    """Whether the comparison holds; None when the value cannot be compared (a wrong type)."""
    if op == "exists":
        return True
    if isinstance(expected, bool) != isinstance(actual, bool):
        return None
    try:
        return bool(_COMPARE[op](actual, expected))
    except TypeError:
        return None


def evaluate(checks: list[dict], evidence: Iterable[EvidenceFacts]) -> CheckVerdict | None:
    """The verdict of a criterion's checks over its evidence, or None when the criterion has no checks."""
    if not checks:
        return None
    evidence = list(evidence)
    lines_en, lines_zh, used, outcomes = [], [], [], []
    for check in checks:
        fact, op, expected = check["fact"], check["op"], check.get("value")
        actual, source = _lookup(fact, evidence)
        if source is None:
            outcomes.append(None)
            lines_en.append(f"no evidence reports {fact}")
            lines_zh.append(f"尚无证据提供 {fact}")
            continue
        used.append(source.evidence_id)
        holds = _holds(op, actual, expected)
        outcomes.append(holds)
        shown = _format_ratio(fact, actual)
        prefix_en = f"{source.summary}: " if source.summary else ""
        if op == "exists":
            lines_en.append(f"{prefix_en}{fact} reported ({shown})")
            lines_zh.append(f"{prefix_en}已提供 {fact}（{shown}）")
        elif isinstance(expected, bool):
            mark_en = "" if holds else f" (expected {_format(expected)})"
            mark_zh = "" if holds else f"（应为 {_format(expected)}）"
            lines_en.append(f"{prefix_en}{fact}: {shown}{mark_en}")
            lines_zh.append(f"{prefix_en}{fact}：{shown}{mark_zh}")
        elif holds is None:
            lines_en.append(f"{fact} is {shown}, which cannot be compared with {_format(expected)}")
            lines_zh.append(f"{fact} 的值 {shown} 无法与 {_format(expected)} 比较")
        else:
            sign = _SHOWN[op] if holds else _FAILED[op]
            target = _format_ratio(fact, expected) if isinstance(expected, float) else _format(expected)
            mark_en = "" if holds else " (not met)"
            mark_zh = "" if holds else "（未满足）"
            lines_en.append(f"{prefix_en}{fact} {shown} {sign} {target}{mark_en}")
            lines_zh.append(f"{prefix_en}{fact} {shown} {sign} {target}{mark_zh}")
    if any(outcome is False for outcome in outcomes):
        value = NOT_MET
    elif all(outcome is True for outcome in outcomes):
        value = MET
    else:
        value = INCONCLUSIVE
    return CheckVerdict(value, "; ".join(lines_en), "；".join(lines_zh), tuple(dict.fromkeys(used)))
