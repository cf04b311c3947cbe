"""CSV files: the question sheet saved as text, one question per row.

Read: UTF-8 with or without a BOM (older encodings are refused by `base.decode_text`), cells
separated by commas, semicolons (what Excel in Vietnamese writes) or tabs, and quoted cells that
span lines. Rows are numbered as a spreadsheet shows them: a cell with line breaks is one row.

Written: UTF-8 with a BOM, so that Excel shows the Vietnamese letters, separated by commas. A text
starting with = + - or @ gets a leading ' so that Excel does not run it as a formula; the reader
takes that ' off again (`escape` / `unescape`), so a round trip gives the text back exactly.
"""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from questions.formats import spreadsheet_cells as cells
from questions.formats import spreadsheet_columns as columns
from questions.formats import spreadsheet_rows as rows
from questions.formats.base import (
    ExportResult,
    FormatError,
    ParseResult,
    QuestionRecord,
    decode_text,
)
from questions.formats.spreadsheet_examples import examples
from questions.formats.spreadsheet_values import format_number

NAME = "csv"
EXTENSIONS = (".csv",)
LABEL = _l("CSV spreadsheet (.csv)")

_DELIMITERS = (",", ";", "\t")
# Text that a spreadsheet would run as a formula, after any quotes already escaping it.
_FORMULA = re.compile(r"'*[=+\-@]")


def escape(text: str) -> str:
    """'=1+1' -> "'=1+1"; "'=x" -> "''=x" (so that unescaping gives "'=x" back)."""
    return "'" + text if _FORMULA.match(text) else text


def unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text


# ---- reading ----------------------------------------------------------------------------------


def sniff(data: bytes) -> bool:
    """True when the first lines hold a question sheet's header row."""
    text = data[:8192].decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    text = text.rpartition("\n")[0] or text  # the last line may be cut in the middle
    for delimiter in _DELIMITERS:
        try:
            rows = _rows(text, delimiter, limit=columns.HEADER_SEARCH_ROWS)
        except FormatError:
            return False
        if columns.find_header(rows) is not None:
            return True
    return False


def read(data: bytes) -> ParseResult:
    """The questions in the file; FormatError for a file that is not UTF-8 text or not CSV."""
    text = decode_text(data)
    return rows.read_table(_rows(text, _delimiter(text)), NAME)


def _delimiter(text: str) -> str:
    """The separator under which the header row makes sense; else the most used on line 1."""
    for delimiter in _DELIMITERS:
        try:
            rows = _rows(text, delimiter, limit=columns.HEADER_SEARCH_ROWS)
        except FormatError:
            continue
        if columns.find_header(rows) is not None:
            return delimiter
    first_line = text.lstrip().partition("\n")[0]
    return max(_DELIMITERS, key=first_line.count)


def _rows(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, 1):  # noqa: B007 - read after the loop
            if limit is not None and number > limit:
                break
            if cells:
                rows.append((number, [unescape(cell) for cell in cells]))
            if len(rows) > columns.MAX_ROWS + columns.HEADER_SEARCH_ROWS + 1:
                raise FormatError(
                    _(
                        "The file has more than %(max)d questions: split it into smaller files.",
                        max=columns.MAX_ROWS,
                    )
                )
    except csv.Error:
        row = number + 1
        raise FormatError(
            _(
                "The CSV file cannot be read at row %(row)d: a quotation mark is not closed, or a "
                "cell is far too long.",
                row=row,
            ),
            line=row,
        ) from None
    return rows


# ---- writing ----------------------------------------------------------------------------------


def write(records: list[QuestionRecord]) -> ExportResult:
    """UTF-8 CSV with a BOM, one row per question, under the Vietnamese header row."""
    header, rows, skipped = cells.table(records)
    return ExportResult(_csv(header, rows), skipped)


def template() -> bytes:
    """The header row and one example question of each type (delete them before importing)."""
    header, rows, _skipped = cells.table(examples())
    return _csv(header, rows)


def _csv(header: tuple[columns.Column, ...], rows: list[list[cells.Value]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in header])
    for values in rows:
        writer.writerow([_cell(value) for value in values])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: cells.Value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else format_number(value)
    return escape(text)
