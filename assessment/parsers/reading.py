"""Reading evidence files, the parsers' one entry point: recognise the kind by content, then let that kind's
parser extract facts.

`read_evidence` expands gzip within a cap, tries each reader's recogniser on the first 64 KiB, and returns
kind `other` (kept for human review) when none recognises the file.
"""

import gzip
import tempfile
import zlib
from contextlib import contextmanager
from typing import BinaryIO

from assessment.parsers import coverage, infrastructure, junit, pipelines, records, sarif
from assessment.parsers.base import Deadline, Limits, ParseError, ParseResult, Source

HEAD_BYTES = 64 * 1024
CHUNK = 1024 * 1024

# (kind, recognises, parse) in the order tried: most specific first (SARIF is JSON, as record files may be;
# JUnit and coverage reports are both XML).
READERS = [
    ("sarif", sarif.recognises, sarif.parse),
    ("junit", junit.recognises, junit.parse),
    ("coverage", coverage.recognises, coverage.parse),
    *pipelines.KINDS,
    *infrastructure.KINDS,
    *records.KINDS,
]


__all__ = ["Limits", "ParseError", "ParseResult", "read_evidence"]


@contextmanager
def _expanded(stream: BinaryIO, limits: Limits, deadline: Deadline):
    """The stream itself, or for gzip its expansion in a spooled temporary file, refused past the cap."""
    stream.seek(0)
    if stream.read(2) != b"\x1f\x8b":
        stream.seek(0)
        yield stream
        return
    stream.seek(0)
    with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as expanded:
        written = 0
        try:
            with gzip.GzipFile(fileobj=stream) as unzipped:
                while chunk := unzipped.read(CHUNK):
                    written += len(chunk)
                    if written > limits.max_bytes:
                        raise ParseError(
                            f"The gzip file expands to more than {limits.max_bytes // (1024 * 1024)} MB; "
                            "it was not read."
                        )
                    expanded.write(chunk)
                    deadline.check()
        except (OSError, EOFError, zlib.error) as error:
            raise ParseError(f"The gzip file is damaged or truncated ({error}).") from None
        expanded.seek(0)
        yield expanded


def read_evidence(stream: BinaryIO, *, name: str, limits: Limits | None = None) -> ParseResult:
    """The kind and facts of an evidence file; raises ParseError with a readable reason."""
    limits = limits or Limits()
    deadline = Deadline(limits.max_seconds)
    with _expanded(stream, limits, deadline) as readable:
        head = readable.read(HEAD_BYTES)
        readable.seek(0)
        source = Source(stream=readable, name=name, head=head, limits=limits, deadline=deadline)
        for _kind, recognises, parse in READERS:
            if recognises(head):
                return parse(source)
    return ParseResult(kind="other", facts={}, summary="")
