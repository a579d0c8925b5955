"""The process a benchmark runs in: production-like settings against the local PostgreSQL and Redis, and a test
database of its own, dropped (and the benchmark's Redis database emptied) however the run ends."""

import os
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "assessment" / "catalogs" / "caict-devops.yaml"


def configure(*, database: str, broker_variable: str, broker: str) -> None:
    """Settings for the benchmark, before Django is set up. Each can be overridden from the environment, the
    broker by `broker_variable`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database}")
    os.environ.setdefault("DEBUG", "false")  # DEBUG would log every query and slow the app down
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use-0123456789")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    # Production-like: tasks are published to the real Redis, in a database of the benchmark's own.
    os.environ["CELERY_BROKER_URL"] = os.environ.get(broker_variable, broker)


@contextmanager
def test_database(*, catalogue: bool = True):
    """Django set up on a fresh test database (with the CAICT catalogue loaded, unless told not to); yields the
    connection. The app's URLs are served with the trivial view benchmarks compare against (bench/urls.py)."""
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.db import connection
    from django.template.base import PartialTemplate, Template
    from django.test.utils import _TestState, setup_test_environment

    setup_test_environment()
    # Production renders templates without the test framework's instrumentation, through which Django's test
    # client copies the context of every template and partial it renders: timings leave that cost out.
    Template._render = _TestState.saved_data.template_render
    PartialTemplate._render = _TestState.saved_data.partial_template_render
    settings.ROOT_URLCONF = "bench.urls"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if catalogue:
            from assessment.services.catalog import load_catalog_file

            load_catalog_file(path=CATALOGUE)
        yield connection
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
