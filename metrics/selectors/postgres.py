"""The figures in PostgreSQL: three aggregate queries (deployments with incidents, changes, builds) grouped by
project and period, with percentile_cont, date_trunc in the site's time zone and FILTER.

Each query returns {(project_id, period start date): {total name: value}}; metrics/selectors/figures.py turns
the totals into figures. Scoped by project and time when `scope` names them; unscoped (every project, all
history) for a full recompute. The SQL text is built only from the fixed fragments below; every value is a
parameter.
"""

import datetime
from dataclasses import dataclass

from django.db import connection

# Builds next to the range that decide a red run's start and its green end; a red run longer than this at the
# edge of the range is cut there.
BUILD_MARGIN = datetime.timedelta(days=14)


@dataclass(frozen=True)
class Scope:
    kind: str  # week, month or quarter
    zone: str  # IANA time zone name
    project_ids: tuple[int, ...] | None = None  # None: every project
    starts_at: datetime.datetime | None = None  # None: all history
    ends_at: datetime.datetime | None = None

    @property
    def is_bounded(self) -> bool:
        return self.starts_at is not None

    def params(self, **extra) -> dict:
        return {
            "kind": self.kind,
            "zone": self.zone,
            "projects": list(self.project_ids or ()),
            "start": self.starts_at,
            "end": self.ends_at,
            "build_start": self.starts_at - BUILD_MARGIN if self.starts_at else None,
            "build_end": self.ends_at + BUILD_MARGIN if self.ends_at else None,
            **extra,
        }


def _where(scope: Scope, time_column: str, *, start: str = "start", end: str = "end") -> str:
    clauses = []
    if scope.project_ids is not None:
        clauses.append("AND project_id = ANY(%(projects)s)")
    if scope.is_bounded:
        clauses.append(f"AND {time_column} >= %({start})s AND {time_column} < %({end})s")
    return " ".join(clauses)


_DEPLOYMENT_COLUMNS = "id, project_id, finished_at, result, version, commit_sha"

# The deployment just before the range (is the first one in it rework? does it start a red run?) and the first
# success after it (when did a red run at the end of the range recover?), one index probe each per project.
_EDGES = """
    UNION ALL
    SELECT edge.*, FALSE FROM unnest(%(projects)s::bigint[]) AS p(id) CROSS JOIN LATERAL (
        (SELECT id, project_id, finished_at, result, version, commit_sha FROM metrics_deployment
         WHERE project_id = p.id AND is_production AND finished_at < %(start)s
         ORDER BY finished_at DESC, id DESC LIMIT 1)
        UNION ALL
        (SELECT id, project_id, finished_at, result, version, commit_sha FROM metrics_deployment
         WHERE project_id = p.id AND is_production AND result = 'success' AND finished_at >= %(end)s
         ORDER BY finished_at, id LIMIT 1)
    ) AS edge
"""

_DEPLOYMENTS = """
WITH d AS (
    SELECT {columns}, TRUE AS in_range FROM metrics_deployment WHERE is_production {where}
    {edges}
), flagged AS (
    SELECT d.*, (d.result = 'failure' OR d.id IN (
        SELECT deployment_id FROM metrics_incident WHERE deployment_id IS NOT NULL {incident_projects}
    )) AS failed_change FROM d
), w AS (
    -- Newest first: lead() is the previous deployment, the growing frame holds every later one.
    SELECT flagged.*,
        lead(failed_change) OVER newest_first AS previous_failed,
        lead(result) OVER newest_first AS previous_result,
        min(finished_at) FILTER (WHERE result = 'success')
            OVER (newest_first ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS next_success_at
    FROM flagged
    WINDOW newest_first AS (PARTITION BY project_id ORDER BY finished_at DESC, id DESC)
), p AS (
    SELECT w.*, date_trunc(%(kind)s, finished_at AT TIME ZONE %(zone)s)::date AS period,
        (finished_at AT TIME ZONE %(zone)s)::date AS day
    FROM w WHERE in_range
), deployment_totals AS (
    SELECT project_id, period,
        count(*) AS deployments,
        count(*) FILTER (WHERE result = 'success') AS successful,
        count(*) FILTER (WHERE failed_change) AS failed_changes,
        count(*) FILTER (WHERE previous_failed) AS rework,
        count(DISTINCT coalesce(nullif(version, ''), nullif(commit_sha, ''), id::text))
            FILTER (WHERE result = 'success') AS releases
    FROM p GROUP BY project_id, period
), busiest AS (
    SELECT project_id, period, max(per_day) AS max_per_day FROM (
        SELECT project_id, period, day, count(*) AS per_day FROM p WHERE result = 'success'
        GROUP BY project_id, period, day
    ) AS days GROUP BY project_id, period
), recoveries AS (
    SELECT project_id, period, next_success_at - finished_at AS took, FALSE AS is_incident FROM p
    WHERE result = 'failure' AND previous_result IS DISTINCT FROM 'failure' AND next_success_at IS NOT NULL
    UNION ALL
    SELECT project_id, date_trunc(%(kind)s, opened_at AT TIME ZONE %(zone)s)::date,
        CASE WHEN resolved_at >= opened_at THEN resolved_at - opened_at END, TRUE
    FROM metrics_incident WHERE TRUE {incident_where}
), recovery_totals AS (
    SELECT project_id, period,
        extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY took))::float AS recovery_seconds,
        count(took) AS recoveries,
        count(*) FILTER (WHERE is_incident) AS incidents
    FROM recoveries GROUP BY project_id, period
)
SELECT * FROM deployment_totals
FULL JOIN busiest USING (project_id, period)
FULL JOIN recovery_totals USING (project_id, period)
"""

_CHANGES = """
SELECT project_id, date_trunc(%(kind)s, deployed_at AT TIME ZONE %(zone)s)::date AS period,
    count(*) AS changes,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY deployed_at - coalesce(merged_at, authored_at))
        FILTER (WHERE deployed_at >= coalesce(merged_at, authored_at)) AS lead_times,
    extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY deployed_at - authored_at)
        FILTER (WHERE deployed_at >= authored_at))::float AS cycle_seconds
FROM metrics_change WHERE deployed_at IS NOT NULL {where}
GROUP BY project_id, period
"""

_BUILDS = """
WITH b AS (
    SELECT id, project_id, name, branch, started_at, finished_at, result FROM metrics_build
    WHERE result <> 'cancelled' {margin_where}
), w AS (
    -- Per pipeline and branch, newest first: the previous run's result and the next green run.
    SELECT b.*,
        lead(result) OVER newest_first AS previous_result,
        min(finished_at) FILTER (WHERE result = 'success')
            OVER (newest_first ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS next_success_at
    FROM b
    WINDOW newest_first AS (PARTITION BY project_id, name, branch ORDER BY finished_at DESC, id DESC)
)
SELECT project_id, date_trunc(%(kind)s, finished_at AT TIME ZONE %(zone)s)::date AS period,
    count(*) AS builds,
    count(*) FILTER (WHERE result = 'success') AS builds_successful,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY finished_at - started_at) AS build_times,
    extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY next_success_at - finished_at)
        FILTER (WHERE result = 'failure' AND previous_result IS DISTINCT FROM 'failure'
                AND next_success_at IS NOT NULL))::float AS feedback_seconds
FROM w WHERE TRUE {range_where}
GROUP BY project_id, period
"""


def _seconds(value) -> float | None:
    return None if value is None else value.total_seconds()


def _run(sql: str, params: dict) -> dict[tuple[int, datetime.date], dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {(row.pop("project_id"), row.pop("period")): row for row in rows}


def deployment_totals(scope: Scope) -> dict[tuple[int, datetime.date], dict]:
    project_filter = "AND project_id = ANY(%(projects)s)" if scope.project_ids is not None else ""
    sql = _DEPLOYMENTS.format(
        columns=_DEPLOYMENT_COLUMNS,
        where=_where(scope, "finished_at"),
        edges=_EDGES if scope.is_bounded else "",
        incident_projects=project_filter,
        incident_where=_where(scope, "opened_at"),
    )
    return _run(sql, scope.params())


def change_totals(scope: Scope) -> dict[tuple[int, datetime.date], dict]:
    totals = _run(_CHANGES.format(where=_where(scope, "deployed_at")), scope.params())
    for row in totals.values():
        lead_times = row.pop("lead_times") or [None, None]
        row["lead_seconds_median"], row["lead_seconds_p90"] = (_seconds(value) for value in lead_times)
    return totals


def build_totals(scope: Scope) -> dict[tuple[int, datetime.date], dict]:
    sql = _BUILDS.format(
        margin_where=_where(scope, "finished_at", start="build_start", end="build_end"),
        range_where=_where(scope, "finished_at") if scope.is_bounded else "",
    )
    totals = _run(sql, scope.params())
    for row in totals.values():
        build_times = row.pop("build_times") or [None, None]
        row["build_seconds_median"], row["build_seconds_p90"] = (_seconds(value) for value in build_times)
    return totals
