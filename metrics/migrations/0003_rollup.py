"""The aggregates figures are computed from (metrics/services/rollups.py), PostgreSQL only.

No foreign key to the project: the table is derived data outside Django's models (a key would block Django's
flush and TRUNCATE of projects); a full refresh_rollups() drops deleted projects' rows, readers filter by project.

intarray (a trusted contrib extension) gives sort(int[]) in C; metrics_concat joins segments' arrays into
a period's, and metrics_percentile reads percentile_cont's interpolated value from a sorted array (one
expression, so PostgreSQL inlines it: a function body with a FROM clause would run as a call per row).
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS intarray",
    """
    CREATE TABLE metrics_rollup (
        project_id bigint NOT NULL,
        segment date NOT NULL,
        deployments integer NOT NULL, deployments_successful integer NOT NULL, failed_changes integer NOT NULL,
        rework integer NOT NULL, releases integer NOT NULL, busiest_day integer NOT NULL, incidents integer NOT NULL,
        changes integer NOT NULL, builds integer NOT NULL, builds_successful integer NOT NULL,
        recovery_seconds integer[], lead_seconds integer[], cycle_seconds integer[], build_seconds integer[],
        feedback_seconds integer[],
        PRIMARY KEY (project_id, segment)
    )
    """,
    "CREATE AGGREGATE metrics_concat(integer[]) (SFUNC = array_cat, STYPE = integer[])",
    """
    CREATE FUNCTION metrics_percentile(sorted integer[], fraction float8) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN cardinality(sorted) > 0 THEN
            sorted[floor(fraction * (cardinality(sorted) - 1))::int + 1]
            + (sorted[ceil(fraction * (cardinality(sorted) - 1))::int + 1]
               - sorted[floor(fraction * (cardinality(sorted) - 1))::int + 1])
            * (fraction * (cardinality(sorted) - 1) - floor(fraction * (cardinality(sorted) - 1)))
        END
    $$
    """,
]
DROP = [
    "DROP FUNCTION IF EXISTS metrics_percentile(integer[], float8)",
    "DROP AGGREGATE IF EXISTS metrics_concat(integer[])",
    "DROP TABLE IF EXISTS metrics_rollup",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # other databases compute figures from the events directly
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("metrics", "0002_ingest_tokens_and_hooks")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
