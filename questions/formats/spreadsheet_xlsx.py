"""Excel workbooks (.xlsx): one question per row on the sheet “Câu hỏi” (or else the first sheet).

The columns are those of `spreadsheet_columns`. A formula counts as the result Excel last saved
with it; a formula never calculated, an error cell (#REF!) or cells merged across columns are
reported for their row. Cells merged down one column give their value to every row they cover,
which is how people write "these five questions share this theme".
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import SHEET_MAIN_NS

from contest.text import fold
from questions.formats import spreadsheet_columns as columns
from questions.formats.base import ExportResult, FormatError, ParseResult, QuestionRecord

NAME = "xlsx"
EXTENSIONS = (".xlsx", ".xlsm")
LABEL = _l("Excel workbook (.xlsx)")

SHEET_TITLE = "Câu hỏi"
GUIDE_TITLE = "Hướng dẫn"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, far above any question bank
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_MERGE = f"{{{SHEET_MAIN_NS}}}mergeCell"
_FORMULA_START = ("=", "+", "-", "@")


# ---- reading ----------------------------------------------------------------------------------


def read(data: bytes) -> ParseResult:
    """The questions on the sheet; FormatError when the file is not a readable workbook."""
    return columns.read_table(_sheet_rows(data), NAME)


def _broken() -> FormatError:
    return FormatError(
        _(
            "The file is not a valid Excel workbook (.xlsx): it may be damaged or saved in another "
            "format. Open it in Excel and save it again as “Excel Workbook (.xlsx)”."
        )
    )


def _archive(data: bytes) -> zipfile.ZipFile:
    if data.startswith(_OLE_MAGIC):
        raise FormatError(
            _(
                "The file is an old Excel workbook (.xls) or is protected by a password: open it "
                "in Excel, remove the password if there is one, and save it as “Excel Workbook "
                "(.xlsx)”."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # noqa: BLE001 - zipfile fails in many ways on a damaged directory
        raise _broken() from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FormatError(_("The workbook is too large: split the questions into several files."))
    return archive


def _sheet_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    archive = _archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a damaged workbook can fail anywhere inside openpyxl
        raise _broken() from None
    try:
        sheet = _question_sheet(workbook.worksheets)
        rows = _values(sheet)
        # In read-only mode openpyxl shows a formula without a saved result as an empty cell
        # and gives no merged ranges: one more pass over the sheet's XML (at the path openpyxl
        # found it) finds both.
        unreadable, merges = _sheet_facts(archive, sheet._worksheet_path)
    except FormatError:
        raise
    except Exception:  # noqa: BLE001 - as above: damaged XML inside the zip
        raise _broken() from None
    finally:
        workbook.close()
        archive.close()
    for (row, column), cell in unreadable.items():
        _put(rows, row, column, cell)
    _apply_merges(rows, merges)
    return sorted(rows.items())


def _question_sheet(sheets: list) -> Any:
    """The sheet “Câu hỏi” (in any case or accents), else the first; chart sheets are not listed."""
    if not sheets:
        raise FormatError(_("The workbook has no worksheet."))
    named = (sheet for sheet in sheets if fold(sheet.title) == fold(SHEET_TITLE))
    return next(named, sheets[0])


def _values(sheet: Any) -> dict[int, list[Any]]:
    """Filled rows by their number; empty rows are left out, so a sheet of a million formatted
    but empty rows costs no memory."""
    sheet.reset_dimensions()  # some programs write a wrong size, which would cut rows short
    rows: dict[int, list[Any]] = {}
    limit = columns.MAX_ROWS + columns.HEADER_SEARCH_ROWS + 1
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        if any(value is not None and value != "" for value in values):
            rows[number] = list(values)
            if len(rows) > limit:
                raise FormatError(
                    _(
                        "The file has more than %(max)d questions: split it into smaller files.",
                        max=columns.MAX_ROWS,
                    )
                )
    return rows


def _sheet_facts(
    archive: zipfile.ZipFile, path: str
) -> tuple[dict[tuple[int, int], columns.Unreadable], list[str]]:
    unreadable: dict[tuple[int, int], columns.Unreadable] = {}
    merges: list[str] = []
    with archive.open(path.lstrip("/")) as source:
        parser = etree.iterparse(
            source, events=("end",), tag=(_CELL, _MERGE), resolve_entities=False, no_network=True
        )
        for _event, element in parser:
            if element.tag == _MERGE:
                merges.append(element.get("ref", ""))
                continue
            place = element.get("r")
            value = element.find(_VALUE)
            if place:
                min_col, min_row, _max_col, _max_row = range_boundaries(place)
                # openpyxl saves an uncalculated formula with an empty <v/>; a text result
                # that is really empty is marked t="str".
                saved = value is not None and (value.text or element.get("t") == "str")
                if element.find(_FORMULA) is not None and not saved:
                    unreadable[(min_row, min_col)] = columns.Unreadable("formula")
                elif element.get("t") == "e":
                    error = value.text if value is not None else "#"
                    unreadable[(min_row, min_col)] = columns.Unreadable("error", error or "#")
            element.clear()
    return unreadable, merges


def _put(rows: dict[int, list[Any]], row: int, column: int, value: Any) -> None:
    cells = rows.setdefault(row, [])
    cells.extend([None] * (column - len(cells)))
    cells[column - 1] = value


def _get(rows: dict[int, list[Any]], row: int, column: int) -> Any:
    cells = rows.get(row, [])
    return cells[column - 1] if column <= len(cells) else None


def _apply_merges(rows: dict[int, list[Any]], merges: list[str]) -> None:
    last_row = max(rows, default=0)
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
            _put(rows, min_row, min_col, columns.Unreadable("merged", ref, value))
        else:
            for row in range(min_row + 1, min(max_row, last_row) + 1):
                _put(rows, row, min_col, value)


# ---- writing ----------------------------------------------------------------------------------


def write(records: list[QuestionRecord]) -> ExportResult:
    """A workbook with the sheet “Câu hỏi” (one row per question) and the sheet “Hướng dẫn”."""
    header, rows, skipped = columns.table(records)
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


def _workbook(header: tuple[columns.Column, ...], rows: list[list[columns.Value]]) -> Workbook:
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
    rows: list[list[columns.Value]],
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


def _put_value(cell: Cell, value: columns.Value, column: columns.Column) -> None:
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # openpyxl makes any text starting with "=" a formula: this is a question, not code.
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    elif float(f"{value:.16g}") != value:
        # openpyxl keeps 16 significant digits; text keeps the exact number (read back the same).
        cell.value = columns.format_number(value)
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
    header, examples, _skipped = columns.table(columns.examples())
    _write_table(sheet, header, examples, first_row=row + 1)


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
