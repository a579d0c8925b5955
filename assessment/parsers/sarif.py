"""SARIF 2.1.0 static-analysis logs (CodeQL, Semgrep, Bandit, ruff, ESLint, Trivy, gitleaks, …).

A finding is an open result whose effective level is error, warning or note. The level follows the SARIF 2.1.0
spec (§3.27.9, §3.27.10): a result whose `kind` is not "fail" ("pass", "notApplicable", "informational", "review",
"open") has level "none" whatever it says; otherwise its own `level`, else its rule's
`defaultConfiguration.level` (rule found by `ruleIndex`, `rule.index`, `ruleId` or `rule.id`), else "warning".
A result is suppressed (§3.27.23, §3.35.3) when its `suppressions` list is non-empty and none of them is
"underReview" or "rejected"; suppressed results are counted apart, not as findings.

Facts: sarif.runs, sarif.results.total (every result), sarif.findings.total, sarif.findings.error,
sarif.findings.warning, sarif.findings.note, sarif.results.none (results of level none), sarif.suppressed
(suppressed results of any level), sarif.tools (the drivers' names, comma-separated, in order of first appearance)
and, per tool, sarif.tool.<name>.error, .warning, .note and .suppressed (runs of the same tool add up; the first
MAX_TOOLS tools). `runs: null` (allowed by the spec for a tool that failed before any run) reads as zero runs.
"""

import json
import re

from assessment.parsers.base import ParseError, ParseResult, Source
from assessment.parsers.xmlstream import describe_size

MAX_DEPTH = 200
LEVELS = ("error", "warning", "note", "none")
COUNTED = (*LEVELS, "suppressed")
MAX_TOOLS = 20  # tools reported one by one; sarif.tools and the totals name and count them all
MAX_TOOL_NAME = 100
DEADLINE_EVERY = 4096  # results
_SCHEMA = re.compile(r'"\$schema"\s*:\s*"[^"]*sarif', re.IGNORECASE)
_VERSION = re.compile(r'"version"\s*:\s*"2\.1\.0"')
_RUNS = re.compile(r'"runs"\s*:\s*(?:\[|null)')
# A JSON string, or an unterminated one up to the end: every quote is consumed once, so stripping is linear.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*+(?:"|\\?\Z)', re.DOTALL)
_INNERMOST = re.compile(rb"\[\]|\{\}")
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")


def recognises(head: bytes) -> bool:
    """True when the head is a JSON object with `"version": "2.1.0"` and `"runs"`, or a SARIF `$schema`."""
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if not text.startswith("{"):
        return False
    return bool(_SCHEMA.search(text)) or bool(_VERSION.search(text) and _RUNS.search(text))


def parse(source: Source) -> ParseResult:
    """Findings by level and tool in a SARIF 2.1.0 log; raises ParseError for anything else."""
    log = _load(source)
    runs = log.get("runs")
    if runs is None:
        runs = []
    if not isinstance(runs, list):
        raise ParseError(f'"runs" must be a list of runs, not {_json_type(runs)}.')
    by_tool: dict[str, dict[str, int]] = {}
    for number, run in enumerate(runs, start=1):
        source.deadline.check()
        _count_run(run, number, by_tool, source)
    return _result(len(runs), by_tool)


def _load(source: Source) -> dict:
    """The log as Python objects: within the size cap, UTF-8, nested at most MAX_DEPTH deep, version 2.1.0."""
    max_bytes = source.limits.max_bytes
    data = source.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ParseError(f"The file is larger than {describe_size(max_bytes)}; it was not read.")
    if not data or data.isspace():
        raise ParseError("The file is empty.")
    _check_depth(data, source)
    source.deadline.check()
    try:
        log = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ParseError(f"The file is not valid UTF-8 (byte {error.start:,}).") from None
    except ValueError as error:  # JSONDecodeError, and integers too long to convert
        raise ParseError(f"The file is not valid JSON: {error}.") from None
    if not isinstance(log, dict):
        raise ParseError(f"A SARIF log is a JSON object, not {_json_type(log)}.")
    if log.get("version") != "2.1.0":
        raise ParseError(f"Only SARIF version 2.1.0 is read; this log says version {log.get('version')!r}.")
    return log


def _check_depth(data: bytes, source: Source) -> None:
    """Refuses nesting deeper than MAX_DEPTH before json (which recurses) sees it: strings are dropped, then one
    level of empty brackets is removed per pass."""
    skeleton = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    for _level in range(MAX_DEPTH):
        source.deadline.check()
        if not skeleton:
            return
        shorter = _INNERMOST.sub(b"", skeleton)
        if len(shorter) == len(skeleton):
            raise ParseError("The JSON is malformed or truncated: its brackets do not match.")
        skeleton = shorter
    if skeleton:
        raise ParseError(f"The JSON nests deeper than {MAX_DEPTH} levels; refused.")


def _count_run(run: object, number: int, by_tool: dict[str, dict[str, int]], source: Source) -> None:
    """Adds one run's results to its tool's counts (by level, and suppressed)."""
    run = _object(run, f"run {number}")
    driver = _object(_object(run.get("tool"), f"run {number}: tool").get("driver"), f"run {number}: tool.driver")
    name = driver.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ParseError(f"Run {number}: tool.driver.name must be a non-empty string.")
    rules = _list(driver.get("rules"), f"run {number}: tool.driver.rules")
    rules = [_object(rule, f"run {number}: a rule") for rule in rules]
    rules_by_id = {rule["id"]: rule for rule in rules if isinstance(rule.get("id"), str)}
    counts = by_tool.setdefault(" ".join(name.split())[:MAX_TOOL_NAME], dict.fromkeys(COUNTED, 0))
    results = _list(run.get("results"), f"run {number}: results")
    for index, result in enumerate(results, start=1):
        where = f"run {number}: result {index}"
        result = _object(result, where)
        level = _level(result, rules, rules_by_id)
        counts["suppressed" if _is_suppressed(result, where) else level] += 1
        if not index % DEADLINE_EVERY:
            source.deadline.check()


def _is_suppressed(result: dict, where: str) -> bool:
    """SARIF 2.1.0 §3.27.23: suppressed when suppressions are given and none is under review or rejected."""
    suppressions = _list(result.get("suppressions"), f"{where}: suppressions")
    statuses = [_object(entry, f"{where}: a suppression").get("status", "accepted") for entry in suppressions]
    return bool(statuses) and not any(status in ("underReview", "rejected") for status in statuses)


def _level(result: dict, rules: list[dict], rules_by_id: dict[str, dict]) -> str:
    """The result's effective level, by SARIF 2.1.0 §3.27.10."""
    if result.get("kind", "fail") != "fail":
        return "none"
    level = result.get("level")
    if level is None:
        rule = _rule(result, rules, rules_by_id)
        configuration = rule.get("defaultConfiguration") if rule else None
        level = configuration.get("level", "warning") if isinstance(configuration, dict) else "warning"
    if level not in LEVELS:
        raise ParseError(f"A result has level {str(level)[:40]!r}; SARIF levels are {', '.join(LEVELS)}.")
    return level


def _rule(result: dict, rules: list[dict], rules_by_id: dict[str, dict]) -> dict | None:
    reference = result.get("rule") if isinstance(result.get("rule"), dict) else {}
    index = result.get("ruleIndex", reference.get("index"))
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(rules):
        return rules[index]
    rule_id = result.get("ruleId", reference.get("id"))
    return rules_by_id.get(rule_id) if isinstance(rule_id, str) else None


def _object(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise ParseError(f"{where[0].upper()}{where[1:]} must be a JSON object, not {_json_type(value)}.")
    return value


def _list(value: object, where: str) -> list:
    """A list, or empty for an absent or null one."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(f"{where[0].upper()}{where[1:]} must be a list, not {_json_type(value)}.")
    return value


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _result(runs: int, by_tool: dict[str, dict[str, int]]) -> ParseResult:
    counts = {counted: sum(tool[counted] for tool in by_tool.values()) for counted in COUNTED}
    total = counts["error"] + counts["warning"] + counts["note"]
    facts: dict[str, int | float | bool | str] = {
        "sarif.runs": runs,
        "sarif.results.total": sum(counts.values()),
        "sarif.findings.total": total,
        "sarif.findings.error": counts["error"],
        "sarif.findings.warning": counts["warning"],
        "sarif.findings.note": counts["note"],
        "sarif.results.none": counts["none"],
        "sarif.suppressed": counts["suppressed"],
        "sarif.tools": ", ".join(by_tool),
    }
    for name, tool in list(by_tool.items())[:MAX_TOOLS]:
        for counted in ("error", "warning", "note", "suppressed"):
            facts[f"sarif.tool.{name}.{counted}"] = tool[counted]
    by_level = ", ".join(_count(counts[level], level) for level in ("error", "warning", "note"))
    tools_named = f" ({facts['sarif.tools']})" if by_tool else ""
    summary = f"{_count(runs, 'run')}{tools_named}: {_count(total, 'finding')}, {by_level}"
    if counts["suppressed"]:
        summary += f"; {counts['suppressed']:,} suppressed"
    return ParseResult(kind="sarif", facts=facts, summary=summary)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
