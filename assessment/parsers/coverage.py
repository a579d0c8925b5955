"""Coverage reports: Cobertura XML (coverage.py, gcovr, Istanbul, Coverlet, Cobertura itself) and JaCoCo XML.

Cobertura: the root's `line-rate`, `lines-valid`, `lines-covered`, `branch-rate` and `branches-valid`; when the
root lacks them, they are counted from the `<line>` elements (`hits`, `condition-coverage="50% (1/2)"`).
JaCoCo: the report-level LINE and BRANCH counters, rate = covered / (covered + missed). The JaCoCo DOCTYPE is
parsed but its DTD is never loaded.

Facts: coverage.format ("cobertura" or "jacoco"), coverage.lines_valid, coverage.lines_covered,
coverage.line_rate (left out when there are no lines), and, only when branches were measured,
coverage.branch_rate, coverage.branches_valid and coverage.branches_covered. A report written without branch
measurement says branch-rate="0"; that is "not measured", not "no branch covered".

A JaCoCo aggregate (Maven `report-aggregate`, Ant `<group>`) holds one `<group>` per module: each top-level group's
own LINE and BRANCH counters give coverage.groups (how many) and coverage.group.<name>.line_rate and
.branch_rate (each only when measured), for the first MAX_GROUPS groups; the report-level figures stay the whole.
"""

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from assessment.parsers.base import ParseError, ParseResult, Source
from assessment.parsers.xmlstream import iter_elements, read_prolog

ROOTS = frozenset({"coverage", "report"})
DEADLINE_EVERY = 4096  # elements
_LINE_RATE = re.compile(r"\sline-rate\s*=")
_CONDITIONS = re.compile(r"\((\d{1,9})/(\d{1,9})\)")
_DISPLAY_NAMES = {"cobertura": "Cobertura", "jacoco": "JaCoCo"}
MAX_GROUPS = 200  # module groups reported one by one; the report-level figures still cover them all
MAX_GROUP_NAME = 100


@dataclass
class _Tally:
    lines_valid: int = 0
    lines_covered: int = 0
    branches_valid: int = 0
    branches_covered: int = 0


def recognises(head: bytes) -> bool:
    """True for a Cobertura head (root <coverage> with line-rate or <packages>) or a JaCoCo head (root <report>
    with the JaCoCo DOCTYPE, <sessioninfo> or <counter>)."""
    prolog = read_prolog(head)
    if prolog is None:
        return False
    if prolog.root == "coverage":
        return bool(_LINE_RATE.search(prolog.start_tag)) or "<packages" in prolog.body
    if prolog.root == "report":
        return "JACOCO" in prolog.doctype.upper() or "<sessioninfo" in prolog.body or "<counter" in prolog.body
    return False


def parse(source: Source) -> ParseResult:
    """Line and branch coverage of a Cobertura or JaCoCo report; raises ParseError for anything else."""
    elements = iter_elements(source, roots=ROOTS, expected="<coverage> or <report>: not a coverage report")
    first = next(elements, None)
    if first is None:  # iter_elements raises first; kept for type narrowing
        raise ParseError("The file holds no XML element.")
    root = first.getroottree().getroot()
    if root.tag == "coverage":
        return _cobertura(source, root, _chain(first, elements))
    return _jacoco(source, root, _chain(first, elements))


def _chain(first: etree._Element, rest: Iterator[etree._Element]) -> Iterator[etree._Element]:
    yield first
    yield from rest


def _cobertura(source: Source, root: etree._Element, elements: Iterator[etree._Element]) -> ParseResult:
    declared = dict(root.attrib)
    counted, lines_seen = _Tally(), False
    for number, element in enumerate(elements, start=1):
        if element.tag == "line" and _is_class_line(element):
            lines_seen = True
            _count_line(element, counted)
        if not number % DEADLINE_EVERY:
            source.deadline.check()
    if not lines_seen and "line-rate" not in declared:
        raise ParseError("This <coverage> file has no line-rate and no <lines>: not a Cobertura report.")
    tally = _Tally(
        lines_valid=_count_attribute(declared, "lines-valid", counted.lines_valid),
        lines_covered=_count_attribute(declared, "lines-covered", counted.lines_covered),
        branches_valid=_count_attribute(declared, "branches-valid", counted.branches_valid),
        branches_covered=_count_attribute(declared, "branches-covered", counted.branches_covered),
    )
    return _result("cobertura", tally, _rate_attribute(declared, "line-rate"), _rate_attribute(declared, "branch-rate"))


def _is_class_line(element: etree._Element) -> bool:
    """A <line> of class/lines; method/lines repeat the same lines."""
    lines = element.getparent()
    if lines is None or lines.tag != "lines":
        return False
    owner = lines.getparent()
    return owner is not None and owner.tag == "class"


def _count_line(element: etree._Element, tally: _Tally) -> None:
    tally.lines_valid += 1
    hits = element.get("hits", "0")
    if hits.strip() not in ("0", ""):
        tally.lines_covered += 1
    conditions = _CONDITIONS.search(element.get("condition-coverage", ""))
    if conditions:
        covered, valid = int(conditions.group(1)), int(conditions.group(2))
        tally.branches_valid += valid
        tally.branches_covered += min(covered, valid)


def _count_attribute(declared: dict[str, str], name: str, counted: int) -> int:
    """A root count attribute when present and sane, else what the elements counted."""
    try:
        value = int(declared[name])
    except (KeyError, ValueError):
        return counted
    if value < 0:
        raise ParseError(f'The root attribute {name}="{declared[name]}" is negative.')
    return value


def _rate_attribute(declared: dict[str, str], name: str) -> float | None:
    try:
        value = float(declared[name])
    except (KeyError, ValueError):
        return None
    if math.isnan(value):
        return None
    if not 0.0 <= value <= 1.0:
        raise ParseError(f'The root attribute {name}="{declared[name]}" is not a ratio between 0 and 1.')
    return value


def _jacoco(source: Source, root: etree._Element, elements: Iterator[etree._Element]) -> ParseResult:
    counters: dict[str, tuple[int, int]] = {}
    groups: dict[str, _Tally] = {}
    is_jacoco = False
    for number, element in enumerate(elements, start=1):
        parent = element.getparent()
        if parent is root:
            is_jacoco = is_jacoco or element.tag in ("sessioninfo", "package", "group", "counter")
            if element.tag == "counter":
                counters[element.get("type", "")] = _counter(element)
        elif element.tag == "counter" and parent is not None and parent.tag == "group" and parent.getparent() is root:
            _count_group(groups, parent.get("name", ""), element)
        if not number % DEADLINE_EVERY:
            source.deadline.check()
    if not is_jacoco:
        raise ParseError("This <report> has no sessioninfo, package, group or counter: not a JaCoCo report.")
    result = _result("jacoco", _tally_of(counters), None, None)
    return _with_groups(result, groups) if groups else result


def _tally_of(counters: dict[str, tuple[int, int]]) -> _Tally:
    lines_missed, lines_covered = counters.get("LINE", (0, 0))
    branches_missed, branches_covered = counters.get("BRANCH", (0, 0))
    return _Tally(lines_missed + lines_covered, lines_covered, branches_missed + branches_covered, branches_covered)


def _count_group(groups: dict[str, _Tally], name: str, counter: etree._Element) -> None:
    """Adds a top-level group's own LINE or BRANCH counter; groups of the same name add up."""
    kind = counter.get("type")
    if kind not in ("LINE", "BRANCH"):
        return
    name = " ".join(name.split())[:MAX_GROUP_NAME] or "(unnamed)"
    if name not in groups and len(groups) >= MAX_GROUPS:
        return
    missed, covered = _counter(counter)
    tally = groups.setdefault(name, _Tally())
    if kind == "LINE":
        tally.lines_valid += missed + covered
        tally.lines_covered += covered
    else:
        tally.branches_valid += missed + covered
        tally.branches_covered += covered


def _with_groups(result: ParseResult, groups: dict[str, _Tally]) -> ParseResult:
    facts = dict(result.facts)
    facts["coverage.groups"] = len(groups)
    for name, tally in groups.items():
        if tally.lines_valid:
            facts[f"coverage.group.{name}.line_rate"] = tally.lines_covered / tally.lines_valid
        if tally.branches_valid:
            facts[f"coverage.group.{name}.branch_rate"] = tally.branches_covered / tally.branches_valid
    noun = "module group" if len(groups) == 1 else "module groups"
    summary = result.summary.removesuffix(" (JaCoCo)") + f" in {len(groups):,} {noun} (JaCoCo)"
    return ParseResult(kind=result.kind, facts=facts, summary=summary)


def _counter(element: etree._Element) -> tuple[int, int]:
    """(missed, covered) of a JaCoCo <counter>."""
    try:
        missed, covered = int(element.get("missed", "")), int(element.get("covered", ""))
    except ValueError:
        raise ParseError(f"A JaCoCo {element.get('type')} counter has a missing or non-numeric count.") from None
    if missed < 0 or covered < 0:
        raise ParseError(f"A JaCoCo {element.get('type')} counter has a negative count.")
    return missed, covered


def _result(kind: str, tally: _Tally, line_rate: float | None, branch_rate: float | None) -> ParseResult:
    """Facts from the tally; a declared rate wins over one computed from the counts."""
    if tally.lines_covered > tally.lines_valid:
        raise ParseError(f"The report says {tally.lines_covered:,} of {tally.lines_valid:,} lines are covered.")
    if tally.branches_covered > tally.branches_valid:
        raise ParseError(
            f"The report says {tally.branches_covered:,} of {tally.branches_valid:,} branches are covered."
        )
    facts: dict[str, int | float | bool | str] = {
        "coverage.format": kind,
        "coverage.lines_valid": tally.lines_valid,
        "coverage.lines_covered": tally.lines_covered,
    }
    if line_rate is None and tally.lines_valid:
        line_rate = tally.lines_covered / tally.lines_valid
    if not tally.lines_valid:
        summary = "no measurable lines"
    else:
        facts["coverage.line_rate"] = line_rate
        summary = f"{line_rate:.1%} of {tally.lines_valid:,} lines covered"
    if tally.branches_valid:
        if branch_rate is None:
            branch_rate = tally.branches_covered / tally.branches_valid
        facts["coverage.branch_rate"] = branch_rate
        facts["coverage.branches_valid"] = tally.branches_valid
        facts["coverage.branches_covered"] = tally.branches_covered
        summary += f", {branch_rate:.1%} of {tally.branches_valid:,} branches"
    return ParseResult(kind=kind, facts=facts, summary=f"{summary} ({_DISPLAY_NAMES[kind]})")
