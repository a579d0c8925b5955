"""Parser tests are pure: bytes in, facts out, no database."""

import io
from pathlib import Path

import pytest

from assessment.parsers.base import Deadline, Limits, ParseResult, Source

SAMPLES = Path(__file__).parent / "samples"


def source_of(data: bytes, *, max_bytes: int | None = None, seconds: float = 60.0) -> Source:
    limits = Limits(max_bytes=max_bytes) if max_bytes is not None else Limits()
    return Source(
        stream=io.BytesIO(data), name="evidence", head=data[: 64 * 1024], limits=limits, deadline=Deadline(seconds)
    )


@pytest.fixture
def read():
    """read(parser_module, data, **limits) -> ParseResult, through the parser's public `parse`."""

    def parse(parser, data: bytes, **limits) -> ParseResult:
        return parser.parse(source_of(data, **limits))

    return parse
