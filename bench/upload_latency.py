"""Upload → scored on an idle worker (a real worker process on the real Redis), with the evidence on the local disk
and in an S3-compatible store (moto's server on a loopback port) in the same run: the store may add at most 0.5 s.

Run alone from the README's virtualenv against the local PostgreSQL and Redis:  .venv/bin/python bench/upload_latency.py
Prints BENCH lines (DESIGN.md §8); exits non-zero only when it cannot run. The 5 s ceiling of each figure is ours
(a small JUnit report on an idle worker). bench/junit_scoring.py also calls it with a report's path, for the local
disk only: then it prints "LATENCY <total> <parse>".
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUCKET = "evidence"
KEYS = {"access_key": "bench", "secret_key": "bench-secret"}


def main(report: Path | None) -> int:
    if report is None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("DEBUG", "true")
        os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/devops_maturity_bench_upload")
        os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_UPLOAD_BROKER_URL", "redis://127.0.0.1:6379/12")
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if report is not None:
            total, parse = _local_with_parse(report)
            print(f"LATENCY {total:.4f} {parse:.4f}")
        else:
            _compare_stores()
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    return 0


def _compare_stores() -> None:
    from bench.junit_scoring import write_report

    with tempfile.TemporaryDirectory() as folder, _object_store() as endpoint:
        report = write_report(Path(folder) / "junit.xml", 2_000)
        user, assessment = _assessment()
        local = _measure(report, user, assessment, _local_options(Path(folder) / "evidence"))
        stored = _measure(report, user, assessment, _s3_options(endpoint))
        size = report.stat().st_size / 1024
    print(f"# a {size:.0f} KB JUnit report, best of 3 after one warm-up, each store with its own worker")
    print(f"BENCH upload_to_scored_local_disk {local:.3f} s target <= 5")
    print(f"BENCH upload_to_scored_object_store {stored:.3f} s target <= 5")
    print(f"BENCH upload_to_scored_store_overhead {stored - local:.3f} s target <= 0.5")


def _local_options(folder: Path) -> dict:
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}}


def _s3_options(endpoint: str) -> dict:
    options = {"bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "us-east-1", **KEYS}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options | {"addressing_style": "path"}}


def _worker_environment(storage: dict) -> dict:
    from django.db import connection

    from bench.processes import database_url

    environment = os.environ | {"DATABASE_URL": database_url(connection.settings_dict)}
    options = storage["OPTIONS"]
    if "location" in options:
        return environment | {"EVIDENCE_STORAGE": "local", "EVIDENCE_ROOT": options["location"]}
    return environment | {
        "EVIDENCE_STORAGE": "s3",
        "EVIDENCE_S3_BUCKET": BUCKET,
        "EVIDENCE_S3_ENDPOINT_URL": options["endpoint_url"],
        "EVIDENCE_S3_REGION": "us-east-1",
        "EVIDENCE_S3_ACCESS_KEY_ID": KEYS["access_key"],
        "EVIDENCE_S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
        # The worker's own folder: it shares no disk with this (web) process.
        "EVIDENCE_ROOT": tempfile.mkdtemp(prefix="bench-worker-"),
    }


def _measure(report: Path, user, assessment, storage: dict) -> float:
    """The best of three uploads from start to scored, after one that warms the worker up."""
    from django.test import override_settings

    from bench.processes import worker_command

    with override_settings(
        STORAGES={"default": storage, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
    ):
        worker = subprocess.Popen(worker_command(), cwd=ROOT, env=_worker_environment(storage))
        try:
            _upload_and_wait(report, user, assessment)
            return min(_upload_and_wait(report, user, assessment) for _ in range(3))
        finally:
            worker.terminate()
            worker.wait(30)


def _assessment():
    from assessment.services.catalog import load_catalog_file
    from bench.seed import full_assessment

    load_catalog_file(path=ROOT / "assessment" / "catalogs" / "caict-devops.yaml")
    return full_assessment(evidence_count=0)


def _local_with_parse(report: Path) -> tuple[float, float]:
    """bench/junit_scoring.py's figure: local disk only, and one reading alone."""
    from django.conf import settings

    from assessment.parsers.reading import read_evidence

    user, assessment = _assessment()
    total = _measure(report, user, assessment, settings.STORAGES["default"])
    with report.open("rb") as stream:
        started = time.perf_counter()
        read_evidence(stream, name="report.xml")
        parse = time.perf_counter() - started
    return total, parse


@contextmanager
def _object_store():
    """moto's S3 server on a free loopback port, with the bucket made; yields its address."""
    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    try:
        yield endpoint
    finally:
        server.stop()


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
    evidence.refresh_from_db()
    if evidence.status != "scored":
        raise RuntimeError(f"the upload was not scored: {evidence.reason}")
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
