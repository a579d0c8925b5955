"""Sending work to the workers once the current transaction commits, without ever failing the request for it.

The rows the work is about are the outbox: when the broker is down the message is dropped with a warning, and
the periodic sweeper (or the next change) sends the work again.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

logger = logging.getLogger(__name__)


def publish_after_commit(task, *args) -> None:
    transaction.on_commit(partial(_publish, task, *args))


def _publish(task, *args) -> None:
    try:
        task.delay(*args)
    except KombuOperationalError:
        logger.warning("Broker unavailable: %s%s not sent now; the sweeper sends it later.", task.name, args)
