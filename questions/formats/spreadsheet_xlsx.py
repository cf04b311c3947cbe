"""Excel workbooks (.xlsx): one question per row on the sheet “Câu hỏi” (or else the first sheet).

The columns are those of `spreadsheet_columns`; `spreadsheet_xlsx_reader` reads the sheet's XML
and openpyxl writes the workbook. A formula counts as the result Excel last saved with it; a
formula never calculated, an error cell (#REF!) or cells merged across columns are reported for
their row. Cells merged down one column give their value to every row they cover, which is how
people write "these five questions share this theme".
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from questions.formats import spreadsheet_cells as cells
from questions.formats import spreadsheet_columns as columns
from questions.formats import spreadsheet_rows as rows
from questions.formats import spreadsheet_xlsx_reader as reader
from questions.formats.base import ExportResult, ParseResult, QuestionRecord
from questions.formats.spreadsheet_examples import examples
from questions.formats.spreadsheet_values import format_number
from questions.formats.spreadsheet_xlsx_package import SHEET_TITLE

NAME = "xlsx"
EXTENSIONS = (".xlsx", ".xlsm")
LABEL = _l("Excel workbook (.xlsx)")

GUIDE_TITLE = "Hướng dẫn"
_FORMULA_START = ("=", "+", "-", "@")


# ---- reading ----------------------------------------------------------------------------------


def read(data: bytes) -> ParseResult:
    """The questions on the sheet; FormatError when the file is not a readable workbook."""
    return rows.read_table(reader.sheet_rows(data), NAME)


# ---- writing ----------------------------------------------------------------------------------


def write(records: list[QuestionRecord]) -> ExportResult:
    """A workbook with the sheet “Câu hỏi” (one row per question) and the sheet “Hướng dẫn”."""
    header, rows, skipped = cells.table(records)
    return ExportResult(_save(_workbook(header, rows)), skipped)


def template() -> bytes:
    """An empty question sheet with its header, and the instructions with examples."""
    return _save(_workbook(columns.COLUMNS, []))


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="9C1F1F")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _workbook(header: tuple[columns.Column, ...], rows: list[list[cells.Value]]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    _write_table(sheet, header, rows, first_row=1)
    sheet.freeze_panes = "A2"
    positions = {column.id: index for index, column in enumerate(header, 1)}
    for column_id, names in (
        ("type", columns.TYPE_NAMES),
        ("level", columns.LEVEL_NAMES),
        ("scoring", columns.SCORING_NAMES),
    ):
        letter = get_column_letter(positions[column_id])
        # A drop-down only: the aliases (NB, "single") stay allowed, so no error message.
        choices = DataValidation(
            type="list",
            formula1='"' + ",".join(names.values()) + '"',
            allow_blank=True,
            showErrorMessage=False,
        )
        choices.add(f"{letter}2:{letter}{columns.MAX_ROWS + 1}")
        sheet.add_data_validation(choices)
    _guide(workbook.create_sheet(GUIDE_TITLE))
    return workbook


def _write_table(
    sheet: Worksheet,
    header: tuple[columns.Column, ...],
    rows: list[list[cells.Value]],
    first_row: int,
) -> None:
    for index, column in enumerate(header, 1):
        cell = sheet.cell(first_row, index, column.header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(dimension.width or 0, column.width)
        if column.text and sheet.title == SHEET_TITLE:
            # Typed later into this column, "15/5/2016" stays text instead of becoming a date.
            dimension.number_format = "@"
    for number, values in enumerate(rows, first_row + 1):
        for index, value in enumerate(values, 1):
            if value is not None and value != "":
                _put_value(sheet.cell(number, index), value, header[index - 1])


def _put_value(cell: Cell, value: cells.Value, column: columns.Column) -> None:
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # openpyxl makes any text starting with "=" a formula: this is a question, not code.
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    elif float(f"{value:.16g}") != value:
        # openpyxl keeps 16 significant digits; text keeps the exact number (read back the same).
        cell.value = format_number(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if column.text:
        cell.number_format = "@"
    if column.width >= 24:
        cell.alignment = _WRAP


def _guide(sheet: Worksheet) -> None:
    """The sheet “Hướng dẫn”: how to fill in the questions, each column, and examples."""
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    sheet.cell(1, 1, _("How to fill in the question sheet")).font = Font(bold=True, size=14)
    stem = columns.BY_ID["stem"].header
    notes = [
        _(
            "Write one question per row on the sheet “%(sheet)s”, under the header row. Keep the "
            "column names; the columns may be in any order and unneeded ones may be deleted, "
            "except “%(stem)s”.",
            sheet=SHEET_TITLE,
            stem=stem,
        ),
        _("Empty rows are skipped; extra columns (such as STT or notes) are ignored."),
        _("Problems found by the import name the row number as Excel shows it."),
        _(
            "The text columns of the sheet are formatted as Text, so that dates and numbers such "
            "as 07/11/2006 stay exactly as typed."
        ),
        _(
            "A formula counts as the result Excel last saved. A cell merged down one column "
            "gives its value to every row it covers; do not merge cells across columns."
        ),
        _(
            "To save as CSV, choose “CSV UTF-8 (Comma delimited)” so that the Vietnamese "
            "letters are kept."
        ),
    ]
    row = 3
    for number, note in enumerate(notes, 1):
        sheet.cell(row, 1, f"{number}.")
        sheet.cell(row, 2, note).alignment = _WRAP
        row += 1
    row += 1
    for title_column, title in ((1, _("Column")), (2, _("What to write"))):
        sheet.cell(row, title_column, title).font = Font(bold=True)
    for column in (*columns.COLUMNS, columns.FEEDBACK_COLUMNS[0]):
        if column.id in columns.OPTION_IDS[1:]:
            continue
        row += 1
        shown = column.header
        if column.id == "option_a":
            shown = "Phương án A … H"
        elif column.id == "feedback_a":
            shown = "Phản hồi A … H"
        sheet.cell(row, 1, shown).font = Font(bold=True)
        sheet.cell(row, 2, str(COLUMN_HELP[column.id])).alignment = _WRAP
    row += 2
    sheet.cell(row, 1, _("Examples")).font = Font(bold=True, size=12)
    header, example_rows, _skipped = cells.table(examples())
    _write_table(sheet, header, example_rows, first_row=row + 1)


COLUMN_HELP = {
    "key": _l("Optional. A short code of your own for the question (such as ct05-date)."),
    "type": _l(
        "Một lựa chọn, Nhiều lựa chọn, Đúng/Sai, Trả lời ngắn, Điền số, Sắp xếp or Tự luận. "
        "Left empty: a row with options is Một lựa chọn (Nhiều lựa chọn when several letters "
        "are correct), a row with only Đúng or Sai is Đúng/Sai."
    ),
    "stem": _l("Required. The question; line breaks (Alt+Enter) and Markdown are kept."),
    "option_a": _l(
        "The options, one per column, from A on without gaps. Sắp xếp: the items in the "
        "correct order. Trả lời ngắn: more accepted answers, if you like."
    ),
    "correct": _l(
        "Một lựa chọn: one letter (B). Nhiều lựa chọn: letters separated by commas (A, C). "
        "Đúng/Sai: Đúng or Sai. Trả lời ngắn: the accepted answers separated by | (05 | 05-CT/TW). "
        "Điền số: the number (99,7), with ± and the tolerance if any (99,7 ± 0,5). "
        "Tự luận: a model answer, if any (added to the guidance)."
    ),
    "tolerance": _l("Điền số: how far an answer may be from the number (0,5). Empty: exact."),
    "unit": _l("Điền số: the unit shown after the answer box (người, %)."),
    "scoring": _l(
        "Nhiều lựa chọn: Toàn phần (every correct option and nothing else) or Từng phần "
        "(partial marks)."
    ),
    "weights": _l(
        "Nhiều lựa chọn with Từng phần: one weight per option, separated by ; (50; 50; -50)."
    ),
    "ignore_diacritics": _l(
        "Trả lời ngắn: Có to accept answers typed without Vietnamese accents; Không otherwise."
    ),
    "guidance": _l("Tự luận: notes for the people who score the answers."),
    "explanation": _l("Optional. Shown after answering."),
    "themes": _l(
        "Optional. Names of themes that exist in the bank, separated by ; (or by commas when "
        "there is no ;)."
    ),
    "tags": _l("Optional. Free labels, separated like the themes."),
    "level": _l(
        "Nhận biết, Thông hiểu, Vận dụng or Vận dụng cao (NB, TH, VD, VDC and 1–4 are understood). "
        "Empty: the bank's default."
    ),
    "points": _l("A whole number from 0 to 1000. Empty: the bank's default."),
    "time": _l("Seconds to answer, from 5 to 3600. Empty: the bank's default."),
    "source_document": _l("The document the answer rests on."),
    "source_section": _l("The article, section or page of that document."),
    "source_url": _l("A link to the source."),
    "feedback_a": _l(
        "Optional columns Phản hồi A to Phản hồi H: the feedback shown for that option."
    ),
}
