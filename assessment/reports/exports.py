"""Tables of an assessment (answers, levels, evidence index) written as CSV for Excel and as XLSX. Pure.

Every text cell that a spreadsheet would read as a formula (starting with = + - @, tab or carriage return) is
prefixed with an apostrophe, so an answer's comment can never run in the reader's spreadsheet (OWASP's advice).
"""

import csv
import io
from dataclasses import dataclass

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"


@dataclass
class Table:
    name: str  # also the XLSX sheet's name
    header: list[str]
    rows: list[list]


def neutralise(value):
    """Text starting like a formula gets a leading apostrophe; numbers, dates and empty cells pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(tables: list[Table]) -> bytes:
    """All tables in one CSV, each under a line with its name and separated by an empty line; UTF-8 with a byte
    order mark, which Excel needs to read Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([f"# {table.name}"])
        writer.writerow([neutralise(cell) for cell in table.header])
        for row in table.rows:
            writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return (UTF8_BOM + buffer.getvalue()).encode("utf-8")


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook  # only exports need it
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.name[:31])
        sheet.append([neutralise(cell) for cell in table.header])
        for row in table.rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=neutralise(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, whatever it looks like
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# file format → (content type, writer)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
}
