"""A real S3-compatible server (moto in server mode) on a loopback port, and settings that store evidence in it."""

import os
import socket
from unittest import mock

import boto3
import pytest
import redis

from config.env import s3_storage

BUCKET = "evidence"
KEYS = {"access_key": "maturity-test", "secret_key": "maturity-test-secret"}


def free_port() -> int:
    """A port nothing listens on (free now; also what a stopped store looks like)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ObjectStore:
    """The moto server, which can be stopped and started again on its port with its objects kept (moto keeps
    them in this process, not in the server thread)."""

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.server = None

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
        )

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def names(self) -> list[str]:
        return [item["Key"] for item in self.client().list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def storage_options(endpoint: str) -> dict:
    """STORAGES["default"] exactly as the settings build it from the EVIDENCE_S3_* variables."""
    variables = {
        "EVIDENCE_S3_BUCKET": BUCKET,
        "EVIDENCE_S3_ENDPOINT_URL": endpoint,
        "EVIDENCE_S3_REGION": "us-east-1",
        "EVIDENCE_S3_ACCESS_KEY_ID": KEYS["access_key"],
        "EVIDENCE_S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
        "EVIDENCE_S3_ADDRESSING_STYLE": "path",
    }
    with mock.patch.dict(os.environ, variables):
        return s3_storage()


@pytest.fixture(scope="session")
def object_store():
    store = ObjectStore()
    store.start()
    store.client().create_bucket(Bucket=BUCKET)
    yield store
    store.stop()


@pytest.fixture
def s3_evidence(settings, object_store, evidence_storage):
    """Evidence goes to the S3 server; the web side's own local folder (EVIDENCE_ROOT) must stay empty."""
    settings.EVIDENCE_ROOT = evidence_storage
    settings.STORAGES = {**settings.STORAGES, "default": storage_options(object_store.endpoint)}
    return object_store


@pytest.fixture
def store_down(settings, evidence_storage):
    """The store's address answers nothing (a closed port)."""
    settings.STORAGES = {**settings.STORAGES, "default": storage_options(f"http://127.0.0.1:{free_port()}")}


@pytest.fixture(scope="session")
def broker_url(django_db_setup):
    """A broker database of its own (next to the configured one), flushed: no in-process worker listens there."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("memory"):
        pytest.fail("worker tests need CELERY_BROKER_URL pointing at Redis (scripts/test sets it)")
    base, _, number = settings.CELERY_BROKER_URL.rpartition("/")
    number = int(number or 0)
    url = f"{base}/{number + 1 if number < 15 else number - 1}"  # Redis has databases 0 to 15
    redis.Redis.from_url(url).flushdb()
    return url
