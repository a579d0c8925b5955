"""Statements PostgreSQL plans once per connection (PREPARE on first use, EXECUTE after), for the hottest paths.

Saving an answer is one statement that PostgreSQL took about as long to plan as to run (EXPLAIN ANALYZE:
0.27 ms planning, 0.33 ms execution); the access check of every request about an assessment is another.
Django with psycopg2 never prepares a statement (psycopg 3 would). A prepared statement lasts as long as its
connection, which Django keeps for DATABASE_CONN_MAX_AGE seconds; PostgreSQL plans it again by itself after a
schema change. (A pooler in transaction mode that does not track prepared statements, such as PgBouncer before
1.21, would need DATABASE_PREPARED_STATEMENTS=false.)

On other databases, and with preparing switched off, the statement is run as written.
"""

import re
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import DatabaseError

_PREPARED, _UNKNOWN = "prepared", "unknown"
# Per raw connection, what is known of each statement's preparation there.
_states: WeakKeyDictionary = WeakKeyDictionary()


class PreparedStatement:
    """SQL with %(name)s placeholders; `types` gives every parameter's PostgreSQL type."""

    def __init__(self, name: str, sql: str, types: dict[str, str]):
        order = list(types)
        body = re.sub(r"%\((\w+)\)s", lambda match: f"${order.index(match[1]) + 1}", sql)
        self.name, self.sql = name, sql
        self._execute = f"EXECUTE {name} ({', '.join(f'%({parameter})s' for parameter in order)})"
        # Prepared and run in one round trip, so that the first use costs no more queries than later ones.
        self._prepare_and_execute = f"PREPARE {name} ({', '.join(types.values())}) AS {body};\n{self._execute}"

    def execute(self, cursor, params: dict) -> None:
        """Runs the statement on a Django cursor; fetch its rows from the cursor as usual."""
        database = cursor.db
        if database.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
            cursor.execute(self.sql, params)
            return
        states = _states.setdefault(database.connection, {})
        if states.get(self.name) == _UNKNOWN and self._exists(cursor):
            states[self.name] = _PREPARED
        if states.get(self.name) == _PREPARED:
            cursor.execute(self._execute, params)
            return
        try:
            cursor.execute(self._prepare_and_execute, params)
        except DatabaseError:
            # PREPARE outlives the failure of what follows it (and any rollback): ask before preparing again.
            states[self.name] = _UNKNOWN
            raise
        states[self.name] = _PREPARED

    def _exists(self, cursor) -> bool:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = %s)", [self.name])
        return cursor.fetchone()[0]
