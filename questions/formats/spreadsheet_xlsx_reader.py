"""Excel workbooks (.xlsx) read straight from their XML: the question sheet as rows of values.

openpyxl's read-only mode spent about 25 µs on each cell and hid formulas never calculated and
merged cells, so a second pass over the sheet was needed: 2.3 s for 10,000 questions. One pass of
lxml's iterparse reads the same values in a fraction of that. The values are those openpyxl's
`data_only` mode gave — a formula counts as its saved result, numbers are int or float, a number
is a date when its cell's number format says so (by openpyxl's rules, in
`spreadsheet_xlsx_package`) — so what a sheet reads as did not change.
"""

from __future__ import annotations

from typing import IO, Any

from flask_babel import gettext as _
from openpyxl.utils import range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601

from questions.formats import spreadsheet_columns as columns
from questions.formats import spreadsheet_xlsx_package as package
from questions.formats.base import FormatError
from questions.formats.spreadsheet_values import Unreadable

MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's own limits: beyond them the file is damaged
MAX_MERGE_FILLS = 1_000_000  # cells that merges may fill: far more than a question sheet has

_MAIN = package.MAIN
_ROW, _CELL, _VALUE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v"
_FORMULA, _INLINE, _MERGE = f"{_MAIN}f", f"{_MAIN}is", f"{_MAIN}mergeCell"


def sheet_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    """The question sheet's filled rows, by the number Excel shows; FormatError when the file is
    not a readable workbook."""
    archive = package.open_archive(data)
    try:
        with archive:
            book = package.book(archive)
            with archive.open(book.sheet) as source:
                rows, merges = _read_sheet(source, _Cells(book))
    except FormatError:
        raise
    except Exception:  # noqa: BLE001 - a damaged zip or XML fails in many ways
        raise package.broken() from None
    _apply_merges(rows, merges)
    return sorted(rows.items())


class _Cells:
    """Values of <c> elements, as openpyxl's data_only mode read them."""

    def __init__(self, book: package.Book):
        self.book = book

    def value(self, cell: Any) -> Any:
        kind = cell.get("t", "n")
        saved = formula = inline = None
        for child in cell:
            if child.tag == _VALUE:
                saved = child
            elif child.tag == _FORMULA:
                formula = child
            elif child.tag == _INLINE:
                inline = child
        text = saved.text if saved is not None else None
        # A program that never calculates (openpyxl among them) saves a formula with an empty
        # <v/> or none; a text result that is really empty is marked t="str".
        if formula is not None and not (text or (saved is not None and kind == "str")):
            return Unreadable("formula")
        if kind == "e":
            return Unreadable("error", text or "#")
        if kind == "inlineStr":
            return None if inline is None else package.text(inline)
        if not text:
            return None
        if kind == "n":
            return self.number(text, cell.get("s", "0"))
        if kind == "s":
            return self.book.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str": a formula's text result

    def number(self, text: str, style: str) -> Any:
        number = float(text) if "." in text or "e" in text or "E" in text else int(text)
        if style not in self.book.dates:
            return number
        try:
            return from_excel(number, self.book.epoch, timedelta=style in self.book.durations)
        except (OverflowError, ValueError):
            return Unreadable("error", "#VALUE!")  # a date past year 9999: Excel shows ####


def _read_sheet(source: IO[bytes], cells: _Cells) -> tuple[dict[int, list[Any]], list[str]]:
    """Filled rows by their number (empty rows are left out) and the merged ranges."""
    rows: dict[int, list[Any]] = {}
    merges: list[str] = []
    limit = columns.MAX_ROWS + columns.HEADER_SEARCH_ROWS + 1
    number = last = 0
    for _event, element in package.iterparse(source, (_ROW, _MERGE)):
        if element.tag == _MERGE:
            merges.append(element.get("ref", ""))
            continue
        written = element.get("r")
        number = _row_number(written) if written else number + 1
        if number <= last:
            package.forget(element)
            continue  # a row out of order: openpyxl read it as nothing
        last = number
        values: list[Any] = []
        filled = False
        column = 0
        for cell in element.iterchildren(_CELL):
            place = cell.get("r")
            column = _column(place) if place else column + 1
            value = cells.value(cell)
            if value is None:
                continue
            filled = filled or value != ""
            if column > len(values):
                values.extend([None] * (column - len(values)))
            values[column - 1] = value
        package.forget(element)
        if filled:
            rows[number] = values
            if len(rows) > limit:
                raise FormatError(
                    _(
                        "The file has more than %(max)d questions: split it into smaller files.",
                        max=columns.MAX_ROWS,
                    )
                )
    return rows, merges


def _row_number(written: str) -> int:
    try:
        number: float = int(written)
    except ValueError:
        number = float(written)  # "5.0" from some programs, as openpyxl accepted
    if not 0 <= number <= MAX_ROW or number != int(number):
        raise ValueError(written)
    return int(number)


_COLUMNS: dict[str, int] = {}  # "AB" -> 28, filled as cells name them


def _column(place: str) -> int:
    letters = place.rstrip("0123456789")
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for letter in letters.upper():
            if not "A" <= letter <= "Z":
                raise ValueError(place)
            number = number * 26 + ord(letter) - 64
        if not 1 <= number <= MAX_COLUMN:
            raise ValueError(place)
        _COLUMNS[letters] = number
    return number


# ---- merged cells -----------------------------------------------------------------------------


def _put(rows: dict[int, list[Any]], row: int, column: int, value: Any) -> None:
    cells = rows.setdefault(row, [])
    cells.extend([None] * (column - len(cells)))
    cells[column - 1] = value


def _get(rows: dict[int, list[Any]], row: int, column: int) -> Any:
    cells = rows.get(row, [])
    return cells[column - 1] if column <= len(cells) else None


def _apply_merges(rows: dict[int, list[Any]], merges: list[str]) -> None:
    last_row = max(rows, default=0)
    fills = 0
    for ref in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue  # a malformed range marks nothing that could be read anyway
        value = _get(rows, min_row, min_col)
        if value is None or value == "":
            continue
        if max_col > min_col:
            # Across columns the other columns look empty although the cell spans them: say so.
            _put(rows, min_row, min_col, Unreadable("merged", ref, value))
        else:
            # Overlapping merges (which Excel never writes) could otherwise fill cells for hours.
            fills += max(0, min(max_row, last_row) - min_row)
            if fills > MAX_MERGE_FILLS:
                raise FormatError(
                    _("The workbook is too large: split the questions into several files.")
                )
            for row in range(min_row + 1, min(max_row, last_row) + 1):
                _put(rows, row, min_col, value)
