"""JUnit XML test reports: pytest --junitxml, Maven Surefire, Gradle, jest-junit, mocha, go-junit-report, PHPUnit,
Bazel and the many tools that copy their shape.

Totals are counted from the `<testcase>` elements themselves: reporters write suite attributes that are missing,
stale or wrong, and suites nest (PHPUnit puts a class's suite inside a file's suite inside the run's, and every
level repeats the totals below it). Each test case has one outcome: failed if it holds a `<failure>`, else error
if it holds an `<error>`, else skipped if it holds a `<skipped>`, else passed. A suite that holds no test case and
no other suite (some reporters write only the totals) counts by its own `tests`, `failures`, `errors`, `skipped`
and `time` attributes, so a report is never counted twice and never read as empty when it says otherwise.

Re-runs (Maven Surefire and Failsafe with `rerunFailingTestsCount`): `<flakyFailure>`/`<flakyError>` record a
failed attempt of a test that then passed, `<rerunFailure>`/`<rerunError>` a failed re-run of a test that kept
failing. A flaky test counts as passed, as Surefire counts it.

Facts: junit.tests, junit.failures, junit.errors, junit.skipped, junit.suites, junit.time_seconds (sum of the
test cases' `time`; unreadable, negative or non-finite times count as 0) and junit.pass_rate = passed /
(tests − skipped). When no test ran (every case skipped, or none), pass_rate is left out: a check on it is then
inconclusive rather than met by a report that proves nothing. When the report records re-runs (any re-run element,
or Surefire's `flakes` suite attribute): junit.flaky (tests that failed, then passed on a re-run), junit.reruns
(failed attempts recorded) and junit.rerun_failures (tests still failing after their re-runs); a report that
cannot say is not read as "no flaky tests".
"""

from dataclasses import dataclass

from lxml import etree

from assessment.parsers.base import ParseResult, Source
from assessment.parsers.xmlstream import iter_elements, read_prolog

ROOTS = frozenset({"testsuites", "testsuite"})
FAILED, ERRORED, SKIPPED, FLAKY, RERUN = 1, 2, 4, 8, 16
OUTCOMES = {
    "failure": FAILED,
    "error": ERRORED,
    "skipped": SKIPPED,
    "flakyFailure": FLAKY,
    "flakyError": FLAKY,
    "rerunFailure": RERUN,
    "rerunError": RERUN,
}
DEADLINE_EVERY = 4096  # test cases; the reader also checks on every chunk
# Set on a suite once a test case or a suite ends inside it; a suite that ends unmarked counts by its attributes.
# Namespaced so that no report attribute can be mistaken for it (a file that forges it only loses its totals).
HOLDS_TESTS = "{urn:devops-maturity:junit}holds-tests"


@dataclass
class _Tally:
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    suites: int = 0
    seconds: float = 0.0
    flaky: int = 0
    reruns: int = 0
    rerun_failures: int = 0
    records_reruns: bool = False

    def add_case(self, outcome: int, seconds: float) -> None:
        self.tests += 1
        self.seconds += seconds
        if outcome & FAILED:
            self.failures += 1
        elif outcome & ERRORED:
            self.errors += 1
        elif outcome & SKIPPED:
            self.skipped += 1
        elif outcome & FLAKY:
            self.flaky += 1
        if outcome & RERUN and outcome & (FAILED | ERRORED):
            self.rerun_failures += 1

    def add_declared_suite(self, suite: etree._Element) -> None:
        """A suite without test cases, by its own totals (failures, errors and skips within its tests)."""
        tests = _count(suite.get("tests"))
        failures = min(_count(suite.get("failures")), tests)
        errors = min(_count(suite.get("errors")), tests - failures)
        self.tests += tests
        self.failures += failures
        self.errors += errors
        self.skipped += min(_count(suite.get("skipped")), tests - failures - errors)
        self.seconds += _seconds(suite.get("time"))


def recognises(head: bytes) -> bool:
    """True when the head of a file opens a JUnit report: root <testsuites> or <testsuite>."""
    prolog = read_prolog(head)
    return prolog is not None and prolog.root in ROOTS


def parse(source: Source) -> ParseResult:
    """Counts the test cases of a JUnit report by outcome; raises ParseError for anything else."""
    tally = _Tally()
    outcome = 0  # what the current test case's children said
    elements = iter_elements(source, roots=ROOTS, expected="<testsuites> or <testsuite>: not a JUnit report")
    for element in elements:
        tag = element.tag
        if tag == "testcase":
            tally.add_case(outcome, _seconds(element.get("time")))
            outcome = 0
            _mark_parent(element)
            if not tally.tests % DEADLINE_EVERY:
                source.deadline.check()
        elif tag in OUTCOMES:
            parent = element.getparent()
            if parent is not None and parent.tag == "testcase":
                outcome |= OUTCOMES[tag]
                if OUTCOMES[tag] & (FLAKY | RERUN):
                    tally.reruns += 1
                    tally.records_reruns = True
        elif tag == "testsuite":
            _end_suite(element, tally)
    return _result(tally)


def _end_suite(suite: etree._Element, tally: _Tally) -> None:
    tally.suites += 1
    tally.records_reruns = tally.records_reruns or suite.get("flakes") is not None
    if suite.get(HOLDS_TESTS) is None:
        tally.add_declared_suite(suite)
    _mark_parent(suite)


def _mark_parent(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None and parent.get(HOLDS_TESTS) is None:
        parent.set(HOLDS_TESTS, "")


def _count(value: str | None) -> int:
    """A declared count; missing, unreadable or negative ones count as 0."""
    try:
        number = int((value or "").strip().replace(",", ""))
    except ValueError:
        return 0
    return max(number, 0)


def _seconds(value: str | None) -> float:
    """A test case's `time` in seconds; Surefire may group thousands ("1,234.5")."""
    if not value:
        return 0.0
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        return 0.0
    return number if 0.0 <= number < float("inf") else 0.0


def _result(tally: _Tally) -> ParseResult:
    facts: dict[str, int | float | bool | str] = {
        "junit.tests": tally.tests,
        "junit.failures": tally.failures,
        "junit.errors": tally.errors,
        "junit.skipped": tally.skipped,
        "junit.suites": tally.suites,
        "junit.time_seconds": round(tally.seconds, 3),
    }
    ran = tally.tests - tally.skipped
    if ran:
        facts["junit.pass_rate"] = (ran - tally.failures - tally.errors) / ran
    summary = (
        f"{_plural(tally.tests, 'test')}, {tally.failures:,} failed, {_plural(tally.errors, 'error')}, "
        f"{tally.skipped:,} skipped"
    )
    if tally.records_reruns:
        facts["junit.flaky"] = tally.flaky
        facts["junit.reruns"] = tally.reruns
        facts["junit.rerun_failures"] = tally.rerun_failures
        summary += f", {tally.flaky:,} flaky ({_plural(tally.reruns, 'failed attempt')} re-run)"
    return ParseResult(kind="junit", facts=facts, summary=summary)


def _plural(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
