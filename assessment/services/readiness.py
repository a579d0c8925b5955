"""Whether this process can do its work: the database, the broker (when one is configured) and the file store.

Each check answers "ok", "not configured" or "failed"; the cause of a failure goes to the log, not to the
(public) answer.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from kombu import Connection
from kombu.exceptions import OperationalError

from assessment.services.evidence_store import probe
from assessment.services.exceptions import StoreUnavailable

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 2


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker() -> None:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def readiness() -> dict[str, str]:
    """Each dependency's state by name."""
    checks = {"database": _database, "broker": _broker, "store": probe}
    states = {}
    for name, check in checks.items():
        if name == "broker" and settings.CELERY_TASK_ALWAYS_EAGER:
            states[name] = "not configured"  # the embedded default runs tasks in-process
            continue
        try:
            check()
        except (DatabaseError, OperationalError, StoreUnavailable, OSError) as error:
            logger.warning("Readiness check %s failed: %s", name, error)
            states[name] = "failed"
        else:
            states[name] = "ok"
    return states
