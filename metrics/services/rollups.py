"""Delivery aggregates per project and segment, materialised in PostgreSQL (table metrics_rollup), from which
the figures of any week, month or quarter are computed (metrics/selectors/postgres.py).

A segment is the part of a week that lies in one month (local days, settings.TIME_ZONE): every week, month and
quarter is a union of whole segments, so one table serves all three kinds with about 1.3 rows per week. A row
holds additive counts, the busiest day's successful deployments, and the segment's individual durations as
sorted integer arrays of whole seconds (medians are not additive, so the values themselves are kept). A
period's percentile concatenates its segments' arrays, sorts them in C (intarray's sort, nearly free on a
single sorted segment) and interpolates as percentile_cont does (metrics_percentile); the table, the aggregate
and the function come with migration 0002. Everything that needs an event's neighbours (a deployment after a
failed change is rework; a red run's recovery; a release is a version's first successful production
deployment) is settled here, over the project's whole history.

`refresh_rollups(project_ids=...)` rebuilds the named projects' rows; call it after their events or links change
(ingest and metrics.relink_project should). `refresh_rollups()` rebuilds every project's rows, e.g. after the
site's time zone changed. Other databases (SQLite) compute figures from the events directly and keep no rollup.
"""

import re

from django.conf import settings
from django.db import connection, transaction

from metrics.selectors.postgres import is_materialised

_TEMPLATE = """
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
        (finished_at AT TIME ZONE %(zone)s)::date AS day,
        SEGMENT(finished_at) AS segment
    FROM d
    WINDOW oldest_first AS (PARTITION BY project_id ORDER BY finished_at, id)
), deployment_days AS (
    SELECT project_id, segment, day,
        count(*) AS deployments,
        count(*) FILTER (WHERE result = 'success') AS deployments_successful,
        count(*) FILTER (WHERE failed_change) AS failed_changes,
        count(*) FILTER (WHERE previous_failed) AS rework,
        count(*) FILTER (WHERE is_release) AS releases
    FROM dw GROUP BY project_id, segment, day
), deployment_segments AS (
    SELECT project_id, segment, sum(deployments) AS deployments,
        sum(deployments_successful) AS deployments_successful, sum(failed_changes) AS failed_changes,
        sum(rework) AS rework, sum(releases) AS releases, max(deployments_successful) AS busiest_day
    FROM deployment_days GROUP BY project_id, segment
), recoveries AS (
    SELECT project_id, segment, round(extract(epoch FROM next_success_at - finished_at))::int AS seconds,
        0 AS incident
    FROM dw WHERE result = 'failure' AND previous_result IS DISTINCT FROM 'failure' AND next_success_at IS NOT NULL
    UNION ALL
    SELECT project_id, SEGMENT(opened_at),
        CASE WHEN resolved_at >= opened_at THEN round(extract(epoch FROM resolved_at - opened_at))::int END, 1
    FROM metrics_incident WHERE TRUE {projects}
), recovery_segments AS (
    SELECT project_id, segment, sum(incident) AS incidents,
        array_agg(seconds ORDER BY seconds) FILTER (WHERE seconds IS NOT NULL) AS recovery_seconds
    FROM recoveries GROUP BY project_id, segment
), change_durations AS (
    SELECT project_id, SEGMENT(deployed_at) AS segment,
        CASE WHEN deployed_at >= coalesce(merged_at, authored_at)
            THEN round(extract(epoch FROM deployed_at - coalesce(merged_at, authored_at)))::int END AS lead,
        CASE WHEN deployed_at >= authored_at THEN round(extract(epoch FROM deployed_at - authored_at))::int END
            AS cycle
    FROM metrics_change WHERE deployed_at IS NOT NULL {projects}
), change_segments AS (
    SELECT project_id, segment, count(*) AS changes,
        array_agg(lead ORDER BY lead) FILTER (WHERE lead IS NOT NULL) AS lead_seconds,
        array_agg(cycle ORDER BY cycle) FILTER (WHERE cycle IS NOT NULL) AS cycle_seconds
    FROM change_durations GROUP BY project_id, segment
), bw AS (
    SELECT project_id, finished_at, result,
        round(extract(epoch FROM finished_at - started_at))::int AS took,
        lag(result) OVER per_pipeline AS previous_result,
        min(finished_at) FILTER (WHERE result = 'success')
            OVER (PARTITION BY project_id, name, branch ORDER BY finished_at DESC, id DESC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS next_success_at
    FROM metrics_build WHERE result <> 'cancelled' {projects}
    WINDOW per_pipeline AS (PARTITION BY project_id, name, branch ORDER BY finished_at, id)
), build_durations AS (
    SELECT project_id, SEGMENT(finished_at) AS segment, result, took,
        CASE WHEN result = 'failure' AND previous_result IS DISTINCT FROM 'failure' AND next_success_at IS NOT NULL
            THEN round(extract(epoch FROM next_success_at - finished_at))::int END AS feedback
    FROM bw
), build_segments AS (
    SELECT project_id, segment, count(*) AS builds,
        count(*) FILTER (WHERE result = 'success') AS builds_successful,
        array_agg(took ORDER BY took) AS build_seconds,
        array_agg(feedback ORDER BY feedback) FILTER (WHERE feedback IS NOT NULL) AS feedback_seconds
    FROM build_durations GROUP BY project_id, segment
)
INSERT INTO metrics_rollup
SELECT project_id, segment,
    coalesce(deployments, 0), coalesce(deployments_successful, 0), coalesce(failed_changes, 0),
    coalesce(rework, 0), coalesce(releases, 0), coalesce(busiest_day, 0), coalesce(incidents, 0),
    coalesce(changes, 0), coalesce(builds, 0), coalesce(builds_successful, 0),
    recovery_seconds, lead_seconds, cycle_seconds, build_seconds, feedback_seconds
FROM deployment_segments
FULL JOIN recovery_segments USING (project_id, segment)
FULL JOIN change_segments USING (project_id, segment)
FULL JOIN build_segments USING (project_id, segment)
"""
# The segment of a local time: the later of its week's and its month's first day.
_BUILD = re.sub(
    r"SEGMENT\((\w+)\)",
    r"greatest(date_trunc('week', \1 AT TIME ZONE %(zone)s), date_trunc('month', \1 AT TIME ZONE %(zone)s))::date",
    _TEMPLATE,
)


@transaction.atomic
def refresh_rollups(*, project_ids: list[int] | None = None) -> None:
    """Rebuilds the aggregates of these projects (all projects when None) from their events."""
    if not is_materialised():
        return
    with connection.cursor() as cursor:
        # Sorting a project's history for the window functions fits in memory this way.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        if project_ids is None:
            cursor.execute("TRUNCATE metrics_rollup")
            cursor.execute(_BUILD.format(projects=""), {"zone": settings.TIME_ZONE})
        else:
            cursor.execute("DELETE FROM metrics_rollup WHERE project_id = ANY(%s)", [list(project_ids)])
            sql = _BUILD.format(projects="AND project_id = ANY(%(projects)s)")
            cursor.execute(sql, {"zone": settings.TIME_ZONE, "projects": list(project_ids)})
