"""Configuration comes from the environment; a bad value stops start-up with a message naming the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from config.env import env_database

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "maturity.example.com",
    "DATABASE_URL": "postgres://maturity:secret@db.example.com:5432/maturity",
    "CELERY_BROKER_URL": "redis://redis.example.com:6379/0",
}

S3 = {
    "EVIDENCE_STORAGE": "s3",
    "EVIDENCE_S3_BUCKET": "evidence",
    "EVIDENCE_S3_ENDPOINT_URL": "http://minio:9000",
    "EVIDENCE_S3_ACCESS_KEY_ID": "maturity",
    "EVIDENCE_S3_SECRET_ACCESS_KEY": "a-secret",
}


def start_django(env: dict[str, str], *command: str) -> subprocess.CompletedProcess:
    ignored = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ignored and not key.startswith(("SECURE", "EVIDENCE_S"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *(command or ("check",))],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_values_pass_check_deploy():
    result = start_django(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "Environment variable SECRET_KEY is required but not set."),
        ({"DEBUG": "maybe"}, "Environment variable DEBUG must be true or false, not 'maybe'."),
        (
            {"DATABASE_URL": "mysql://db/x"},
            "Environment variable DATABASE_URL must start with postgres:// or sqlite:///",
        ),
        (
            {"DATABASE_URL": "postgres://db:port/x"},
            "Environment variable DATABASE_URL has a port that is not a number.",
        ),
        ({"DATABASE_URL": "postgres://db:5432/"}, "Environment variable DATABASE_URL names no database"),
        (
            {"EVIDENCE_MAX_UPLOAD_BYTES": "20MB"},
            "Environment variable EVIDENCE_MAX_UPLOAD_BYTES must be a whole number",
        ),
        (
            {"SECURE_HSTS_SECONDS": "-1"},
            "Environment variable SECURE_HSTS_SECONDS must be at least 0, not -1.",
        ),
        ({"EVIDENCE_STORAGE": "ftp"}, "Environment variable EVIDENCE_STORAGE must be one of local, s3, not 'ftp'."),
        ({**S3, "EVIDENCE_S3_BUCKET": None}, "Environment variable EVIDENCE_S3_BUCKET is required but not set."),
        (
            {**S3, "EVIDENCE_S3_SECRET_ACCESS_KEY": None},
            "Environment variable EVIDENCE_S3_SECRET_ACCESS_KEY is required but not set.",
        ),
        (
            {**S3, "EVIDENCE_S3_ENDPOINT_URL": "minio:9000"},
            "Environment variable EVIDENCE_S3_ENDPOINT_URL must start with http:// or https://",
        ),
        (
            {**S3, "EVIDENCE_S3_ADDRESSING_STYLE": "dns"},
            "Environment variable EVIDENCE_S3_ADDRESSING_STYLE must be one of path, virtual, not 'dns'.",
        ),
    ],
)
def test_bad_configuration_stops_start_up_naming_the_variable(overrides, message):
    env = {key: value for key, value in {**PRODUCTION, **overrides}.items() if value is not None}
    result = start_django(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_an_s3_compatible_store_is_chosen_by_settings_and_kept_private():
    script = (
        "from django.conf import settings as s; o = s.STORAGES['default']; "
        "print(o['BACKEND'], o['OPTIONS']['bucket_name'], o['OPTIONS']['addressing_style'], "
        "o['OPTIONS']['default_acl'], o['OPTIONS']['querystring_auth'])"
    )
    result = start_django({**PRODUCTION, **S3}, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "storages.backends.s3.S3Storage",
        "evidence",
        "path",
        "None",
        "True",
    ]
    local = start_django({**PRODUCTION}, "shell", "-c", "from django.conf import settings as s; print(s.STORAGES)")
    assert "FileSystemStorage" in local.stdout, local.stderr


def test_development_needs_no_secret():
    result = start_django({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_database_urls_are_parsed(tmp_path):
    postgres = env_database("UNSET_FOR_TEST", default_sqlite=tmp_path / "db.sqlite3")
    assert postgres == {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "db.sqlite3"}
    os.environ["DATABASE_URL_FOR_TEST"] = "postgres://me:p%40ss@db:6543/maturity"
    try:
        parsed = env_database("DATABASE_URL_FOR_TEST", default_sqlite=tmp_path / "x")
    finally:
        del os.environ["DATABASE_URL_FOR_TEST"]
    assert (parsed["USER"], parsed["PASSWORD"], parsed["HOST"], parsed["PORT"], parsed["NAME"]) == (
        "me",
        "p@ss",
        "db",
        "6543",
        "maturity",
    )


def test_without_a_broker_tasks_run_in_process_and_with_one_they_queue():
    embedded = start_django(
        {"DEBUG": "true", "CELERY_BROKER_URL": ""},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
    )
    queued = start_django(
        {"DEBUG": "true", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15"},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
    )
    assert embedded.stdout.splitlines()[-1] == "True"
    assert queued.stdout.splitlines()[-1] == "False"


def test_every_scheduled_task_is_a_task_the_workers_know():
    import assessment.tasks
    import metrics.tasks
    from config.celery import app

    assert assessment.tasks and metrics.tasks  # imported for their tasks, as the worker's autodiscovery does
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "assessment.sweep_stale_levels" in scheduled
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
