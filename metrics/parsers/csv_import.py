"""Reads a CSV file of delivery events into event objects, or a row-by-row list of what is wrong.

Pure: bytes in, events or problems out. Columns are the REST API's field names (DESIGN.md §8); a `type` column
gives each row's type, or the caller names one type for the whole file. Encodings: UTF-8 with or without a BOM,
else GB18030 (a superset of GBK, what Excel writes on Chinese Windows). Empty cells are absent values.

Cells that look like spreadsheet formulas (=, +, -, @) are plain text to us: never evaluated, stored as given in
text columns (titles, names) and refused like any other bad value in time and result columns.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from metrics.parsers.event_input import FIELDS, MODELS

MAX_ROWS = 50_000
_KNOWN_COLUMNS = {"type", "external_id", "source"} | {name for fields in FIELDS.values() for name in fields}


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")  # raises UnicodeDecodeError when it is neither


def read_csv(data: bytes, *, event_type: str = "") -> tuple[list[dict], list[Problem]]:
    """The rows as event objects (empty cells dropped) and the problems found, by row and column."""
    try:
        text = decode(data)
    except UnicodeDecodeError:
        return [], [Problem(1, "", _("The file is neither UTF-8 nor GB18030/GBK text."))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    problems = _header_problems(header, event_type)
    if problems:
        return [], problems
    reader.fieldnames = header
    items: list[dict] = []
    try:
        for line, row in enumerate(reader, start=2):
            if line - 1 > MAX_ROWS:
                return [], [Problem(line, "", _("At most %(limit)d rows in one file.") % {"limit": MAX_ROWS})]
            if None in row:
                problems.append(Problem(line, "", _("The row has more cells than the header.")))
            items.append(_item(row, event_type))
    except csv.Error as error:
        return [], [Problem(reader.line_num, "", _("Not readable as CSV: %(error)s") % {"error": error})]
    return items, problems


def _header_problems(header: list[str], event_type: str) -> list[Problem]:
    if not header:
        return [Problem(1, "", _("The file is empty; the first row must name the columns."))]
    if event_type and event_type not in MODELS:
        return [Problem(1, "type", _("Unknown event type %(type)s.") % {"type": event_type})]
    problems = []
    if not event_type and "type" not in header:
        problems.append(Problem(1, "type", _("Add a type column or choose the type of every row.")))
    if "external_id" not in header:
        problems.append(Problem(1, "external_id", _("The external_id column is required.")))
    for name in header:
        if name not in _KNOWN_COLUMNS:
            problems.append(Problem(1, name, _("Unknown column.")))
    return problems


def _item(row: dict, event_type: str) -> dict:
    item = {name: value.strip() for name, value in row.items() if name and isinstance(value, str) and value.strip()}
    if event_type and not item.get("type"):
        item["type"] = event_type
    return item
