"""What every evidence parser shares. Parsers are pure: a binary stream in, typed facts out; no ORM.

A parser never trusts its input: it streams (no whole-file DOM for large XML), stays within `Limits`, and turns
every problem into `ParseError` with a reason a person can read. Unknown content is not an error: it is kept
for human review with kind `other`.
"""

import time
from dataclasses import dataclass, field
from typing import BinaryIO

Fact = int | float | bool | str


class ParseError(Exception):
    """The file claims to be a kind we read but cannot be read safely or correctly; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 250 * 1024 * 1024  # after gzip expansion
    max_seconds: float = 60.0  # cooperative deadline; the Celery time limit is the hard stop
    max_yaml_nodes: int = 200_000  # aliases are counted each time they are used
    max_csv_rows: int = 1_000_000
    max_csv_field: int = 64 * 1024


@dataclass
class Deadline:
    """Cooperative time limit: parsers call `check()` inside their loops."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise ParseError(f"Reading took longer than {self.seconds:g} s; the file is too large or malformed.")


@dataclass(frozen=True)
class ParseResult:
    """What a parser found: the kind of evidence and its facts (names as in assessment/catalogs/FORMAT.md)."""

    kind: str
    facts: dict[str, Fact]
    summary: str = ""  # one English line for people, e.g. "1,204 tests, 3 failed, 12 skipped"


@dataclass(frozen=True)
class Source:
    """An evidence file to parse: a seekable binary stream (already gunzipped) and its display name."""

    stream: BinaryIO
    name: str
    head: bytes  # the first 64 KiB, for recognising the kind by content
    limits: Limits
    deadline: Deadline
