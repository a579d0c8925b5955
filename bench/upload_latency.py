"""Helper of bench/junit_scoring.py: seconds from an upload's commit to "scored" on an idle worker (a real
worker process on the real Redis), then the reading's own time. Prints "<total> <parse>"."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(report: Path) -> int:
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    database = connection.settings_dict
    worker = _start_worker(database)
    try:
        total, parse = _measure(report)
        print(f"LATENCY {total:.4f} {parse:.4f}")
    finally:
        worker.terminate()
        worker.wait(30)
        connection.creation.destroy_test_db(database["NAME"], verbosity=0)
        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    return 0


def _start_worker(database: dict) -> subprocess.Popen:
    """A real worker process on the test database and the evidence folder of this process."""
    from django.conf import settings

    from bench.processes import database_url, worker_command

    worker_environment = os.environ | {
        "DATABASE_URL": database_url(database),
        "EVIDENCE_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
    }
    return subprocess.Popen(worker_command(), cwd=ROOT, env=worker_environment)


def _measure(report: Path) -> tuple[float, float]:
    """The best of three uploads from commit to scored (after one to warm the worker), and one reading alone."""
    from assessment.parsers.reading import read_evidence
    from assessment.services.catalog import load_catalog_file
    from bench.seed import full_assessment

    load_catalog_file(path=ROOT / "assessment" / "catalogs" / "caict-devops.yaml")
    user, assessment = full_assessment(evidence_count=0)
    _upload_and_wait(report, user, assessment)  # the worker's first task warms it up
    total = min(_upload_and_wait(report, user, assessment) for _ in range(3))
    with report.open("rb") as stream:
        started = time.perf_counter()
        read_evidence(stream, name="report.xml")
        parse = time.perf_counter() - started
    return total, parse


def _upload_and_wait(report: Path, user, assessment) -> float:
    """Seconds from the start of an upload until the worker marked it scored (or failed)."""
    from django.core.files import File

    from assessment.models import Evidence
    from assessment.services.evidence import add_evidence

    with report.open("rb") as handle:
        started = time.perf_counter()
        evidence = add_evidence(
            assessment=assessment,
            actor=user,
            criteria_codes=["cd.tm.auto.execution@3"],
            upload=File(handle, name="report.xml"),
        )
    while not Evidence.objects.filter(pk=evidence.pk, status__in=["scored", "failed"]).exists():
        if time.perf_counter() - started > 120:
            raise TimeoutError("the worker did not score the upload")
        time.sleep(0.005)
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
