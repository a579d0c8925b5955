"""A 200,000-case JUnit report costs at most twice a bare hardened lxml iterparse pass, in time and peak memory.

Each measurement runs in its own interpreter and reads its peak RSS from /proc/self/status (VmHWM): getrusage's
ru_maxrss survives exec, so a child of pytest would report pytest's own peak.
"""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CASES, SUITES = 200_000, 400

PEAK = """
def peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

BARE = """
import json, resource, sys, time
from lxml import etree
options = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
started = time.perf_counter()
tests = failures = skipped = 0
seconds = 0.0
with open(sys.argv[1], "rb") as stream:
    for _event, element in etree.iterparse(stream, events=("end",), **options):
        tag = element.tag
        if tag == "testcase":
            tests += 1
            seconds += float(element.get("time") or 0)
        elif tag == "failure":
            failures += 1
        elif tag == "skipped":
            skipped += 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
elapsed = time.perf_counter() - started
peak = peak_kb()
print(json.dumps({"seconds": elapsed, "peak_kb": peak, "tests": tests, "failures": failures}))
"""

OURS = """
import json, resource, sys, time
from assessment.parsers import junit
from assessment.parsers.base import Deadline, Limits, Source
started = time.perf_counter()
with open(sys.argv[1], "rb") as stream:
    result = junit.parse(Source(stream=stream, name="big.xml", head=b"", limits=Limits(), deadline=Deadline(60)))
elapsed = time.perf_counter() - started
peak = peak_kb()
facts = result.facts
tests, failures = facts["junit.tests"], facts["junit.failures"]
print(json.dumps({"seconds": elapsed, "peak_kb": peak, "tests": tests, "failures": failures}))
"""


def write_report(path: Path) -> None:
    """Like the reference benchmark: 3 % failures, 2 % skips, 10 % with captured output."""
    chance = random.Random(7)
    per_suite = CASES // SUITES
    with path.open("w") as report:
        report.write('<?xml version="1.0" encoding="utf-8"?>\n<testsuites name="scale">\n')
        for suite in range(SUITES):
            report.write(f'<testsuite name="pkg.suite{suite}" tests="{per_suite}" time="12.5">\n')
            for case in range(per_suite):
                report.write(
                    f'<testcase classname="pkg.mod{suite}.TestThing" name="test_{case}" time="0.0{case % 90:02d}"'
                )
                draw = chance.random()
                if draw < 0.03:
                    report.write('><failure message="assert 1 == 2">Traceback\nAssertionError</failure></testcase>\n')
                elif draw < 0.05:
                    report.write('><skipped message="not today"/></testcase>\n')
                elif draw < 0.15:
                    report.write("><system-out>captured output\nanother line</system-out></testcase>\n")
                else:
                    report.write("/>\n")
            report.write("</testsuite>\n")
        report.write("</testsuites>\n")


def measure(script: str, path: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", PEAK + script, str(path)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(completed.stdout)


@pytest.fixture(scope="module")
def big_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "junit-200k.xml"
    write_report(path)
    return path


def test_scoring_200k_cases_costs_at_most_twice_a_bare_iterparse(big_report):
    bare, ours = [], []
    for _attempt in range(3):  # alternate, keep each side's best, to ride out a noisy machine
        bare.append(measure(BARE, big_report))
        ours.append(measure(OURS, big_report))
    bare_seconds, ours_seconds = min(run["seconds"] for run in bare), min(run["seconds"] for run in ours)
    bare_peak, ours_peak = min(run["peak_kb"] for run in bare), min(run["peak_kb"] for run in ours)
    size_mb = big_report.stat().st_size / 1e6
    print(
        f"\n{CASES:,} cases, {size_mb:.1f} MB: bare hardened iterparse {bare_seconds:.3f} s, {bare_peak / 1024:.1f} MB"
        f" peak RSS; junit.parse {ours_seconds:.3f} s, {ours_peak / 1024:.1f} MB peak RSS"
    )

    assert ours[0]["tests"] == bare[0]["tests"] == CASES
    assert ours[0]["failures"] == bare[0]["failures"]
    assert ours_seconds <= 2 * bare_seconds
    assert ours_peak <= 2 * bare_peak
