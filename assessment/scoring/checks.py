"""Checks turn facts into a verdict per criterion, with an explanation for people. Pure: no ORM.

A criterion's checks all have to hold; an `any_of` check holds when one of its alternatives does. The facts
come from every piece of evidence attached to the criterion; where several pieces report the same fact, the
newest one counts (a `not_increasing` check compares the newest with the one before). A check over a fact
that no evidence reports makes the verdict inconclusive, never "not met".

The explanation says, in English and Chinese, what was found, in which file, and what the level asks for;
then which attached files were not used and why. Fact names stay in the evidence's facts, never in the text.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass

from assessment.scoring.phrases import FOR_PEOPLE, Figure, Flag, kind_name, phrase, write_value

MET, NOT_MET, INCONCLUSIVE = "met", "not_met", "inconclusive"
NOT_INCREASING = "not_increasing"

_COMPARE = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
# How a level's demand reads before its figure: "at least 60%", "至少 60%".
_ASKS = {
    ">=": ("at least", "至少"),
    ">": ("more than", "大于"),
    "<=": ("at most", "不超过"),
    "<": ("less than", "低于"),
    "==": ("exactly", "等于"),
    "!=": ("anything but", "不等于"),
}


@dataclass(frozen=True)
class EvidenceFacts:
    """One piece of evidence's facts, in the order of preference (newest first)."""

    evidence_id: int
    name: str
    facts: dict
    kind: str = ""


@dataclass(frozen=True)
class CheckVerdict:
    value: str
    explanation_en: str
    explanation_zh: str
    evidence_ids: tuple[int, ...]


@dataclass(frozen=True)
class _Outcome:
    holds: bool | None  # None: cannot be told from the evidence
    en: str
    zh: str
    used: tuple[int, ...] = ()


def check_facts(check: dict) -> list[str]:
    """Every fact a check reads (an any_of check reads its alternatives')."""
    if "any_of" in check:
        return [fact for alternative in check["any_of"] for fact in check_facts(alternative)]
    return [check["fact"]]


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


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _asks(check: dict, level: int) -> tuple[str, str]:
    """What the level asks for, e.g. ("level 3 asks for at least 60%", "3 级要求至少 60%")."""
    words, op, expected = phrase(check["fact"]), check["op"], check.get("value")
    if isinstance(words, Flag):
        wanted = (op == "==") == bool(expected)
        if wanted:
            return f"level {level} asks for {words.asks_en}", f"{level} 级要求{words.asks_zh}"
        return f"level {level} asks for no {words.thing_en}", f"{level} 级要求不存在{words.thing_zh}"
    if op == NOT_INCREASING:
        return f"level {level} asks that they do not rise", f"{level} 级要求其不上升"
    if op == "exists":
        return f"level {level} asks for the figure", f"{level} 级要求提供该数据"
    en, zh = _ASKS[op]
    figure_zh = write_value(words, expected, chinese=True)
    spacer = " " if figure_zh[:1].isdigit() else ""  # "至少 60%" but "至少每周 1 次"
    return (
        f"level {level} asks for {en} {write_value(words, expected, chinese=False)}",
        f"{level} 级要求{zh}{spacer}{figure_zh}",
    )


def _found(words: Flag | Figure, value, name: str) -> tuple[str, str]:
    """What a file shows: "No test job found in ci.yml" / "在 ci.yml 中未找到测试作业"."""
    if isinstance(words, Flag) and isinstance(value, bool):
        if value:
            return f"{_capital(words.thing_en)} found in {name}", f"在 {name} 中找到{words.thing_zh}"
        return f"No {words.thing_en} found in {name}", f"在 {name} 中未找到{words.thing_zh}"
    figure = words if isinstance(words, Figure) else Figure(words.thing_en, words.thing_zh)
    return (
        f"{_capital(figure.name_en)} in {name}: {write_value(figure, value, chinese=False)}",
        f"{name} 中的{figure.name_zh}：{write_value(figure, value, chinese=True)}",
    )


def _missing(words: Flag | Figure) -> tuple[str, str]:
    if isinstance(words, Flag):
        return (
            f"Nothing read so far says whether there is any {words.thing_en}",
            f"已读取的证据均未说明是否有{words.thing_zh}",
        )
    return f"No evidence read so far shows the {words.name_en}", f"已读取的证据均未显示{words.name_zh}"


def _with_asks(found: tuple[str, str], asks: tuple[str, str], holds: bool | None, used=()) -> _Outcome:
    return _Outcome(holds, f"{found[0]} ({asks[0]})", f"{found[1]}（{asks[1]}）", tuple(used))


def _compare(check: dict, evidence: list[EvidenceFacts], level: int) -> _Outcome:
    fact, op = check["fact"], check["op"]
    words, asks = phrase(fact), _asks(check, level)
    reporting = [item for item in evidence if fact in item.facts]
    if not reporting:
        return _with_asks(_missing(words), asks, None)
    if op == NOT_INCREASING:
        return _trend(words, fact, reporting, asks)
    source = reporting[0]
    actual = source.facts[fact]
    holds = _holds(op, actual, check.get("value"))
    found = _found(words, actual, source.name)
    if holds is None:
        found = (f"{found[0]}, which cannot be compared", f"{found[1]}，无法比较")
    return _with_asks(found, asks, holds, [source.evidence_id])


def _trend(words, fact: str, reporting: list[EvidenceFacts], asks) -> _Outcome:
    """The newest report against the one before it: a trend needs two reports of the same figure."""
    newest = reporting[0]
    if len(reporting) < 2:
        en, zh = _found(words, newest.facts[fact], newest.name)
        found = (f"{en}; a trend needs an earlier report as well", f"{zh}；判断趋势还需要一份更早的报告")
        return _with_asks(found, asks, None, [newest.evidence_id])
    before = reporting[1]
    now, then = newest.facts[fact], before.facts[fact]
    holds = _holds("<=", now, then)
    name = words if isinstance(words, Figure) else Figure(words.thing_en, words.thing_zh)
    found = (
        f"{_capital(name.name_en)} went from {write_value(name, then, chinese=False)} in {before.name} "
        f"to {write_value(name, now, chinese=False)} in {newest.name}",
        f"{name.name_zh}从 {before.name} 中的 {write_value(name, then, chinese=True)} "
        f"变为 {newest.name} 中的 {write_value(name, now, chinese=True)}",
    )
    return _with_asks(found, asks, holds, [newest.evidence_id, before.evidence_id])


def _any_of(check: dict, evidence: list[EvidenceFacts], level: int) -> _Outcome:
    outcomes = [_judge(alternative, evidence, level) for alternative in check["any_of"]]
    if any(outcome.holds for outcome in outcomes):
        holds = True
        outcomes = [outcome for outcome in outcomes if outcome.holds]  # what made it hold is what matters
    elif all(outcome.holds is False for outcome in outcomes):
        holds = False
    else:
        holds = None
    prefix_en, prefix_zh = ("", "") if holds else ("One of these would be enough: ", "满足其一即可：")
    return _Outcome(
        holds,
        prefix_en + "; or ".join(outcome.en for outcome in outcomes),
        prefix_zh + "；或".join(outcome.zh for outcome in outcomes),
        tuple(evidence_id for outcome in outcomes for evidence_id in outcome.used),
    )


def _judge(check: dict, evidence: list[EvidenceFacts], level: int) -> _Outcome:
    return _any_of(check, evidence, level) if "any_of" in check else _compare(check, evidence, level)


def _not_used(item: EvidenceFacts, read_facts: set[str]) -> tuple[str, str]:
    """Why an attached piece of evidence does not appear in the verdict."""
    if item.kind in FOR_PEOPLE:
        return (
            f"{item.name} is kept for review by a person: no machine reads it, and it was not used here",
            f"{item.name} 留待人工审阅：系统不自动读取，此处未使用",
        )
    kind_en, kind_zh = kind_name(item.kind, chinese=False), kind_name(item.kind, chinese=True)
    if read_facts & set(item.facts):
        return (
            f"{item.name} ({kind_en}) was not used: newer evidence gives the same figures",
            f"{item.name}（{kind_zh}）未使用：已有更新的证据提供同样的数据",
        )
    return (
        f"{item.name} ({kind_en}) was read but shows nothing this level asks about, so it was not used",
        f"{item.name}（{kind_zh}）已读取，但不含本级所需的数据，未使用",
    )


def evaluate(checks: list[dict], evidence: Iterable[EvidenceFacts], *, level: int) -> CheckVerdict | None:
    """The verdict of a criterion's checks at this level over its evidence; None when it has no checks."""
    if not checks:
        return None
    evidence = list(evidence)
    outcomes = [_judge(check, evidence, level) for check in checks]
    used = tuple(dict.fromkeys(evidence_id for outcome in outcomes for evidence_id in outcome.used))
    read_facts = {fact for check in checks for fact in check_facts(check)}
    lines = [(outcome.en, outcome.zh) for outcome in outcomes]
    lines += [_not_used(item, read_facts) for item in evidence if item.evidence_id not in used]
    if any(outcome.holds is False for outcome in outcomes):
        value = NOT_MET
    elif all(outcome.holds is True for outcome in outcomes):
        value = MET
    else:
        value = INCONCLUSIVE
    return CheckVerdict(
        value,
        " ".join(f"{en}." for en, _zh in lines),
        "".join(f"{zh}。" for _en, zh in lines),
        used,
    )
