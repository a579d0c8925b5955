"""The figures in PostgreSQL, from the materialised aggregates (metrics/services/rollups.py): one query that
groups each project's segments into periods with date_trunc, sums the counts and takes percentiles of the
segments' durations (metrics_percentile over the sorted concatenation: the value percentile_cont gives).

Returns {(project_id, period start date): {total name: value}}; metrics/selectors/figures.py turns the totals
into figures. Scoped by project and days when `scope` names them; unscoped (every project, all history) for a
full recompute. The SQL text is fixed; every value is a parameter.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction


def is_materialised() -> bool:
    """Whether the figures are read from the materialised aggregates (PostgreSQL) rather than from the rows."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Scope:
    kind: str  # week, month or quarter
    project_ids: tuple[int, ...] | None = None  # None: every project
    first_day: datetime.date | None = None  # local days [first_day, end_day), period-aligned; None: all
    end_day: datetime.date | None = None

    @property
    def is_bounded(self) -> bool:
        return self.first_day is not None


_FIGURES = """
SELECT project_id, period, deployments, successful, failed_changes, rework, releases, max_per_day, incidents,
    changes, builds, builds_successful,
    metrics_percentile(recovery, 0.5) AS recovery_seconds,
    metrics_percentile(lead, 0.5) AS lead_seconds_median,
    metrics_percentile(lead, 0.9) AS lead_seconds_p90,
    metrics_percentile(cycle, 0.5) AS cycle_seconds,
    metrics_percentile(build, 0.5) AS build_seconds_median,
    metrics_percentile(build, 0.9) AS build_seconds_p90,
    metrics_percentile(feedback, 0.5) AS feedback_seconds
FROM (
    SELECT project_id, date_trunc(%(kind)s, segment::timestamp)::date AS period,
        sum(deployments) AS deployments, sum(deployments_successful) AS successful,
        sum(failed_changes) AS failed_changes, sum(rework) AS rework, sum(releases) AS releases,
        max(busiest_day) AS max_per_day, sum(incidents) AS incidents, sum(changes) AS changes,
        sum(builds) AS builds, sum(builds_successful) AS builds_successful,
        sort(metrics_concat(recovery_seconds)) AS recovery, sort(metrics_concat(lead_seconds)) AS lead,
        sort(metrics_concat(cycle_seconds)) AS cycle, sort(metrics_concat(build_seconds)) AS build,
        sort(metrics_concat(feedback_seconds)) AS feedback
    FROM metrics_rollup WHERE TRUE {where}
    GROUP BY project_id, period
) AS periods
"""


def totals(scope: Scope) -> dict[tuple[int, datetime.date], dict]:
    clauses = []
    if scope.project_ids is not None:
        clauses.append("AND project_id = ANY(%(projects)s)")
    if scope.is_bounded:
        clauses.append("AND segment >= %(first_day)s AND segment < %(end_day)s")
    params = {
        "kind": scope.kind,
        "projects": list(scope.project_ids or ()),
        "first_day": scope.first_day,
        "end_day": scope.end_day,
    }
    sql = _FIGURES.format(where=" ".join(clauses))
    if scope.is_bounded:
        return _run(sql, params)
    with transaction.atomic(), connection.cursor() as cursor:
        # Every project's history at once: compiling the plan costs more than it saves, and each period's
        # arrays are built in memory.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        return _run(sql, params)


def _run(sql: str, params: dict) -> dict[tuple[int, datetime.date], dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {(row.pop("project_id"), row.pop("period")): row for row in rows}
