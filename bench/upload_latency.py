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
    from django.core.files import File
    from django.db import connection
    from django.test.utils import setup_test_environment

    from assessment.models import Evidence
    from assessment.parsers.reading import read_evidence
    from assessment.services.catalog import load_catalog_file
    from assessment.services.evidence import add_evidence
    from bench.processes import database_url, worker_command
    from bench.seed import full_assessment

    setup_test_environment()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    database = connection.settings_dict
    worker_environment = os.environ | {
        "DATABASE_URL": database_url(database),
        "EVIDENCE_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
    }
    worker = subprocess.Popen(
        worker_command(),
        cwd=ROOT,
        env=worker_environment,
    )
    try:
        load_catalog_file(path=ROOT / "assessment" / "catalogs" / "caict-devops.yaml")
        user, assessment = full_assessment(evidence_count=0)

        def upload_and_wait() -> float:
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

        upload_and_wait()  # the worker's first task warms it up
        total = min(upload_and_wait() for _ in range(3))
        with report.open("rb") as stream:
            started = time.perf_counter()
            read_evidence(stream, name="report.xml")
            parse = time.perf_counter() - started
        print(f"LATENCY {total:.4f} {parse:.4f}")
    finally:
        worker.terminate()
        worker.wait(30)
        connection.creation.destroy_test_db(database["NAME"], verbosity=0)
        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
