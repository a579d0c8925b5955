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
from django.core.cache import cache
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


def publish_once_after_commit(task_name: str, *args, within: int = 2) -> None:
    """publish_after_commit for a recomputation (work that reads the latest rows whenever it runs): a burst of
    calls sends it once. The first call after a commit sends it to run `within` + 1 seconds later and leaves a mark
    in the default cache for `within` seconds; a call that finds the mark sends nothing, because the run still to
    come starts after its commit and reads what it wrote. Without a broker (eager mode) every call runs it at once."""
    registered_task(task_name)
    transaction.on_commit(partial(_publish_once, task_name, args, within))


def _publish_once(task_name: str, args: tuple, within: int) -> None:
    task = registered_task(task_name)
    if task.app.conf.task_always_eager:
        task.delay(*args)
        return
    mark = f"queued:{task_name}:{':'.join(map(str, args))}"
    if not cache.add(mark, True, timeout=within):
        return
    if not _publish(task_name, *args, countdown=within + 1):
        cache.delete(mark)  # not sent: the next call tries again


def _publish(task_name: str, *args, countdown: int | None = None) -> bool:
    try:
        registered_task(task_name).apply_async(args, countdown=countdown)
    except KombuOperationalError:
        logger.warning("Broker unavailable: %s%s not sent now; its row stays pending for a sweep.", task_name, args)
        return False
    return True
