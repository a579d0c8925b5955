"""JUnit XML: real and faithful reports from pytest, Surefire, jest-junit, mocha and gotestsum, and odd shapes."""

import codecs

import pytest

from assessment.parsers import junit
from assessment.parsers.base import ParseError

from .conftest import SAMPLES

# sample: tests, failures, errors, skipped, suites
SAMPLE_TOTALS = {
    "pytest-junit.xml": (5, 1, 1, 1, 1),
    "surefire-junit.xml": (6, 1, 1, 1, 1),
    "jest-junit.xml": (5, 1, 1, 1, 2),
    "mocha-junit.xml": (3, 1, 0, 0, 3),
    "gotestsum-junit.xml": (6, 3, 0, 1, 2),
}


@pytest.mark.parametrize("name", SAMPLE_TOTALS)
def test_each_reporter_is_recognised_and_counted(read, name):
    data = (SAMPLES / name).read_bytes()
    assert junit.recognises(data[: 64 * 1024])

    result = read(junit, data)

    tests, failures, errors, skipped, suites = SAMPLE_TOTALS[name]
    assert result.kind == "junit"
    facts = result.facts
    assert (facts["junit.tests"], facts["junit.failures"], facts["junit.errors"]) == (tests, failures, errors)
    assert (facts["junit.skipped"], facts["junit.suites"]) == (skipped, suites)
    assert facts["junit.pass_rate"] == pytest.approx((tests - failures - errors - skipped) / (tests - skipped))


def test_pytest_report_has_the_summary_people_read(read):
    result = read(junit, (SAMPLES / "pytest-junit.xml").read_bytes())

    assert result.summary == "5 tests, 1 failed, 1 error, 1 skipped"
    assert result.facts["junit.pass_rate"] == 0.5  # 2 passed of the 4 that ran
    assert result.facts["junit.time_seconds"] == 0.003


def test_large_counts_are_grouped_in_the_summary(read):
    cases = "<testcase/>" * 1204 + "<testcase><failure/></testcase>" * 3 + "<testcase><skipped/></testcase>" * 12
    result = read(junit, f"<testsuite>{cases}</testsuite>".encode())

    assert result.summary == "1,219 tests, 3 failed, 0 errors, 12 skipped"


def test_gotestsum_suite_declaring_zero_tests_still_counts_its_failing_case(read):
    result = read(junit, (SAMPLES / "gotestsum-junit.xml").read_bytes())

    assert result.facts["junit.tests"] == 6  # the suites declare 0 + 5
    assert result.facts["junit.time_seconds"] == 1.42


def test_surefire_flaky_failure_counts_as_passed(read):
    result = read(junit, (SAMPLES / "surefire-junit.xml").read_bytes())

    assert result.facts["junit.failures"] == 1
    assert result.facts["junit.pass_rate"] == 0.6  # 3 of 5 that ran, parsesInput among them


def test_totals_come_from_test_cases_not_from_wrong_suite_attributes(read):
    report = b"""<testsuites tests="999" failures="0">
      <testsuite name="a" tests="1" failures="7" errors="x" skipped="-3" time="NaN">
        <testcase name="one" time="0.5"/>
        <testcase name="two" time="1.5"><failure message="boom"/></testcase>
        <testcase name="three"><error/></testcase>
      </testsuite>
    </testsuites>"""

    facts = read(junit, report).facts

    assert (facts["junit.tests"], facts["junit.failures"], facts["junit.errors"]) == (3, 1, 1)
    assert facts["junit.time_seconds"] == 2.0


def test_nested_suites_are_all_counted(read):
    report = b"""<testsuites><testsuite name="all">
        <testsuite name="unit"><testsuite name="tests.FooTest"><testcase name="a"/><testcase name="b"/></testsuite>
        </testsuite>
        <testsuite name="integration"><testcase name="c"><skipped/></testcase></testsuite>
    </testsuite></testsuites>"""

    facts = read(junit, report).facts

    assert (facts["junit.tests"], facts["junit.skipped"], facts["junit.suites"]) == (3, 1, 4)


def test_a_case_with_both_failure_and_teardown_error_counts_once_as_failed(read):
    report = b"""<testsuite><testcase name="a"><failure/><error message="teardown"/></testcase>
        <testcase name="b"><error/><skipped/></testcase></testsuite>"""

    facts = read(junit, report).facts

    assert (facts["junit.tests"], facts["junit.failures"], facts["junit.errors"], facts["junit.skipped"]) == (
        2,
        1,
        1,
        0,
    )


def test_outcome_elements_outside_a_test_case_are_not_attributed_to_the_next_one(read):
    report = b'<testsuite><error message="suite setup"/><testcase name="a"/></testsuite>'

    facts = read(junit, report).facts

    assert (facts["junit.tests"], facts["junit.errors"]) == (1, 0)


@pytest.mark.parametrize(
    ("time", "seconds"),
    [("", 0.0), ("abc", 0.0), ("NaN", 0.0), ("inf", 0.0), ("-4", 0.0), ("1,234.5", 1234.5), ("0.25", 0.25)],
)
def test_unreadable_times_count_as_zero(read, time, seconds):
    report = f'<testsuite><testcase name="a" time="{time}"/><testcase name="b"/></testsuite>'.encode()

    assert read(junit, report).facts["junit.time_seconds"] == seconds


def test_no_test_that_ran_leaves_pass_rate_out(read):
    all_skipped = read(junit, b"<testsuite><testcase><skipped/></testcase></testsuite>")
    empty = read(junit, b'<testsuites name="nothing"/>')

    assert "junit.pass_rate" not in all_skipped.facts
    assert all_skipped.facts["junit.skipped"] == 1
    assert empty.facts["junit.tests"] == 0 and "junit.pass_rate" not in empty.facts
    assert empty.summary == "0 tests, 0 failed, 0 errors, 0 skipped"


def test_utf16_report_is_read(read):
    report = '<?xml version="1.0" encoding="UTF-16"?><testsuite><testcase name="é"/></testsuite>'.encode("utf-16")

    assert junit.recognises(report)
    assert read(junit, report).facts["junit.tests"] == 1


@pytest.mark.parametrize(
    "head",
    [
        b"<testsuites>",
        b'<testsuite name="x" tests="3"',  # cut inside the start tag
        codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>',
        b"<!-- generated by a CI step -->\n<?xml-stylesheet href='x.xsl'?>\n<testsuite>",
        b'<?xml version="1.0"?><!DOCTYPE testsuite SYSTEM "junit.dtd"><testsuite>',
        b"<?xml version='1.0'?><!DOCTYPE testsuite [<!ELEMENT testsuite ANY>]>\n<testsuite>",
        "\n\n  <testsuites>".encode("utf-16"),
    ],
)
def test_recognises_junit_heads(head):
    assert junit.recognises(head)


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"<?xml version='1.0'?>",  # cut before the root
        b'<coverage line-rate="0.5">',
        b"<testsuitesx>",
        b'{"testsuites": []}',
        b"<!-- <testsuite> in a comment -->",
        b"<!DOCTYPE html><html><body><testsuite/></body></html>",
    ],
)
def test_does_not_recognise_other_heads(head):
    assert not junit.recognises(head)


def test_the_deadline_stops_a_long_read(read):
    report = b"<testsuite>" + b"<testcase/>" * 20_000 + b"</testsuite>"

    with pytest.raises(ParseError, match="took longer than"):
        read(junit, report, seconds=0)


def test_surefire_reruns_are_counted_and_flaky_tests_pass(read):
    report = b"""<testsuite name="s" tests="3" failures="1" flakes="1">
        <testcase name="flaky"><flakyFailure message="1st"/><flakyError message="2nd"/></testcase>
        <testcase name="broken"><failure message="x"/><rerunFailure message="again"/><rerunError/></testcase>
        <testcase name="fine"/>
    </testsuite>"""

    facts = read(junit, report).facts

    assert (facts["junit.tests"], facts["junit.failures"], facts["junit.pass_rate"]) == (3, 1, 2 / 3)
    assert (facts["junit.flaky"], facts["junit.reruns"], facts["junit.rerun_failures"]) == (1, 4, 1)


def test_rerun_facts_are_left_out_when_the_report_cannot_record_reruns(read):
    facts = read(junit, b"<testsuite><testcase/></testsuite>").facts

    assert not {"junit.flaky", "junit.reruns", "junit.rerun_failures"} & set(facts)
    assert read(junit, b'<testsuite flakes="0"><testcase/></testsuite>').facts["junit.flaky"] == 0


def test_suites_that_only_give_totals_count_once_however_they_nest(read):
    report = b"""<testsuites tests="9">
        <testsuite name="run" tests="9" failures="2">
            <testsuite name="only-totals" tests="4" failures="1" errors="1" skipped="1" time="2.5"/>
            <testsuite name="cases" tests="5"><testcase/><testcase><failure/></testcase></testsuite>
        </testsuite>
    </testsuites>"""

    facts = read(junit, report).facts

    assert (facts["junit.tests"], facts["junit.failures"], facts["junit.errors"], facts["junit.skipped"]) == (
        6,
        2,
        1,
        1,
    )
    assert facts["junit.time_seconds"] == 2.5


@pytest.mark.parametrize(
    ("attributes", "totals"),
    [
        ('tests="-5" failures="-1"', (0, 0, 0, 0)),
        ('tests="x" failures="y" skipped="z"', (0, 0, 0, 0)),
        ('tests="2" failures="7" errors="7" skipped="7"', (2, 2, 0, 0)),  # never more outcomes than tests
        ('tests="' + "9" * 5000 + '"', (0, 0, 0, 0)),  # too many digits to read as a number
    ],
)
def test_declared_suite_totals_that_make_no_sense_are_bounded(read, attributes, totals):
    facts = read(junit, f"<testsuite {attributes}/>".encode()).facts

    assert (facts["junit.tests"], facts["junit.failures"], facts["junit.errors"], facts["junit.skipped"]) == totals


def test_a_forged_internal_mark_only_loses_the_suites_own_totals(read):
    report = b"""<testsuites xmlns:m="urn:devops-maturity:junit">
        <testsuite m:holds-tests="" tests="40"/><testsuite tests="2"/></testsuites>"""

    assert read(junit, report).facts["junit.tests"] == 2
