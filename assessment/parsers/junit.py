"""JUnit XML test reports: pytest --junitxml, Maven Surefire, jest-junit, mocha reporters, gotestsum.

Totals are counted from the `<testcase>` elements themselves: reporters write suite attributes that are missing,
stale or wrong, and suites nest. Each test case has one outcome: failed if it holds a `<failure>`, else error if
it holds an `<error>`, else skipped if it holds a `<skipped>`, else passed. (Surefire's `<flakyFailure>` and
`<rerunFailure>` alone mean the test passed on a rerun.)

Facts: junit.tests, junit.failures, junit.errors, junit.skipped, junit.suites, junit.time_seconds (sum of the
test cases' `time`; unreadable, negative or non-finite times count as 0) and junit.pass_rate = passed /
(tests − skipped). When no test ran (every case skipped, or none), pass_rate is left out: a check on it is then
inconclusive rather than met by a report that proves nothing.
"""

from assessment.parsers.base import ParseResult, Source
from assessment.parsers.xmlstream import iter_elements, read_prolog

ROOTS = frozenset({"testsuites", "testsuite"})
FAILED, ERRORED, SKIPPED = 1, 2, 4
OUTCOMES = {"failure": FAILED, "error": ERRORED, "skipped": SKIPPED}
DEADLINE_EVERY = 4096  # test cases; the reader also checks on every chunk


def recognises(head: bytes) -> bool:
    """True when the head of a file opens a JUnit report: root <testsuites> or <testsuite>."""
    prolog = read_prolog(head)
    return prolog is not None and prolog.root in ROOTS


def parse(source: Source) -> ParseResult:
    """Counts the test cases of a JUnit report by outcome; raises ParseError for anything else."""
    tests = failures = errors = skipped = suites = 0
    seconds = 0.0
    outcome = 0  # what the current test case's children said
    elements = iter_elements(source, roots=ROOTS, expected="<testsuites> or <testsuite>: not a JUnit report")
    for element in elements:
        tag = element.tag
        if tag == "testcase":
            tests += 1
            if outcome:
                if outcome & FAILED:
                    failures += 1
                elif outcome & ERRORED:
                    errors += 1
                else:
                    skipped += 1
                outcome = 0
            seconds += _seconds(element.get("time"))
            if not tests % DEADLINE_EVERY:
                source.deadline.check()
        elif tag in OUTCOMES:
            parent = element.getparent()
            if parent is not None and parent.tag == "testcase":
                outcome |= OUTCOMES[tag]
        elif tag == "testsuite":
            suites += 1
    return _result(tests, failures, errors, skipped, suites, seconds)


def _seconds(value: str | None) -> float:
    """A test case's `time` in seconds; Surefire may group thousands ("1,234.5")."""
    if not value:
        return 0.0
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        return 0.0
    return number if 0.0 <= number < float("inf") else 0.0


def _result(tests: int, failures: int, errors: int, skipped: int, suites: int, seconds: float) -> ParseResult:
    facts: dict[str, int | float | bool | str] = {
        "junit.tests": tests,
        "junit.failures": failures,
        "junit.errors": errors,
        "junit.skipped": skipped,
        "junit.suites": suites,
        "junit.time_seconds": round(seconds, 3),
    }
    ran = tests - skipped
    if ran:
        facts["junit.pass_rate"] = (ran - failures - errors) / ran
    summary = f"{_count(tests, 'test')}, {failures:,} failed, {_count(errors, 'error')}, {skipped:,} skipped"
    return ParseResult(kind="junit", facts=facts, summary=summary)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
