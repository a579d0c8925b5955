"""Processes of the app that benchmarks and fault tests start themselves: Celery workers on a given broker and
database."""

import sys


def worker_command(*extra: str) -> list[str]:
    """A worker on the scoring and default queues, one task at a time, quiet."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-Q",
        "scoring,default",
        "--concurrency",
        "1",
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "WARNING",
        *extra,
    ]


def database_url(database: dict) -> str:
    """DATABASE_URL for another process to reach the database this one uses (the local trust-auth server)."""
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
