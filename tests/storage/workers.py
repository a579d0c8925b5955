"""Celery workers and web servers in their own processes, each with its own working folder and EVIDENCE_ROOT: they
share nothing but the database, the broker and the object store."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.storage.conftest import BUCKET, KEYS

QUEUES = "default,scoring,reports,metrics"


def database_url() -> str:
    """The test database (pytest-django's, not the configured one) as a URL for another process."""
    if connection.vendor != "postgresql":
        raise RuntimeError("workers in other processes need PostgreSQL (an in-memory SQLite is not shared)")
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(*, folder: Path, broker_url: str, endpoint: str) -> dict[str, str]:
    keep = {key: value for key, value in os.environ.items() if not key.startswith(("EVIDENCE_", "DATABASE_"))}
    return {
        **keep,
        "PYTHONPATH": str(settings.BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "EVIDENCE_ROOT": str(folder / "evidence"),
        "EVIDENCE_STORAGE": "s3",
        "EVIDENCE_S3_BUCKET": BUCKET,
        "EVIDENCE_S3_ENDPOINT_URL": endpoint,
        "EVIDENCE_S3_REGION": "us-east-1",
        "EVIDENCE_S3_ACCESS_KEY_ID": KEYS["access_key"],
        "EVIDENCE_S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
    }


@contextmanager
def running(command: list[str], *, log: Path, folder: Path, broker_url: str, endpoint: str):
    """The command as a process of the app's own, in its folder, writing to log, until the block ends."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=folder,
            env=worker_environment(folder=folder, broker_url=broker_url, endpoint=endpoint),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def web_process(*, port: int, folder: Path, broker_url: str, endpoint: str):
    """gunicorn serving the app on a loopback port until the block ends; waits until /healthz answers."""
    import urllib.request

    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "web.log"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--threads", "4", "--chdir", str(settings.BASE_DIR)]
    with running(command, log=log, folder=folder, broker_url=broker_url, endpoint=endpoint) as process:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the web server did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"


@contextmanager
def worker_process(*, name: str, folder: Path, broker_url: str, endpoint: str):
    """A `celery worker` process (solo pool) running until the block ends, ready; gives the path of its log."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", QUEUES, "--pool", "solo"]
    command += ["-n", f"{name}@%h", "--loglevel", "INFO", "--without-heartbeat", "--without-gossip"]
    with running(command, log=log, folder=folder, broker_url=broker_url, endpoint=endpoint) as process:
        _wait_until_ready(process, log)
        yield log


def _wait_until_ready(process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the worker stopped:\n{log.read_text()}")
        if " ready." in log.read_text():
            return
        time.sleep(0.2)
    raise RuntimeError(f"the worker did not start:\n{log.read_text()}")


@contextmanager
def publishing_to(broker_url: str):
    """This process's Celery app sends to another broker for the block (its pools are rebuilt for it)."""
    from config.celery import app

    names = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager")
    previous = {name: app.conf[name] for name in names}
    app.conf.update(broker_url=broker_url, broker_read_url=broker_url, broker_write_url=broker_url)
    app.conf.task_always_eager = False
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.update(previous)
        app._pool, app.amqp._producer_pool = None, None
