"""The evidence file store, whichever Django's `STORAGES["default"]` is (local disk or an S3-compatible service):
its failures as one exception, a digest-checked reading, and a probe for readiness."""

import hashlib
import logging
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import default_storage

from assessment.services.exceptions import StoreUnavailable

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024
PROBE_NAME = "readiness-probe"
_MISSING = {"404", "NoSuchKey", "NotFound"}


class DigestMismatch(Exception):
    """The stored bytes are not the ones uploaded; `reason` says how they differ."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@contextmanager
def store_errors():
    """Turns the store's transport failures (and a local disk's) into StoreUnavailable; a missing file stays
    FileNotFoundError."""
    try:
        yield
    except FileNotFoundError:
        raise
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in _MISSING:
            raise FileNotFoundError(str(error)) from error
        raise StoreUnavailable(str(error)) from error
    except (BotoCoreError, OSError) as error:
        raise StoreUnavailable(str(error)) from error


def verify_digest(stream, *, sha256: str, size: int) -> None:
    """Reads the stream once (no further than the recorded size) and raises DigestMismatch unless its bytes are
    the ones recorded at upload; leaves the stream at its start."""
    stored_size = getattr(stream, "size", None)
    if stored_size is not None and stored_size != size:
        # Checked before reading, so a swapped object of any size is never downloaded.
        raise DigestMismatch(f"The stored file has {stored_size} bytes, not the {size} bytes uploaded.")
    digest, read = hashlib.sha256(), 0
    stream.seek(0)
    while read <= size and (chunk := stream.read(min(CHUNK, size + 1 - read))):
        digest.update(chunk)
        read += len(chunk)
    stream.seek(0)
    if read != size or digest.hexdigest() != sha256:
        raise DigestMismatch("The stored file's SHA-256 digest differs from the one recorded at upload.")


def delete_quietly(name: str) -> None:
    """Removes a stored file left without its record; when the store is down the orphan is only logged."""
    try:
        with store_errors():
            default_storage.delete(name)
    except StoreUnavailable:
        logger.warning("Could not remove the orphaned evidence file %s: the store is unavailable.", name)


def probe() -> None:
    """Raises StoreUnavailable unless the store answers (a lookup of a name that need not exist)."""
    with store_errors():
        default_storage.exists(PROBE_NAME)
