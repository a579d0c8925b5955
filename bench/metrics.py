"""Delivery-metrics benchmark on 1,000,000 deployments and 3,000,000 changes across 10 organisations.

Two ratios, each measured side by side in this run (baseline and subject interleaved, medians of ROUNDS):
- metrics_recompute_vs_seqscan: a full recompute (every project's figures, DORA five and CAICT indicators, for
  every week of all history, from the delivery aggregates that ingest keeps) against a bare sequential scan of
  the deployments table; rebuilding those aggregates from the raw events is timed too (a # line);
- metrics_dashboard_vs_indexed_read: one project's 90-day dashboard figures (13 weekly periods, all figures)
  against a bare indexed read of that window's deployment rows.

Data lives in its own database (BENCH_DATABASE, default dm_bench_metrics), seeded once with generate_series and
reused by later runs. Run from the README's virtualenv against the local PostgreSQL:
    .venv/bin/python bench/metrics.py
Prints BENCH lines (DESIGN.md §8); exits non-zero only when it cannot run.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = os.environ.get("BENCH_DATABASE", "dm_bench_metrics")
SERVER = os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")  # DEBUG would keep every query in memory
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use-0123456789")

ORGANISATIONS, PROJECTS_PER_ORGANISATION = 10, 20
DEPLOYMENTS, CHANGES_PER_DEPLOYMENT, BUILDS = 1_000_000, 3, 500_000
SEED_VERSION = "2"  # bump when the data's shape changes
ROUNDS = 5

_SEED_SQL = [
    # Two years of time-ordered deployments, 6 in 7 to production, about 5 % failing (moduli prime to the
    # project count, so every project gets its share).
    """
    INSERT INTO metrics_deployment (organisation_id, project_id, source, external_id, received_at, environment,
        is_production, started_at, finished_at, result, version, commit_sha, previous_commit_sha)
    SELECT p.organisation_id, p.id, 'bench', 'd' || g, t, CASE WHEN g %% 7 = 0 THEN 'staging' ELSE 'production' END,
        g %% 7 <> 0, t - interval '4 minutes', t, CASE WHEN (g * 7919) %% 97 < 5 THEN 'failure' ELSE 'success' END,
        'v' || g, md5(g::text) || substr(md5((g + 1)::text), 1, 8), ''
    FROM generate_series(1::bigint, %(deployments)s) AS g
    CROSS JOIN LATERAL (SELECT timestamptz '2024-11-01 00:00+00' + g * interval '63 seconds' AS t) AS times
    JOIN bench_project AS p ON p.number = g %% %(projects)s
    """,
    # Three changes a deployment, authored up to 14 days before; shipped (linked) by successful production ones.
    """
    INSERT INTO metrics_change (organisation_id, project_id, source, external_id, received_at, commit_sha, title,
        authored_at, merged_at, deployment_id, deployed_at)
    SELECT d.organisation_id, d.project_id, 'bench', d.external_id || '-' || k, d.finished_at,
        md5(d.external_id || k), '', a, a + ((d.id * k) %% 48) * interval '1 hour',
        CASE WHEN d.is_production AND d.result = 'success' THEN d.id END,
        CASE WHEN d.is_production AND d.result = 'success' THEN d.finished_at END
    FROM metrics_deployment AS d
    CROSS JOIN generate_series(1, %(changes_per_deployment)s) AS k
    CROSS JOIN LATERAL (SELECT d.finished_at - ((d.id * 31 * k) %% 20160 + 60) * interval '1 minute' AS a) AS x
    """,
    # An incident after 3 % of the production deployments, resolved within five hours.
    """
    INSERT INTO metrics_incident (organisation_id, project_id, source, external_id, received_at, title, severity,
        opened_at, resolved_at, deployment_id)
    SELECT organisation_id, project_id, 'bench', 'i' || id, finished_at, '', 'high',
        finished_at + interval '10 minutes', finished_at + interval '10 minutes' + (id %% 300) * interval '1 minute', id
    FROM metrics_deployment WHERE is_production AND (id * 31) %% 97 < 3
    """,
    # CI runs on two branches of one pipeline per project, 10 % red.
    """
    INSERT INTO metrics_build (organisation_id, project_id, source, external_id, received_at, name, branch,
        started_at, finished_at, result, trigger, commit_sha)
    SELECT p.organisation_id, p.id, 'bench', 'b' || g, t, 'ci', CASE WHEN g %% 3 = 0 THEN 'feature' ELSE 'main' END,
        t - ((g %% 600) + 60) * interval '1 second', t,
        CASE WHEN (g * 7907) %% 97 < 10 THEN 'failure' ELSE 'success' END, 'push', md5(g::text)
    FROM generate_series(1::bigint, %(builds)s) AS g
    CROSS JOIN LATERAL (SELECT timestamptz '2024-11-01 00:00+00' + g * interval '126 seconds' AS t) AS times
    JOIN bench_project AS p ON p.number = g %% %(projects)s
    """,
]


def ensure_database(*, afresh: bool = False) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        if afresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connection.close()


def migrate() -> None:
    """Brings the reused database to the current schema; one built by an older, since rewritten migration history
    cannot be, so it is dropped and built again (the seed then runs once more)."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection
    from django.db.migrations.exceptions import InconsistentMigrationHistory

    try:
        call_command("migrate", verbosity=0)
    except (DatabaseError, InconsistentMigrationHistory) as error:
        print(f"# the seeded database does not fit the migrations ({error.__class__.__name__}); building it afresh")
        connection.close()
        ensure_database(afresh=True)
        call_command("migrate", verbosity=0)


def is_seeded(cursor) -> bool:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (version text PRIMARY KEY, seeded_at timestamptz)")
    cursor.execute("SELECT 1 FROM bench_seed WHERE version = %s", [SEED_VERSION])
    return cursor.fetchone() is not None


def seed() -> float:
    """Fills the database once (about a few minutes on two cores); later runs find the marker and skip."""
    from django.db import connection, transaction

    from assessment.models import Organisation, Project

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if is_seeded(cursor):
            return 0.0
        cursor.execute("TRUNCATE metrics_change, metrics_incident, metrics_build, metrics_deployment")
        Project.objects.filter(organisation__slug__startswith="bench-").delete()
        Organisation.objects.filter(slug__startswith="bench-").delete()
        projects = []
        for number in range(ORGANISATIONS):
            organisation = Organisation.objects.create(name=f"Bench {number}", slug=f"bench-{number}")
            projects += [
                Project.objects.create(organisation=organisation, name=f"Service {index}")
                for index in range(PROJECTS_PER_ORGANISATION)
            ]
        cursor.execute("CREATE TEMPORARY TABLE bench_project (number int, id bigint, organisation_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_project VALUES (%s, %s, %s)",
            [(number, project.pk, project.organisation_id) for number, project in enumerate(projects)],
        )
        cursor.execute("SET LOCAL synchronous_commit = off")
        # The generated rows reference only rows made here: skip the per-row foreign-key triggers (superuser).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        parameters = {
            "deployments": DEPLOYMENTS,
            "changes_per_deployment": CHANGES_PER_DEPLOYMENT,
            "builds": BUILDS,
            "projects": len(projects),
        }
        for statement in _SEED_SQL:
            step = time.perf_counter()
            cursor.execute(statement, parameters)
            print(f"# seeded {cursor.rowcount:,} rows in {time.perf_counter() - step:.1f} s", flush=True)
        cursor.execute("INSERT INTO bench_seed VALUES (%s, now())", [SEED_VERSION])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def rebuild_rollups() -> float:
    """The delivery aggregates of every project from scratch (what ingest keeps up to date per project)."""
    from django.db import connection

    from metrics.services.rollups import refresh_rollups

    started = time.perf_counter()
    refresh_rollups()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE metrics_rollup")
    return time.perf_counter() - started


def median_seconds(actions: dict, rounds: int = ROUNDS) -> dict[str, float]:
    """The actions measured in turn (one warm-up each), so every one sees the same cache state."""
    from bench.timing import interleaved_medians_ms

    return {name: ms / 1000 for name, ms in interleaved_medians_ms(actions, rounds=rounds, warm=1).items()}


def _scalar(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def sequential_scan() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SELECT sum(length(commit_sha)) FROM metrics_deployment")
        cursor.fetchone()


def main() -> int:
    ensure_database()
    import django

    django.setup()
    migrate()
    seconds = seed()
    if seconds:
        changes = DEPLOYMENTS * CHANGES_PER_DEPLOYMENT
        print(f"# seeded {DEPLOYMENTS:,} deployments, {changes:,} changes and {BUILDS:,} builds in {seconds:.0f} s")
    else:
        print(f"# reusing the seeded database {DATABASE}")
    print(f"# rebuilt every project's delivery aggregates from the events in {rebuild_rollups():.1f} s")

    import datetime

    from assessment.models import Project
    from metrics.selectors.figures import project_figures, recompute_all
    from metrics.selectors.periods import periods_between
    from metrics.services.rollups import refresh_rollups

    project = Project.objects.filter(organisation__slug="bench-3").order_by("pk").first()
    last_day = _scalar("SELECT (max(finished_at) AT TIME ZONE 'Asia/Shanghai')::date FROM metrics_deployment")
    first_day = last_day - datetime.timedelta(days=89)
    periods = periods_between(first_day, last_day, "week")
    window = (project.pk, periods[0].starts_at, periods[-1].ends_at)

    def indexed_read():
        _scalar(
            "SELECT sum(length(commit_sha)) FROM metrics_deployment "
            "WHERE project_id = %s AND is_production AND finished_at >= %s AND finished_at < %s",
            window,
        )

    full = median_seconds({"seqscan": sequential_scan, "recompute": lambda: recompute_all("week")})
    kinds = median_seconds({"month": lambda: recompute_all("month"), "quarter": lambda: recompute_all("quarter")})
    one_project = median_seconds({"refresh": lambda: refresh_rollups(project_ids=[project.pk])})
    dashboard = median_seconds(
        {"read": indexed_read, "dashboard": lambda: project_figures(project.pk, periods)}, rounds=40
    )
    rows = _scalar(
        "SELECT count(*) FROM metrics_deployment WHERE project_id = %s AND is_production "
        "AND finished_at >= %s AND finished_at < %s",
        window,
    )
    print(f"# full recompute {full['recompute'] * 1000:.0f} ms, deployments seq scan {full['seqscan'] * 1000:.0f} ms")
    print(f"# full recompute by month {kinds['month'] * 1000:.0f} ms, by quarter {kinds['quarter'] * 1000:.0f} ms")
    print(f"# one project's delivery aggregates rebuilt (after an ingest) in {one_project['refresh'] * 1000:.0f} ms")
    print(
        f"# dashboard {dashboard['dashboard'] * 1000:.2f} ms, indexed read of the window's {rows} deployments "
        f"{dashboard['read'] * 1000:.2f} ms ({len(periods)} weeks from {periods[0].start})"
    )
    print(f"BENCH metrics_recompute_vs_seqscan {full['recompute'] / full['seqscan']:.2f} ratio target <= 6")
    print(f"BENCH metrics_dashboard_vs_indexed_read {dashboard['dashboard'] / dashboard['read']:.2f} ratio target <= 3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
