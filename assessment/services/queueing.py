"""Sending work to the workers once the current transaction commits, without ever failing the request for it.

Services name the task (`"assessment.refresh_levels"`) instead of importing it: tasks import services, never the
reverse. The name is resolved through the Celery app's task registry (the apps' `ready()` registers the tasks
modules), so eager mode, the embedded default, runs the task in-process as `delay` would; `send_task` would not.

The rows the work is about are the outbox: when the broker is down the message is dropped with a warning, and
the periodic sweeper (or the next change) sends the work again.
"""

import logging
from functools import partial

from celery import current_app
from celery.app.task import Task
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

logger = logging.getLogger(__name__)


def registered_task(task_name: str) -> Task:
    """The task registered under this name; raises KeyError for a name no tasks module registers."""
    return current_app.tasks[task_name]


def publish_after_commit(task_name: str, *args) -> None:
    """Sends the named task with these arguments once the transaction commits (at once outside one)."""
    registered_task(task_name)  # a misspelt name fails here, in the caller, not after the commit
    transaction.on_commit(partial(_publish, task_name, *args))


def _publish(task_name: str, *args) -> None:
    try:
        registered_task(task_name).delay(*args)
    except KombuOperationalError:
        logger.warning("Broker unavailable: %s%s not sent now; its row stays pending for a sweep.", task_name, args)
