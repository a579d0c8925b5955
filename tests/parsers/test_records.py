"""Deployment and incident records: figures from CSV and JSON, and per-row rejects for broken or hostile rows."""

import contextlib
import io
import json
import time

import pytest

from assessment.parsers import records
from assessment.parsers.base import ParseError
from assessment.parsers.reading import read_evidence

from .conftest import SAMPLES
from .fuzz import evidence, mutations

HEADER = "environment,started_at,finished_at,result\n"


def deployments(data: bytes | str, **limits):
    return records.parse_deployments(evidence(data.encode() if isinstance(data, str) else data, **limits))


def incidents(data: bytes | str, **limits):
    return records.parse_incidents(evidence(data.encode() if isinstance(data, str) else data, **limits))


def refusal(parse, data: bytes | str, **limits) -> str:
    with pytest.raises(ParseError) as error:
        parse(data, **limits)
    return error.value.reason


def recognised(data: bytes | str) -> list[str]:
    data = data.encode() if isinstance(data, str) else data
    return [kind for kind, recognises, _parse in records.KINDS if recognises(data[:65536])]


def row(environment="production", started="2026-11-02T10:00:00+08:00", finished=None, result="success") -> str:
    return f"{environment},{started},{finished or started},{result}\n"


# Samples and recognition


def test_deployments_sample():
    result = deployments((SAMPLES / "deployments.csv").read_bytes())

    assert result.kind == "deployments"
    assert result.facts == {
        "deployments.count": 9,  # staging, a naive time and a cancelled run are not counted
        "deployments.rejected_rows": 2,
        "deployments.period_days": 13.88,
        "deployments.per_week": 4.54,
        "deployments.max_per_day": 2,
        "deployments.change_fail_rate": 0.3333,
        "deployments.recovery_hours": 9.22,  # median of 1.52 h and 16.93 h
        "deployments.rework_rate": 0.2222,
    }
    assert "row 8: started_at '2026-10-12 09:00:00' has no UTC offset" in result.summary
    assert "row 12: result 'cancelled' is neither success nor failure" in result.summary


def test_incidents_sample():
    result = incidents((SAMPLES / "incidents.json").read_bytes())

    assert result.kind == "incidents"
    assert result.facts == {
        "incidents.count": 4,
        "incidents.open": 1,
        "incidents.rejected_rows": 1,  # opened_at without an offset
        "incidents.period_days": 13.14,
        "incidents.mttr_hours": 16.83,
        "incidents.by_severity.p1": 1,
        "incidents.by_severity.p2": 1,
        "incidents.by_severity.p3": 2,
    }


@pytest.mark.parametrize(("name", "kind"), [("deployments.csv", "deployments"), ("incidents.json", "incidents")])
def test_samples_are_recognised_as_their_kind_only_and_through_the_dispatcher(name, kind):
    data = (SAMPLES / name).read_bytes()

    assert recognised(data) == [kind]
    assert read_evidence(io.BytesIO(data), name=name).kind == kind


@pytest.mark.parametrize(
    ("data", "kinds"),
    [
        ("env;deployed_at;status\n", ["deployments"]),
        ("环境,开始时间,结束时间,结果\n", ["deployments"]),
        ("Opened At,Resolved At,Severity\n", ["incidents"]),
        ("created,closed,title\n", ["incidents"]),
        ('[{"type": "deployment", "external_id": "1"}, {"type": "incident"}]', ["deployments"]),
        ('{"incidents": [{"opened_at": "x", "severity": "P1"}]}', ["incidents"]),
        ('{"version": "2.1.0", "runs": [{"results": [{"level": "error"}]}]}', []),  # SARIF
        ("name,score\nalice,3\n", []),
        ("environment,started_at,resolved_at,result\n", ["incidents"]),  # a resolution time is decisive
    ],
)
def test_recognisers_read_the_header_or_json_fields(data, kinds):
    assert recognised(data) == kinds


# Deployment figures


def test_per_week_is_over_at_least_one_week_and_days_are_local():
    data = HEADER + row(started="2026-11-02T23:30:00+08:00") + row(started="2026-11-02T16:00:00Z")
    data += row(started="2026-11-03T01:00:00+08:00")

    facts = deployments(data).facts

    assert facts["deployments.per_week"] == 3.0
    assert facts["deployments.max_per_day"] == 2  # 2 Nov, 3 Nov 00:00+08:00 and 3 Nov 01:00+08:00 by own offsets
    assert facts["deployments.period_days"] == 0.06


def test_recovery_runs_from_the_first_failure_to_the_next_success():
    data = HEADER + row(started="2026-11-02T10:00:00Z", result="failure")
    data += row(started="2026-11-02T11:00:00Z", result="failed")
    data += row(started="2026-11-02T14:00:00Z", result="success")
    data += row(started="2026-11-03T10:00:00Z", result="failure")  # never recovered: left out

    facts = deployments(data).facts

    assert facts["deployments.recovery_hours"] == 4.0
    assert facts["deployments.change_fail_rate"] == 0.75
    assert "deployments.rework_rate" not in facts  # no rollback/hotfix column


def test_only_production_counts():
    data = HEADER + row(environment="staging") + row(environment="PRD") + row(environment="生产环境")

    assert deployments(data).facts["deployments.count"] == 2


def test_no_production_rows_gives_a_count_of_zero_and_no_rates():
    result = deployments(HEADER + row(environment="staging"))

    assert result.facts == {"deployments.count": 0, "deployments.rejected_rows": 0}
    assert result.summary == "No production deployments among 1 readable row(s)"


def test_events_api_format_skips_other_event_types():
    events = [
        {"type": "deployment", "environment": "production", "started_at": "2026-11-02T10:00:00Z",
         "finished_at": "2026-11-02T10:05:00Z", "result": "success", "commit_sha": "abc"},
        {"type": "change", "commit_sha": "abc", "authored_at": "2026-11-01T10:00:00Z"},
        {"type": "incident", "opened_at": "2026-11-02T11:00:00Z"},
    ]  # fmt: skip

    facts = deployments(json.dumps(events)).facts

    assert facts["deployments.count"] == 1
    assert facts["deployments.rejected_rows"] == 0


def test_json_lines_are_read():
    lines = [
        {"environment": "prod", "deployed_at": "2026-11-02T10:00:00Z", "status": "ok"},
        {"environment": "prod", "deployed_at": "2026-11-03T10:00:00Z", "status": "failed"},
    ]
    data = "\n".join(json.dumps(line) for line in lines) + "\n{broken\n"

    facts = deployments(data).facts

    assert facts["deployments.count"] == 2
    assert facts["deployments.rejected_rows"] == 1


# Per-row rejects


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (row(started="2026-11-02 10:00:00"), "has no UTC offset"),
        (row(started="2026-11-02"), "has no UTC offset"),
        (row(started="02/11/2026 10:00"), "is not an ISO-8601 time"),
        (row(started="2026-11-02T12:00:00Z", finished="2026-11-02T11:00:00Z"), "finished before it started"),
        (row(result="running"), "neither success nor failure"),
        (row(environment=""), "environment is empty"),
        ("production,=NOW(),=NOW(),=1+1\n", "neither success nor failure"),  # formulas are text, never evaluated
        ("production,,,success\n", "there is no start or finish time"),
        ("production\n", "result is empty"),
        ("production,2026-11-02T10:00:00Z,2026-11-02T10:00:00Z,succ\x00ess\n", "NUL byte"),
    ],
)
def test_bad_rows_are_rejected_with_a_reason(bad_row, reason):
    result = deployments(HEADER + row() + bad_row)

    assert result.facts["deployments.count"] == 1
    assert result.facts["deployments.rejected_rows"] == 1
    assert reason in result.summary


def test_formula_in_environment_is_just_an_unknown_environment():
    data = HEADER + '"=HYPERLINK(""http://evil.example"",""x"")",2026-11-02T10:00:00Z,,success\n' + row()

    result = deployments(data)

    assert result.facts["deployments.count"] == 1
    assert result.facts["deployments.rejected_rows"] == 0


def test_ten_megabyte_field_is_rejected_and_reading_goes_on():
    data = (HEADER + row()).encode() + b'production,"' + b"x" * 10_000_000 + b'",x,success\n' + row().encode()
    started = time.monotonic()

    result = deployments(data)

    assert result.facts["deployments.count"] == 2
    assert result.facts["deployments.rejected_rows"] >= 1
    assert "longer than 262,144 bytes" in result.summary
    assert time.monotonic() - started < 3


def test_field_above_the_limit_is_rejected():
    result = deployments(HEADER + row() + row(environment="p" * 200), max_csv_field=100)

    assert result.facts["deployments.rejected_rows"] == 1
    assert "a field is longer than 100 characters" in result.summary


def test_mixed_encodings_reject_the_rows_that_are_not_utf8():
    data = (HEADER + row(environment="生产")).encode() + row(environment="生产").encode("gbk") + row().encode()

    result = deployments(data)

    assert result.facts["deployments.count"] == 2
    assert result.facts["deployments.rejected_rows"] == 1
    assert "row 3: it has bytes that are not valid in the file's encoding" in result.summary


def test_ascii_file_with_chinese_rows_in_gbk_is_read_as_gb18030():
    data = (HEADER + row()).encode() + row(environment="生产").encode("gbk")

    assert deployments(data).facts["deployments.count"] == 2


def test_gb18030_excel_export_with_bom_less_chinese_header():
    text = "环境,开始时间,结束时间,结果\n生产,2026-11-02T10:00:00+08:00,2026-11-02T10:05:00+08:00,成功\n"
    data = text.encode("gb18030")

    assert recognised(data) == ["deployments"]
    assert deployments(data).facts["deployments.count"] == 1


def test_bom_semicolons_crlf_and_quoted_newlines():
    data = "\ufeffEnvironment;Started At;Finished At;Result;Commit\r\n"
    data += 'production;2026-11-02T10:00:00Z;2026-11-02T10:05:00Z;success;"abc\r\nfix: two lines"\r\n'
    data += "production;2026-11-03T10:00:00Z;2026-11-03T10:05:00Z;failure;def\r\n"

    facts = deployments(data).facts

    assert facts["deployments.count"] == 2
    assert facts["deployments.rejected_rows"] == 0


def test_old_mac_line_endings():
    data = (HEADER + row() + row(started="2026-11-03T10:00:00Z")).replace("\n", "\r")

    assert deployments(data).facts["deployments.count"] == 2


# Whole-file refusals


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("environment,result\nproduction,success\n", "lack required columns (finished_at: finished_at"),
        ("started_at,result\n2026-11-02T10:00:00Z,success\n", "lack required columns (environment: environment"),
        (HEADER, "No deployment row could be read."),
        ("", "The deployment records are empty."),
        (HEADER + row(started="yesterday") + row(result="?"), "No deployment row could be read; 2 row(s) rejected"),
        ("\ufeff".encode("utf-16") + HEADER.encode("utf-16-le"), "look like UTF-16"),
        ((HEADER + row(environment="caf\xe9")).encode("latin-1") * 2, "not valid in the file's encoding"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('[{"environment": "prod",\n "result": }]', "JSON syntax error at line 2, column 12: Expecting value."),
        ('[{"environment": ' + "9" * 5000 + "}]", "cannot be read"),
        ('"just a string"', "lack required columns"),  # not JSON records, so read as a CSV header
        ("[1, 2]", "lack required columns"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, reason):
    assert reason in refusal(deployments, data)


def test_row_cap():
    data = HEADER + row() * 6

    assert "more than 5 rows" in refusal(deployments, data, max_csv_rows=5)
    assert "more than 5 records" in refusal(deployments, json.dumps([{"environment": "prod"}] * 6), max_csv_rows=5)


def test_deeply_nested_json_values_are_rejected_per_row():
    data = json.dumps([{"environment": {"name": "prod"}, "deployed_at": "2026-11-02T10:00:00Z", "result": "ok"}])

    assert "environment is not a single value" in refusal(deployments, data)


# Incidents


def test_incident_csv_with_open_and_bad_rows_and_many_severities():
    data = "Opened At,Resolved At,Severity,Title\n"
    data += "2026-11-02T10:00:00Z,2026-11-02T12:00:00Z,SEV 1,Outage\n"
    data += "2026-11-03T10:00:00Z,,SEV-2,Slow\n"
    data += "2026-11-04T10:00:00Z,2026-11-04T09:00:00Z,SEV 2,Time travel\n"
    data += "2026-11-05T10:00:00Z,2026-11-05T11:00:00Z,,No severity\n"

    result = incidents(data)

    assert result.facts == {
        "incidents.count": 3,
        "incidents.open": 1,
        "incidents.rejected_rows": 1,
        "incidents.period_days": 3.0,
        "incidents.mttr_hours": 1.5,
        "incidents.by_severity.sev_1": 1,
        "incidents.by_severity.sev_2": 1,
    }
    assert "resolved before it was opened" in result.summary


def test_rare_severities_are_grouped():
    data = "opened_at,resolved_at,severity\n" + "".join(
        f"2026-11-02T10:00:00Z,2026-11-02T11:00:00Z,level-{index}\n" for index in range(25)
    )

    facts = incidents(data).facts

    assert facts["incidents.by_severity.other"] == 5
    assert sum(value for name, value in facts.items() if name.startswith("incidents.by_severity.")) == 25


def test_incidents_need_opened_and_resolved_columns():
    assert "lack required columns (resolved_at" in refusal(incidents, "opened_at,severity\n2026-11-02T10:00:00Z,P1\n")


@pytest.mark.parametrize("name", ["deployments.csv", "incidents.json"])
def test_mutated_samples_give_facts_or_a_parse_error(name):
    for mutated in mutations((SAMPLES / name).read_bytes(), count=150, seed=len(name)):
        for _kind, recognises, parse in records.KINDS:
            recognises(mutated[:65536])
            with contextlib.suppress(ParseError):  # any other exception fails the test
                parse(evidence(mutated))
