"""Daily delivery aggregates per project, materialised in PostgreSQL (table metrics_daily_rollup), from which
the figures of any week, month or quarter are computed (metrics/selectors/postgres.py).

One row per project and local day (settings.TIME_ZONE): additive counts, and the day's individual durations as
integer arrays of whole seconds (medians are not additive, so the values themselves are kept). A period's
percentile concatenates its days' arrays, sorts them in C (intarray's sort) and interpolates as percentile_cont
does (metrics_percentile); the table, the aggregate and the function come with migration 0002. Everything that
needs an event's neighbours (a deployment after a failed change is rework; a red run's recovery; a release is a
version's first successful production deployment) is settled here, over the project's whole history.

`refresh_rollups(project_ids=...)` rebuilds the named projects' rows; call it after their events or links change
(ingest and metrics.relink_project do). `refresh_rollups()` rebuilds every project's rows, e.g. after the site's
time zone changed. Other databases (SQLite) compute figures from the events directly and keep no rollup.
"""

from django.conf import settings
from django.db import connection, transaction

TABLE = "metrics_daily_rollup"

_BUILD = """
WITH d AS (
    SELECT id, project_id, finished_at, result,
        coalesce(nullif(version, ''), nullif(commit_sha, ''), id::text) AS release,
        (result = 'failure' OR id IN (
            SELECT deployment_id FROM metrics_incident WHERE deployment_id IS NOT NULL {projects}
        )) AS failed_change
    FROM metrics_deployment WHERE is_production {projects}
), dw AS (
    SELECT d.*,
        lag(failed_change) OVER oldest_first AS previous_failed,
        lag(result) OVER oldest_first AS previous_result,
        min(finished_at) FILTER (WHERE result = 'success')
            OVER (PARTITION BY project_id ORDER BY finished_at DESC, id DESC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS next_success_at,
        row_number() OVER (PARTITION BY project_id, release, result = 'success' ORDER BY finished_at, id) = 1
            AND result = 'success' AS is_release,
        (finished_at AT TIME ZONE %(zone)s)::date AS day
    FROM d
    WINDOW oldest_first AS (PARTITION BY project_id ORDER BY finished_at, id)
), deployment_days AS (
    SELECT project_id, day,
        count(*) AS deployments,
        count(*) FILTER (WHERE result = 'success') AS deployments_successful,
        count(*) FILTER (WHERE failed_change) AS failed_changes,
        count(*) FILTER (WHERE previous_failed) AS rework,
        count(*) FILTER (WHERE is_release) AS releases
    FROM dw GROUP BY project_id, day
), recoveries AS (
    SELECT project_id, day, round(extract(epoch FROM next_success_at - finished_at))::int AS seconds, 0 AS incident
    FROM dw WHERE result = 'failure' AND previous_result IS DISTINCT FROM 'failure' AND next_success_at IS NOT NULL
    UNION ALL
    SELECT project_id, (opened_at AT TIME ZONE %(zone)s)::date,
        CASE WHEN resolved_at >= opened_at THEN round(extract(epoch FROM resolved_at - opened_at))::int END, 1
    FROM metrics_incident WHERE TRUE {projects}
), recovery_days AS (
    SELECT project_id, day, sum(incident)::int AS incidents,
        array_agg(seconds) FILTER (WHERE seconds IS NOT NULL) AS recovery_seconds
    FROM recoveries GROUP BY project_id, day
), change_days AS (
    SELECT project_id, (deployed_at AT TIME ZONE %(zone)s)::date AS day, count(*) AS changes,
        array_agg(round(extract(epoch FROM deployed_at - coalesce(merged_at, authored_at)))::int)
            FILTER (WHERE deployed_at >= coalesce(merged_at, authored_at)) AS lead_seconds,
        array_agg(round(extract(epoch FROM deployed_at - authored_at))::int)
            FILTER (WHERE deployed_at >= authored_at) AS cycle_seconds
    FROM metrics_change WHERE deployed_at IS NOT NULL {projects}
    GROUP BY project_id, day
), bw AS (
    SELECT project_id, finished_at, started_at, result,
        lag(result) OVER per_pipeline AS previous_result,
        min(finished_at) FILTER (WHERE result = 'success')
            OVER (PARTITION BY project_id, name, branch ORDER BY finished_at DESC, id DESC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS next_success_at
    FROM metrics_build WHERE result <> 'cancelled' {projects}
    WINDOW per_pipeline AS (PARTITION BY project_id, name, branch ORDER BY finished_at, id)
), build_days AS (
    SELECT project_id, (finished_at AT TIME ZONE %(zone)s)::date AS day, count(*) AS builds,
        count(*) FILTER (WHERE result = 'success') AS builds_successful,
        array_agg(round(extract(epoch FROM finished_at - started_at))::int) AS build_seconds,
        array_agg(round(extract(epoch FROM next_success_at - finished_at))::int)
            FILTER (WHERE result = 'failure' AND previous_result IS DISTINCT FROM 'failure'
                    AND next_success_at IS NOT NULL) AS feedback_seconds
    FROM bw GROUP BY project_id, day
)
INSERT INTO metrics_daily_rollup
SELECT project_id, day,
    coalesce(deployments, 0), coalesce(deployments_successful, 0), coalesce(failed_changes, 0),
    coalesce(rework, 0), coalesce(releases, 0), coalesce(incidents, 0), coalesce(changes, 0),
    coalesce(builds, 0), coalesce(builds_successful, 0),
    recovery_seconds, lead_seconds, cycle_seconds, build_seconds, feedback_seconds
FROM deployment_days
FULL JOIN recovery_days USING (project_id, day)
FULL JOIN change_days USING (project_id, day)
FULL JOIN build_days USING (project_id, day)
"""


def is_materialised() -> bool:
    return connection.vendor == "postgresql"


@transaction.atomic
def refresh_rollups(*, project_ids: list[int] | None = None) -> None:
    """Rebuilds the daily aggregates of these projects (all projects when None) from their events."""
    if not is_materialised():
        return
    with connection.cursor() as cursor:
        # Sorting a project's history for the window functions fits in memory this way.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        if project_ids is None:
            cursor.execute(f"TRUNCATE {TABLE}")
            cursor.execute(_BUILD.format(projects=""), {"zone": settings.TIME_ZONE})
        else:
            cursor.execute(f"DELETE FROM {TABLE} WHERE project_id = ANY(%s)", [list(project_ids)])  # noqa: S608
            sql = _BUILD.format(projects="AND project_id = ANY(%(projects)s)")
            cursor.execute(sql, {"zone": settings.TIME_ZONE, "projects": list(project_ids)})
