"""SARIF 2.1.0 logs: real bandit and ruff output, level defaults, wrong types and hostile JSON."""

import json
import time

import pytest

from assessment.parsers import sarif
from assessment.parsers.base import ParseError

from .conftest import SAMPLES


def log_with(*runs, **top) -> bytes:
    return json.dumps({"version": "2.1.0", "runs": list(runs), **top}).encode()


def run_of(name="Scanner", results=(), rules=None) -> dict:
    driver = {"name": name} if rules is None else {"name": name, "rules": rules}
    return {"tool": {"driver": driver}, "results": list(results)}


def test_bandit_result_without_level_defaults_to_warning(read):
    data = (SAMPLES / "bandit.sarif").read_bytes()
    assert sarif.recognises(data[: 64 * 1024])

    result = read(sarif, data)

    assert result.kind == "sarif"
    assert result.facts == {
        "sarif.runs": 1,
        "sarif.findings.total": 6,
        "sarif.findings.error": 1,
        "sarif.findings.warning": 1,
        "sarif.findings.note": 4,
        "sarif.results.total": 6,
        "sarif.results.none": 0,
        "sarif.suppressed": 0,
        "sarif.tools": "Bandit",
        "sarif.tool.Bandit.error": 1,
        "sarif.tool.Bandit.warning": 1,
        "sarif.tool.Bandit.note": 4,
        "sarif.tool.Bandit.suppressed": 0,
    }
    assert result.summary == "1 run (Bandit): 6 findings, 1 error, 1 warning, 4 notes"


def test_ruff_report_is_recognised_by_its_schema(read):
    data = (SAMPLES / "ruff.sarif").read_bytes()
    assert sarif.recognises(data[: data.index(b'"runs"')])  # ruff writes "version" last

    facts = read(sarif, data).facts

    assert (facts["sarif.runs"], facts["sarif.findings.error"], facts["sarif.findings.total"]) == (1, 4, 4)
    assert facts["sarif.tools"] == "ruff"


def test_several_runs_name_each_tool_once(read):
    log = log_with(
        run_of("CodeQL", [{"level": "error", "message": {"text": "x"}}]),
        run_of("Semgrep", [{"level": "note"}, {"level": "warning"}]),
        run_of("CodeQL"),
    )

    result = read(sarif, log)

    assert result.facts["sarif.runs"] == 3
    assert result.facts["sarif.tools"] == "CodeQL, Semgrep"
    assert result.summary == "3 runs (CodeQL, Semgrep): 3 findings, 1 error, 1 warning, 1 note"


def test_missing_level_takes_the_rules_default_configuration(read):
    rules = [
        {"id": "R1", "defaultConfiguration": {"level": "error"}},
        {"id": "R2", "defaultConfiguration": {"level": "note"}},
        {"id": "R3"},
    ]
    results = [
        {"ruleIndex": 0},  # error, by index
        {"ruleId": "R2"},  # note, by id
        {"rule": {"id": "R1"}},  # error, by reference
        {"rule": {"index": 1}},  # note, by reference index
        {"ruleId": "R3"},  # a rule without defaultConfiguration: warning
        {"ruleId": "unknown"},  # warning
        {},  # warning
        {"ruleId": "R1", "level": "note"},  # the result's own level wins
    ]

    facts = read(sarif, log_with(run_of(results=results, rules=rules))).facts

    assert (facts["sarif.findings.error"], facts["sarif.findings.warning"], facts["sarif.findings.note"]) == (2, 3, 3)
    assert facts["sarif.findings.total"] == 8


def test_results_of_other_kinds_are_not_findings(read):
    results = [{"kind": "pass"}, {"kind": "notApplicable"}, {"kind": "informational"}, {"level": "none"}, {}]

    facts = read(sarif, log_with(run_of(results=results))).facts

    assert facts["sarif.findings.total"] == 1
    assert facts["sarif.findings.warning"] == 1


def test_null_runs_and_null_results_read_as_none(read):
    assert read(sarif, log_with(run_of(results=()))).facts["sarif.findings.total"] == 0
    assert read(sarif, json.dumps({"version": "2.1.0", "runs": None}).encode()).facts["sarif.runs"] == 0
    no_results = {"tool": {"driver": {"name": "x"}}, "results": None}
    assert read(sarif, log_with(no_results)).facts["sarif.findings.total"] == 0


def test_a_utf8_bom_is_accepted(read):
    assert read(sarif, b"\xef\xbb\xbf" + log_with(run_of())).facts["sarif.runs"] == 1


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        ({"version": "2.1.0", "runs": {"tool": {}}}, '"runs" must be a list of runs, not an object'),
        ({"version": "2.1.0", "runs": "many"}, '"runs" must be a list of runs, not a string'),
        ({"version": "2.1.0", "runs": [42]}, "Run 1 must be a JSON object, not a number"),
        ({"version": "2.1.0", "runs": [{"results": []}]}, "Run 1: tool must be a JSON object, not null"),
        ({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}, "tool.driver.name must be a non-empty string"),
        ({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": 7}}}]}, "tool.driver.name"),
        ({"version": "2.1.0", "runs": [run_of(results=["oops"])]}, "Run 1: result 1 must be a JSON object"),
        ({"version": "2.1.0", "runs": [run_of(results=[{}, None])]}, "Run 1: result 2 must be a JSON object"),
        ({"version": "2.1.0", "runs": [{**run_of(), "results": {"a": 1}}]}, "results must be a list, not an object"),
        ({"version": "2.1.0", "runs": [run_of(rules="R1")]}, "rules must be a list, not a string"),
        ({"version": "2.1.0", "runs": [run_of(rules=[1])]}, "a rule must be a JSON object"),
        ({"version": "2.1.0", "runs": [run_of(results=[{"level": "fatal"}])]}, "level 'fatal'"),
        ({"version": "2.1.0", "runs": [run_of(results=[{"level": ["error"]}])]}, "SARIF levels are"),
        ({"version": "2.0.0", "runs": []}, "this log says version '2.0.0'"),
        ({"runs": []}, "version None"),
        ([{"version": "2.1.0"}], "is a JSON object, not a list"),
    ],
)
def test_wrong_types_are_refused_with_where_they_are(read, log, expected):
    with pytest.raises(ParseError) as caught:
        read(sarif, json.dumps(log).encode())

    assert expected in caught.value.reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b'{"version": "2.1.0", "runs": [', "brackets do not match"),
        (b'{"version": "2.1.0", "runs": []', "brackets do not match"),
        (b'{"version": "2.1.0", "runs": [}', "brackets do not match"),
        (b'{"version": "2.1.0", "runs": [] "x"}', "not valid JSON"),
        (b'{"version": "2.1.0", "runs": "\xff"}', "not valid UTF-8"),
        (b'{"version": "2.1.0", "runs": [], "n": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b'{"version": "2.1.0", "runs": "unterminated', "malformed or truncated"),
    ],
)
def test_broken_json_gives_a_readable_reason(read, data, expected):
    with pytest.raises(ParseError) as caught:
        read(sarif, data)

    assert expected in caught.value.reason


@pytest.mark.parametrize("depth", [201, 100_000])
def test_deep_nesting_is_refused_before_json_recurses(read, depth):
    data = b'{"version": "2.1.0", "runs": [], "properties": ' + b"[" * depth + b"]" * depth + b"}"

    with pytest.raises(ParseError, match="deeper than 200 levels"):
        read(sarif, data)


def test_nesting_up_to_the_limit_and_brackets_inside_strings_are_fine(read):
    nested = "[" * 198 + "]" * 198  # 200 levels with the log object and "properties" array
    log = f'{{"version": "2.1.0", "runs": [], "p": {nested}, "s": "[[[[{{{{ \\" ]]]"}}'

    assert read(sarif, log.encode()).facts["sarif.runs"] == 0


def test_an_unterminated_string_of_escaped_quotes_is_handled_in_linear_time(read):
    data = b'{"version": "2.1.0", "runs": "' + b'\\"' * 2_000_000

    started = time.monotonic()
    with pytest.raises(ParseError):
        read(sarif, data)
    assert time.monotonic() - started < 2.0


def test_size_cap_reads_at_most_one_byte_more(read):
    log = log_with(run_of())

    with pytest.raises(ParseError, match=f"larger than {len(log) - 1:,} bytes"):
        read(sarif, log, max_bytes=len(log) - 1)
    assert read(sarif, log, max_bytes=len(log)).facts["sarif.runs"] == 1


def test_the_deadline_stops_a_long_read(read):
    log = log_with(run_of(results=[{"level": "note"}] * 10_000))

    with pytest.raises(ParseError, match="took longer than"):
        read(sarif, log, seconds=0)


@pytest.mark.parametrize(
    "head",
    [
        b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"',
        b'\xef\xbb\xbf{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "runs": [',
        b'{"$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"',
        b'  {"runs": [], "version": "2.1.0"}',
    ],
)
def test_recognises_sarif_heads(head):
    assert sarif.recognises(head)


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b'{"version": "2.1.0"}',  # no runs
        b'{"name": "package", "version": "2.1.0", "scripts": {}}',
        b'[{"version": "2.1.0", "runs": []}]',
        b'<testsuite name="sarif"/>',
        b'{"deployments": [{"runs": 3, "version": "2.1.0"',  # "runs" that is not a list
    ],
)
def test_does_not_recognise_other_heads(head):
    assert not sarif.recognises(head)


def test_suppressed_results_are_counted_apart_from_findings(read):
    results = [
        {"level": "error", "suppressions": [{"kind": "inSource"}]},  # no status: accepted
        {"level": "error", "suppressions": [{"kind": "external", "status": "accepted"}]},
        {"level": "error", "suppressions": [{"kind": "external", "status": "underReview"}]},  # still open
        {"level": "warning", "suppressions": [{"status": "accepted"}, {"status": "rejected"}]},  # still open
        {"level": "note", "suppressions": []},  # an empty list suppresses nothing
    ]

    result = read(sarif, log_with(run_of("CodeQL", results)))

    facts = result.facts
    assert (facts["sarif.findings.error"], facts["sarif.findings.warning"], facts["sarif.findings.note"]) == (1, 1, 1)
    assert (facts["sarif.suppressed"], facts["sarif.results.total"]) == (2, 5)
    assert facts["sarif.tool.CodeQL.suppressed"] == 2
    assert result.summary == "1 run (CodeQL): 3 findings, 1 error, 1 warning, 1 note; 2 suppressed"


def test_a_result_of_another_kind_is_level_none_whatever_level_it_claims(read):
    results = [{"kind": "pass", "level": "error"}, {"kind": "informational"}, {"kind": "fail", "level": "note"}]

    facts = read(sarif, log_with(run_of(results=results))).facts

    assert (facts["sarif.findings.error"], facts["sarif.results.none"], facts["sarif.findings.note"]) == (0, 2, 1)


def test_counts_are_given_per_tool_and_runs_of_one_tool_add_up(read):
    log = log_with(
        run_of("Semgrep OSS", [{"level": "error"}]),
        run_of("ESLint", [{"level": "warning"}, {"level": "warning"}]),
        run_of("Semgrep  OSS", [{"level": "error"}, {"level": "note"}]),
    )

    facts = read(sarif, log).facts

    assert facts["sarif.tools"] == "Semgrep OSS, ESLint"
    assert (facts["sarif.tool.Semgrep OSS.error"], facts["sarif.tool.Semgrep OSS.note"]) == (2, 1)
    assert facts["sarif.tool.ESLint.warning"] == 2


def test_per_tool_facts_are_bounded(read):
    log = log_with(*(run_of(f"tool-{number}-" + "y" * 500, [{"level": "note"}]) for number in range(40)))

    facts = read(sarif, log).facts

    assert sum(name.endswith(".note") and name.startswith("sarif.tool.") for name in facts) == sarif.MAX_TOOLS
    assert facts["sarif.findings.note"] == 40
    assert max(len(name) for name in facts) < 150


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"suppressions": {"status": "accepted"}}, "suppressions must be a list, not an object"),
        ({"suppressions": ["accepted"]}, "a suppression must be a JSON object, not a string"),
    ],
)
def test_malformed_suppressions_are_refused_with_where_they_are(read, result, expected):
    with pytest.raises(ParseError) as caught:
        read(sarif, log_with(run_of(results=[result])))

    assert expected in caught.value.reason
