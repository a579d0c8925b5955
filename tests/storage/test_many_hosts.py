"""Two web processes and two worker processes, as on separate hosts: they share the database, the broker and the
S3-compatible store, and no disk. Fifty uploads spread over both web processes are each scored exactly once."""

import contextlib
import time

import pytest
import requests
from rest_framework.authtoken.models import Token

from assessment.models import AuditEntry, Evidence
from tests.storage.conftest import free_port
from tests.storage.test_s3_evidence import CRITERION
from tests.storage.workers import web_process, worker_process

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
UPLOADS = 50


def junit(number: int) -> bytes:
    cases = "".join(f'<testcase name="t{case}"/>' for case in range(number % 7 + 1))
    return f'<?xml version="1.0"?><testsuite name="run{number}">{cases}</testsuite>'.encode()


@pytest.fixture
def hosts(broker_url, object_store, tmp_path, django_db_blocker):
    """Two web servers and two workers, each in its own folder; yields the web servers' addresses and the
    workers' logs."""
    with contextlib.ExitStack() as stack:
        webs = [
            stack.enter_context(
                web_process(
                    port=free_port(), folder=tmp_path / f"web{n}", broker_url=broker_url, endpoint=object_store.endpoint
                )
            )
            for n in (1, 2)
        ]
        logs = [
            stack.enter_context(
                worker_process(
                    name=f"host{n}",
                    folder=tmp_path / f"worker{n}",
                    broker_url=broker_url,
                    endpoint=object_store.endpoint,
                )
            )
            for n in (1, 2)
        ]
        yield webs, logs


def test_fifty_uploads_over_two_web_processes_are_each_scored_once_by_two_workers(
    team, assessment, s3_evidence, hosts, tmp_path
):
    webs, logs = hosts
    token = Token.objects.create(user=team).key
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    for number in range(UPLOADS):
        response = session.post(
            f"{webs[number % 2]}/api/v1/assessments/{assessment.pk}/evidence/",
            data={"criteria": CRITERION},
            files={"file": (f"run{number}.xml", junit(number))},
            timeout=30,
        )
        assert response.status_code == 201, response.text
    deadline = time.monotonic() + 120
    while Evidence.objects.filter(assessment=assessment).exclude(status="scored").exists():
        assert time.monotonic() < deadline, "the workers did not score every upload in time"
        time.sleep(0.3)

    evidence = Evidence.objects.filter(assessment=assessment)
    assert evidence.count() == UPLOADS
    assert set(evidence.values_list("attempts", flat=True)) == {1}
    assert {item.name: item.facts["junit.tests"] for item in evidence} == {
        f"run{number}.xml": number % 7 + 1 for number in range(UPLOADS)
    }
    scored = AuditEntry.objects.filter(action="evidence.scored").values_list("after__id", flat=True)
    assert sorted(scored) == sorted(evidence.values_list("pk", flat=True))  # one reading each, no repeat
    assert all("succeeded" in log.read_text() for log in logs), "both workers took a share"
    assert not [path for path in tmp_path.rglob("*") if path.is_file() and "evidence" in path.parts]
