"""JUnit scoring benchmark: reading a 200,000-test-case report through the evidence reader, against a bare
hardened lxml iterparse pass over the same file (time and peak memory, each in a fresh process, best of 3);
a 200 MB report's peak memory; and upload → scored on an idle worker (real Redis, real worker process).

Run from the README's virtualenv against the local PostgreSQL and Redis:  .venv/bin/python bench/junit_scoring.py
Prints BENCH lines (DESIGN.md §8); exits non-zero only when it cannot run.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = """
import sys, time
from lxml import etree
started = time.perf_counter()
tests = failures = 0
for _event, element in etree.iterparse(sys.argv[1], events=("end",), tag="testcase", resolve_entities=False,
                                       no_network=True, load_dtd=False, huge_tree=False):
    tests += 1
    failures += element.find("failure") is not None
    element.clear(keep_tail=False)
    while element.getprevious() is not None:
        del element.getparent()[0]
elapsed = time.perf_counter() - started
print(elapsed, open("/proc/self/status").read().split("VmHWM:")[1].split()[0], tests)
"""

OURS = """
import sys, time
sys.path.insert(0, sys.argv[2])
from assessment.parsers.reading import read_evidence
started = time.perf_counter()
with open(sys.argv[1], "rb") as stream:
    result = read_evidence(stream, name="report.xml")
elapsed = time.perf_counter() - started
print(elapsed, open("/proc/self/status").read().split("VmHWM:")[1].split()[0], result.facts["junit.tests"])
"""


def write_report(path: Path, cases: int, *, padding: int = 0) -> Path:
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n')
        for suite in range(max(1, cases // 500)):
            out.write(b'<testsuite name="suite%d" tests="500">\n' % suite)
            for number in range(500):
                body = b""
                if number % 33 == 0:
                    body = b'<failure message="assert">Traceback</failure>'
                elif number % 50 == 0:
                    body = b'<skipped message="later"/>'
                if padding:
                    body += b"<system-out>" + b"x" * padding + b"</system-out>"
                out.write(
                    b'<testcase classname="pkg.mod%d" name="test_%d" time="0.002">%s</testcase>\n'
                    % (suite, number, body)
                )
            out.write(b"</testsuite>\n")
        out.write(b"</testsuites>\n")
    return path


def best_of(script: str, path: Path, rounds: int = 3) -> tuple[float, float, int]:
    runs = []
    for _ in range(rounds):
        output = subprocess.run(
            [sys.executable, "-c", script, str(path), str(ROOT)], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append((float(output[0]), int(output[1]) / 1024, int(output[2])))
    return min(run[0] for run in runs), min(run[1] for run in runs), runs[0][2]


def upload_to_scored(report: Path) -> tuple[float, float] | None:
    """Seconds from upload to scored on an idle worker, and the reading's own time; None without Redis."""
    environment = os.environ | {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    environment.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/devops_maturity_bench")
    environment.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
    script = ROOT / "bench" / "upload_latency.py"
    result = subprocess.run(
        [sys.executable, str(script), str(report)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    if result.returncode != 0:
        print(f"# upload latency not measured: {result.stderr.strip().splitlines()[-1:]}")
        return None
    line = next(line for line in result.stdout.splitlines() if line.startswith("LATENCY "))
    total, parse = line.split()[1:]
    return float(total), float(parse)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        report = write_report(Path(folder) / "junit.xml", 200_000)
        bare_time, bare_memory, bare_tests = best_of(BARE, report)
        our_time, our_memory, our_tests = best_of(OURS, report)
        assert bare_tests == our_tests == 200_000, (bare_tests, our_tests)
        print(
            f"# 200,000 cases, {report.stat().st_size / 1048576:.1f} MB: bare iterparse {bare_time:.3f} s "
            f"{bare_memory:.1f} MB; ours {our_time:.3f} s {our_memory:.1f} MB (best of 3, separate processes)"
        )
        print(f"BENCH junit_score_vs_iterparse_time {our_time / bare_time:.2f} ratio target <= 2")
        print(f"BENCH junit_score_vs_iterparse_memory {our_memory / bare_memory:.2f} ratio target <= 2")
        report.unlink()

        big = write_report(Path(folder) / "big.xml", 600_000, padding=250)
        size = big.stat().st_size / 1048576
        _time, big_memory, _tests = best_of(OURS, big, rounds=1)
        print(f"# {size:.0f} MB report read in {_time:.1f} s")
        print(f"BENCH junit_200mb_peak_rss {big_memory:.1f} MB target <= 150")
        big.unlink()

        small = write_report(Path(folder) / "small.xml", 2_000)
        latency = upload_to_scored(small)
        if latency is not None:
            total, parse = latency
            print(f"# upload to scored {total:.3f} s, of which reading {parse:.3f} s")
            print(f"BENCH upload_to_scored_beyond_parse {total - parse:.3f} s target <= 1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
