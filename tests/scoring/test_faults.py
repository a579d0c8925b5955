"""Fault tests with the real parts: a Redis server and Celery worker processes of our own, started and stopped
by the test. The broker is stopped while evidence is uploaded through the real API, a worker is killed in the
middle of a reading, and a file that outlives the time limit is given up on while other files keep flowing."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from assessment.models import Evidence, Verdict
from bench.processes import database_url, worker_command

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)
JUNIT = b'<?xml version="1.0"?><testsuite tests="1"><testcase classname="t" name="a"/></testsuite>'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Redis:
    """A Redis server of the test's own, on a free port, that the test may stop and start."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _answers(self.port), 10, "redis to start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def app_environment(broker_url: str, **extra) -> dict:
    """The environment for processes of the app that share this test's database."""
    database = connection.settings_dict
    url = database_url(database)
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return (
        environment
        | {
            "DEBUG": "true",
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": broker_url,
            "EVIDENCE_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
        }
        | extra
    )


@pytest.fixture
def redis_server():
    server = Redis()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def start_worker():
    started = []

    def start(environment: dict, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            worker_command(*args),
            cwd=ROOT,
            env=environment,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(10)


def run_in_app(environment: dict, code: str) -> None:
    """Runs Python code in a process of the app with this environment (its own broker connection)."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=60,
    )


def run_sweeper(environment: dict) -> None:
    run_in_app(environment, "from assessment.tasks import sweep_unscored_evidence; sweep_unscored_evidence()")


def queue_scoring(environment: dict, *evidence_ids: int) -> None:
    run_in_app(
        environment,
        f"from assessment.tasks import score_evidence\nfor pk in {list(evidence_ids)}: score_evidence.delay(pk)",
    )


@pytest.fixture
def start_web():
    """The app served by its own process (runserver) with a given environment."""
    started = []

    def start(environment: dict) -> str:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        wait_for(lambda: _answers(port), 30, "the web server to start")
        return f"http://127.0.0.1:{port}"

    yield start
    for process in started:
        process.terminate()
        process.wait(10)


def test_uploads_while_the_broker_is_down_are_all_scored_once_by_the_sweeper(
    redis_server, start_worker, start_web, assessment, team
):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=team).key
    environment = app_environment(redis_server.url, EVIDENCE_PENDING_GRACE_SECONDS="1")
    base_url = start_web(environment)
    redis_server.stop()
    for number in range(20):
        status, body = upload(base_url, token, assessment.pk, f"report-{number}.xml")
        assert (status, body["status"]) == (201, "pending"), body
    assert Evidence.objects.filter(assessment=assessment, status="pending").count() == 20

    redis_server.start()
    start_worker(environment)
    time.sleep(1.2)  # past the grace period
    run_sweeper(environment)
    wait_for(
        lambda: Evidence.objects.filter(assessment=assessment, status="scored").count() == 20,
        60,
        "all 20 uploads to be scored",
    )
    assert set(Evidence.objects.filter(assessment=assessment).values_list("attempts", flat=True)) == {1}


def upload(base_url: str, token: str, assessment_id: int, name: str) -> tuple[int, dict]:
    boundary = "----maturity-test"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="criteria"\r\n\r\ncd.tm.auto.execution@3\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: application/xml\r\n\r\n".encode()
        + JUNIT
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    request = urllib.request.Request(
        f"{base_url}/api/v1/assessments/{assessment_id}/evidence/",
        data=b"".join(parts),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def big_junit(path: Path, cases: int) -> Path:
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0"?><testsuites><testsuite name="big">')
        case = b'<testcase classname="pkg.Module" name="test_%d" time="0.001"/>'
        for number in range(cases):
            out.write(case % number)
        out.write(b"</testsuite></testsuites>")
    return path


def stored(assessment, team, path: Path) -> Evidence:
    from django.core.files import File

    from assessment.services.evidence import add_evidence

    with path.open("rb") as handle:
        return add_evidence(
            assessment=assessment,
            actor=team,
            criteria_codes=["cd.tm.auto.execution@3"],
            upload=File(handle, name=path.name),
        )


def worker_children(worker: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_worker_killed_mid_reading_is_redelivered_and_leaves_exactly_one_result(
    redis_server, start_worker, assessment, team, tmp_path, settings
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 300 * 1024 * 1024
    environment = app_environment(redis_server.url)
    worker = start_worker(environment)
    evidence = stored(assessment, team, big_junit(tmp_path / "big.xml", 1_500_000))  # a few seconds' reading
    queue_scoring(environment, evidence.pk)
    wait_for(lambda: Evidence.objects.filter(pk=evidence.pk, status="scoring").exists(), 30, "the reading to start")
    child = wait_for(lambda: worker_children(worker), 10, "the worker's child process")[0]
    os.kill(child, signal.SIGKILL)
    wait_for(
        lambda: Evidence.objects.filter(pk=evidence.pk, status="scored").exists(),
        120,
        "the redelivered reading to finish",
    )
    evidence.refresh_from_db()
    assert evidence.attempts == 2 and evidence.facts["junit.tests"] == 1_500_000
    assert Verdict.objects.filter(assessment=assessment, criterion__code="cd.tm.auto.execution@3").count() == 1


def test_a_poison_file_fails_after_the_cap_while_other_files_keep_flowing(
    redis_server, start_worker, assessment, team, tmp_path, settings
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 300 * 1024 * 1024
    environment = app_environment(
        redis_server.url,
        SCORING_TIME_LIMIT_SECONDS="2",
        EVIDENCE_SCORING_STALE_SECONDS="3",
        EVIDENCE_PENDING_GRACE_SECONDS="1",
    )
    start_worker(environment)
    poison = stored(assessment, team, big_junit(tmp_path / "poison.xml", 1_500_000))
    (tmp_path / "ok.xml").write_bytes(JUNIT)
    normal = stored(assessment, team, tmp_path / "ok.xml")
    queue_scoring(environment, poison.pk, normal.pk)
    wait_for(lambda: Evidence.objects.filter(pk=normal.pk, status="scored").exists(), 60, "the normal file")

    def given_up():
        time.sleep(1)
        run_sweeper(environment)  # re-sends the reading the time limit killed, until the cap
        return Evidence.objects.filter(pk=poison.pk, status="failed").exists()

    wait_for(given_up, 180, "the poison file to be given up")
    poison.refresh_from_db()
    assert "abandoned" in poison.reason
