"""Ingest benchmark: events per second through the real bulk endpoint (1,000 events per request, an ingest
token, JSON parsing, validation, idempotency check, insert, relink enqueued on Redis) as a ratio to a bare bulk
INSERT of the same rows (psycopg2's execute_values, one transaction per table), measured in the same run.

Run from the README's virtualenv against the local PostgreSQL and Redis:  .venv/bin/python bench/metrics_ingest.py
Prints BENCH lines (DESIGN.md §8); exits non-zero only when it cannot run.
"""

import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVENTS_PER_REQUEST = 1000
ROUNDS = 12
WARMUP = 2
# Per request: a realistic mix of what pipelines send.
MIX = {"deployment": 100, "change": 500, "build": 300, "incident": 100}
START = datetime(2026, 1, 1, tzinfo=UTC)


def events(batch: int) -> list[dict]:
    """One request's events; keys are new in every batch so each row is an insert, as in the bare INSERT."""
    rows = []
    for kind, count in MIX.items():
        for n in range(count):
            moment = START + timedelta(minutes=batch * EVENTS_PER_REQUEST + n)
            rows.append(_event(kind, f"{kind}-{batch}-{n}", moment, n))
    return rows


def _event(kind: str, external_id: str, moment: datetime, n: int) -> dict:
    later = (moment + timedelta(minutes=7)).isoformat()
    sha = f"{n:040x}"
    base = {"type": kind, "external_id": external_id, "source": "ci"}
    if kind == "deployment":
        return base | {
            "environment": "production",
            "started_at": moment.isoformat(),
            "finished_at": later,
            "result": "success",
            "commit_sha": sha,
        }
    if kind == "change":
        return base | {"commit_sha": sha, "title": f"Change {n}", "authored_at": moment.isoformat(), "merged_at": later}
    if kind == "build":
        return base | {
            "name": "ci",
            "started_at": moment.isoformat(),
            "finished_at": later,
            "result": "success",
            "trigger": "push",
        }
    return base | {"title": f"Incident {n}", "severity": "high", "opened_at": moment.isoformat(), "resolved_at": later}


def bare_insert(connection, project, rows: list[dict]) -> float:
    """Seconds to INSERT the rows with no checks at all: the floor any ingest path is measured against."""
    from django.db import transaction
    from psycopg2.extras import execute_values

    from metrics.parsers.event_input import FIELDS, MODELS, read_event

    typed = [read_event(row) for row in rows]  # values ready to write: not timed
    now = datetime.now(tz=UTC)
    statements = []
    for kind, model in MODELS.items():
        names = ["organisation_id", "project_id", "source", "external_id", "received_at", *FIELDS[kind]]
        values = [
            (project.organisation_id, project.pk, row.source, row.external_id, now, *row.values.values())
            for row in typed
            if row.type == kind
        ]
        statements.append((f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) VALUES %s", values))  # noqa: S608
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:  # one commit, as the API's request has
        for sql, values in statements:
            execute_values(cursor.cursor, sql, values, page_size=EVENTS_PER_REQUEST)
    return time.perf_counter() - started


def main() -> int:
    from bench.environment import configure, test_database

    configure(
        database="devops_maturity_bench_ingest",
        broker_variable="BENCH_INGEST_BROKER_URL",
        broker="redis://127.0.0.1:6379/14",
    )
    # The relink task each request enqueues is published to the real Redis.
    with test_database(catalogue=False) as connection:
        from django.test import Client

        from assessment.models import Organisation, Project
        from metrics.services.credentials import create_ingest_token

        organisation = Organisation.objects.create(name="Bench", slug="bench")
        project = Project.objects.create(organisation=organisation, name="API")
        floor = Project.objects.create(organisation=organisation, name="Bare INSERT")
        _token, raw = create_ingest_token(project=project, actor=None, name="bench")
        client = Client(headers={"authorization": f"Bearer {raw}"})
        path = f"/api/v1/projects/{project.pk}/events/"
        api_seconds, bare_seconds = [], []
        for batch in range(WARMUP + ROUNDS):
            rows = events(batch)
            body = json.dumps(rows)
            started = time.perf_counter()
            response = client.post(path, body, content_type="application/json")
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.content[:500]
            assert response.json()["created"] == EVENTS_PER_REQUEST, response.json()
            connection.ensure_connection()
            bare = bare_insert(connection, floor, rows)
            if batch >= WARMUP:
                api_seconds.append(elapsed)
                bare_seconds.append(bare)
    api, bare = statistics.median(api_seconds), statistics.median(bare_seconds)
    print(
        f"# {EVENTS_PER_REQUEST} events per request: "
        f"API {api * 1000:.1f} ms ({EVENTS_PER_REQUEST / api:.0f} events/s), "
        f"bare INSERT {bare * 1000:.1f} ms ({EVENTS_PER_REQUEST / bare:.0f} events/s), medians of {ROUNDS}"
    )
    print(f"BENCH metrics_ingest_vs_bulk_insert {bare / api:.3f} ratio target >= 0.1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
