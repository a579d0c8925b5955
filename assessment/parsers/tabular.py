"""Rows of record files, CSV or JSON, read within limits and mapped to canonical column names. Pure.

CSV is streamed: bytes are decoded incrementally and cut into lines here, so no line longer than four times
`limits.max_csv_field` is ever held; such a line, a field above `max_csv_field`, a NUL byte or bytes that are
not valid in the file's encoding make that row rejected with a reason, and reading goes on. A UTF-8 BOM is
dropped; a head that is not UTF-8 but is valid GB18030 (Chinese Excel exports) is read as GB18030; UTF-16 is
refused with advice. Cells that start with `=`, `+`, `-` or `@` are plain text here: nothing is evaluated.
JSON (a list of objects, an object holding such a list, or JSON Lines) is read whole, up to 8 MiB.
"""

import codecs
import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from assessment.parsers.base import ParseError, Source
from assessment.parsers.text import decode_head, decode_text, read_bounded

MAX_JSON_BYTES = 8 * 1024 * 1024
LIST_KEYS = ("deployments", "incidents", "events", "records", "items", "data", "results")
_CHUNK = 256 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_SEPARATORS = re.compile(r"[\s\-/.]+")


@dataclass(frozen=True)
class Record:
    """One row: its line (CSV) or position (JSON), canonical column -> text, and why it cannot be read."""

    line: int
    values: dict[str, str]
    problem: str = ""


def normalise(name: str) -> str:
    """A column name compared loosely: "Started At" and "started-at" both give "started_at"."""
    return _SEPARATORS.sub("_", name.strip().strip("\ufeff\"'").strip().lower()).strip("_")


def column_index(names: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Canonical column -> position, from a header's names (the first matching column wins)."""
    found: dict[str, int] = {}
    for position, name in enumerate(names):
        key = normalise(name)
        for canonical, options in aliases.items():
            if key in options and canonical not in found:
                found[canonical] = position
    return found


def is_json(head_text: str) -> bool:
    return head_text.lstrip()[:1] in ("[", "{")


def head_text(head: bytes) -> str | None:
    """The head as text: UTF-8, else GB18030; None when it is neither."""
    text = decode_head(head)
    if text is not None:
        return text
    try:
        return codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
    except UnicodeDecodeError:
        return None


def header_names(text: str) -> list[str]:
    """The first non-empty line of CSV text, split into names."""
    line = _first_line(text)
    return next(csv.reader([line], delimiter=_delimiter(line)), [])


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")[:4096]


def _delimiter(line: str) -> str:
    return max(_DELIMITERS, key=line.count) if any(mark in line for mark in _DELIMITERS) else ","


def read_records(source: Source, *, aliases: dict, what: str) -> tuple[set[str], Iterable[Record]]:
    """The canonical columns present and the file's records (streamed for CSV); ParseError for unreadable files."""
    text = head_text(source.head)
    if text is not None and is_json(text):
        return _json_records(source, aliases, what)
    return _csv_records(source, aliases, what)


# CSV


def _csv_encoding(head: bytes, what: str) -> str:
    """UTF-8, or GB18030 when the head is not UTF-8 and no line of it is (so mixed files stay UTF-8)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head[:200].count(b"\x00") > 20:
        raise ParseError(f"The {what} look like UTF-16 text; save them as CSV UTF-8.")
    if decode_head(head) is not None:
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
    except UnicodeDecodeError:
        return "utf-8-sig"  # rows that are not UTF-8 are rejected one by one
    return "utf-8-sig" if any(_is_utf8_text(line) for line in head.splitlines()) else "gb18030"


def _is_utf8_text(line: bytes) -> bool:
    try:
        return not line.isascii() and bool(line.decode("utf-8"))
    except UnicodeDecodeError:
        return False


class _Lines:
    """Lines of a binary stream, cut at the separator (an ASCII byte, never inside a UTF-8 or GB18030
    character) and decoded one by one, so a row in another encoding spoils only itself. A line longer than
    `max_line` bytes is skipped, and its number remembered."""

    def __init__(self, source: Source, encoding: str, separator: bytes):
        self.source = source
        self.encoding = encoding
        self.separator = separator
        self.max_line = 4 * source.limits.max_csv_field
        self.overlong: list[int] = []
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        buffer, skipping = b"", False
        while chunk := self._read():
            buffer += chunk
            start = 0
            while (cut := buffer.find(self.separator, start)) >= 0:
                line = buffer[start : cut + 1]
                start = cut + 1
                if skipping:
                    skipping = False
                    continue
                self.count += 1
                yield self._decode(line) if len(line) <= self.max_line else self._skip()
            buffer = buffer[start:]
            if skipping:
                buffer = b""
            elif len(buffer) > self.max_line:
                self.count += 1
                skipping, buffer = True, b""
                yield self._skip()
        if buffer and not skipping:
            self.count += 1
            yield self._decode(buffer)

    def _read(self) -> bytes:
        self.source.deadline.check()
        return self.source.stream.read(_CHUNK)

    def _decode(self, line: bytes) -> str:
        text = line.decode(self.encoding, errors="replace")
        return text.replace("\r", "\n") if self.separator == b"\r" else text

    def _skip(self) -> str:
        self.overlong.append(self.count)
        return "\n"


def _csv_records(source: Source, aliases: dict, what: str) -> tuple[set[str], Iterator[Record]]:
    encoding = _csv_encoding(source.head, what)
    text = head_text(source.head) or ""
    separator = b"\r" if "\n" not in text and "\r" in text else b"\n"
    source.stream.seek(0)
    lines = _Lines(source, encoding, separator)
    reader = csv.reader(iter(lines), delimiter=_delimiter(_first_line(text)))
    header = next(_rows(reader, lines), None)
    if header is None:
        raise ParseError(f"The {what} are empty.")
    line, cells, problem = header
    if problem:
        raise ParseError(f"The {what} have an unreadable header (line {line}: {problem}).")
    index = column_index(cells, aliases)
    return set(index), _csv_body(reader, lines, index, source)


def _rows(reader, lines: _Lines) -> Iterator[tuple[int, list[str], str]]:
    """(first line, cells, problem) per non-blank CSV row."""
    while True:
        first = lines.count + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield first, [], f"unreadable CSV ({str(error)[:80]})"
            continue
        overlong = [number for number in lines.overlong if first <= number <= reader.line_num]
        if overlong:
            limit = lines.max_line
            yield first, [], f"line {overlong[0]} is longer than {limit:,} bytes; the row was skipped"
        elif any(cell.strip() for cell in cells):
            yield first, cells, _cells_problem(cells, lines.source.limits.max_csv_field)


def _cells_problem(cells: list[str], max_field: int) -> str:
    for cell in cells:
        if len(cell) > max_field:
            return f"a field is longer than {max_field:,} characters"
        if "\x00" in cell:
            return "it contains a NUL byte"
        if "\ufffd" in cell:
            return "it has bytes that are not valid in the file's encoding (mixed encodings?)"
    return ""


def _csv_body(reader, lines: _Lines, index: dict[str, int], source: Source) -> Iterator[Record]:
    for count, (line, cells, problem) in enumerate(_rows(reader, lines), start=1):
        if count > source.limits.max_csv_rows:
            raise ParseError(f"The file has more than {source.limits.max_csv_rows:,} rows; it was not read.")
        lines.overlong = [number for number in lines.overlong if number >= line]
        values = {name: cells[position].strip() for name, position in index.items() if position < len(cells)}
        yield Record(line=line, values=values, problem=problem)


# JSON


def _json_records(source: Source, aliases: dict, what: str) -> tuple[set[str], list[Record]]:
    text = decode_text(read_bounded(source, max_bytes=MAX_JSON_BYTES, what=what), what=what)
    try:
        items = _json_items(json.loads(text))
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise ParseError(f"JSON syntax error at line {error.lineno}, column {error.colno}: {error.msg}.") from None
        items = _json_lines(text)  # JSON Lines: one object per line
    except RecursionError:
        raise ParseError(f"The {what} are JSON nested too deeply to read.") from None
    except ValueError as error:  # e.g. an integer of 5,000 digits
        raise ParseError(f"The {what} hold a JSON value that cannot be read ({str(error)[:80]}).") from None
    if len(items) > source.limits.max_csv_rows:
        raise ParseError(f"The file has more than {source.limits.max_csv_rows:,} records; it was not read.")
    records, columns = [], set()
    for position, item in enumerate(items, start=1):
        if position % 1024 == 0:
            source.deadline.check()
        record = _json_record(position, item, aliases, source.limits.max_csv_field)
        columns |= set(record.values)
        records.append(record)
    return columns, records


def _json_items(document: object) -> list:
    """The records of a JSON document: a list, a list under a key such as "deployments", or one object."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        return next((document[key] for key in LIST_KEYS if isinstance(document.get(key), list)), [document])
    return [document]


def _json_lines(text: str) -> list:
    items: list = []
    for line in text.splitlines():
        if line.strip():
            try:
                items.append(json.loads(line))
            except (ValueError, RecursionError):
                items.append(None)  # rejected below, with the others
    return items


def _json_record(position: int, item: object, aliases: dict, max_field: int) -> Record:
    if not isinstance(item, dict):
        return Record(line=position, values={}, problem="it is not a JSON object")
    index = column_index([str(key) for key in item], aliases)
    keys = list(item)
    values, problem = {}, ""
    for name, at in index.items():
        value = item[keys[at]]
        if isinstance(value, dict | list):
            problem = problem or f"{name} is not a single value"
            values[name] = ""
            continue
        text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        if len(text) > max_field:
            problem = problem or f"a field is longer than {max_field:,} characters"
        values[name] = text.strip()
    return Record(line=position, values=values, problem=problem)
