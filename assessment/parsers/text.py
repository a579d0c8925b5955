"""Bounded reading and strict decoding of text evidence (YAML, Jenkinsfiles, Dockerfiles, Terraform, JSON). Pure."""

import codecs

from assessment.parsers.base import ParseError, Source

_CHUNK = 1024 * 1024


def describe_size(size: int) -> str:
    """A byte count as people read it: "4 MiB", "64 KiB", "900 bytes"."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= scale and size % scale == 0:
            return f"{size // scale:,} {unit}"
    return f"{size:,} bytes"


def read_bounded(source: Source, *, max_bytes: int, what: str) -> bytes:
    """The whole file, from its start; ParseError when it is larger than `max_bytes` (or the source's limit)."""
    cap = min(max_bytes, source.limits.max_bytes)
    source.stream.seek(0)
    chunks, total = [], 0
    while total <= cap:
        source.deadline.check()
        chunk = source.stream.read(min(_CHUNK, cap + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > cap:
        raise ParseError(f"The {what} is larger than {describe_size(cap)}, the most we read for this kind of file.")
    return b"".join(chunks)


def decode_text(data: bytes, *, what: str) -> str:
    """UTF-8 text (a BOM is dropped); ParseError naming the line of the first bad byte, or of a NUL byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError(f"The {what} is not valid UTF-8 (line {line}); save it as UTF-8.") from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ParseError(f"The {what} contains a NUL byte (line {line}); it looks like a binary or UTF-16 file.")
    return text


def decode_head(head: bytes) -> str | None:
    """The first bytes as text for recognisers (a character cut at the end is tolerated); None if not UTF-8."""
    if b"\x00" in head:
        return None
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return text.removeprefix("\ufeff")


def line_of(text: str, position: int) -> int:
    """The 1-based line number of a character position."""
    return text.count("\n", 0, position) + 1
