"""Unit files: read CSV and XLSX uploads, write exports, keep an upload until it is committed."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path, PurePath
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from contest.text import clean_line, fold
from contest.units.rules import COLUMNS, REQUIRED_COLUMNS, ImportIssue, UnitRow

MAX_ROWS = 10_000
EXTENSIONS = (".csv", ".xlsx")

# Header names people actually write, compared without case, accents or underscores.
ALIASES = {
    "code": ("code", "unit code", "mã", "mã đơn vị", "mã đv"),
    "name": ("name", "unit name", "tên", "tên đơn vị"),
    "parent_code": (
        "parent_code",
        "parent",
        "parent unit code",
        "mã cấp trên",
        "mã đơn vị cấp trên",
        "mã đơn vị cha",
        "mã cha",
    ),
    "kind": ("kind", "unit kind", "loại", "loại đơn vị"),
    "headcount": ("headcount", "số người", "số lượng", "quân số"),
}


def _header_key(value: Any) -> str:
    return " ".join(fold(clean_line(value)).replace("_", " ").split())


HEADER_NAMES = {_header_key(alias): column for column, names in ALIASES.items() for alias in names}


class FileProblem(Exception):
    """The file as a whole cannot be read; becomes a row-1 issue."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class ParsedFile:
    rows: list[UnitRow] = field(default_factory=list)
    columns: tuple[str, ...] = COLUMNS
    issues: list[ImportIssue] = field(default_factory=list)


def read_upload(filename: str, data: bytes) -> ParsedFile:
    """Parse an uploaded unit file; an unreadable file gives a row-1 issue, never an exception."""
    try:
        extension = PurePath(filename or "").suffix.lower()
        if extension not in EXTENSIONS:
            raise FileProblem("file_type")
        if not data.strip():
            raise FileProblem("file_empty")
        table = _csv_table(data) if extension == ".csv" else _xlsx_table(data)
        return _rows_from_table(table)
    except FileProblem as problem:
        return ParsedFile(columns=(), issues=[ImportIssue(1, "", problem.code, problem.params)])


def _csv_table(data: bytes) -> Iterable[tuple[int, Sequence[Any]]]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows is not UTF-8; "CSV UTF-8" is.
        raise FileProblem("file_encoding") from None
    if "\x00" in text:
        raise FileProblem("file_broken")
    header = text.lstrip().partition("\n")[0]
    # Excel in Vietnamese (and most of Europe) separates with ";", since "," is the decimal mark.
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1))
    except csv.Error:
        raise FileProblem("file_broken") from None


def _xlsx_table(data: bytes) -> Iterable[tuple[int, Sequence[Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            table = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                if any(_is_filled(v) for v in values):
                    table.append((number, values))
                    if len(table) > MAX_ROWS + 1:
                        break
            return table
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - a damaged workbook can fail anywhere inside openpyxl
        raise FileProblem("file_broken") from None


def _is_filled(value: Any) -> bool:
    return value is not None and clean_line(value) != ""


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in Excel: 101, not 101.0
    if isinstance(value, datetime | date | clock_time):
        value = value.isoformat()
    return clean_line(value)


def _rows_from_table(table: Iterable[tuple[int, Sequence[Any]]]) -> ParsedFile:
    filled = [(number, cells) for number, cells in table if any(_is_filled(c) for c in cells)]
    if not filled:
        raise FileProblem("file_empty")
    header_row, header = filled[0]
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        column = HEADER_NAMES.get(_header_key(title))
        if column is None:
            continue  # extra columns (notes, STT) are allowed and ignored
        if column in positions:
            raise FileProblem("header_duplicate", column=clean_line(title))
        positions[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        raise FileProblem("header_missing", columns=", ".join(missing))
    if len(filled) - 1 > MAX_ROWS:
        raise FileProblem("file_too_many_rows", max=MAX_ROWS)

    rows = []
    for number, cells in filled[1:]:

        def cell(column: str, cells=cells) -> Any:
            index = positions.get(column)
            return cells[index] if index is not None and index < len(cells) else None

        headcount = cell("headcount")
        if not isinstance(headcount, int | float | str) or isinstance(headcount, bool):
            headcount = None if headcount is None else str(headcount)
        values = {c: _cell_text(cell(c)) for c in ("code", "name", "parent_code", "kind")}
        rows.append(UnitRow(number, headcount=headcount, **values))
    if not rows:
        raise FileProblem("file_no_rows")
    columns = tuple(column for column in COLUMNS if column in positions)
    return ParsedFile(rows=rows, columns=columns)


# ---- exports ----------------------------------------------------------------------------------

Record = tuple[str, str, str, str, int | None]  # code, name, parent_code, kind, headcount


def export_csv(records: Iterable[Record]) -> bytes:
    """CSV with a BOM, so Excel opens the Vietnamese text correctly; re-importable as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for code, name, parent_code, kind, headcount in records:
        writer.writerow([code, name, parent_code, kind, "" if headcount is None else headcount])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(records: Iterable[Record], sheet_title: str) -> bytes:
    """One sheet with the same columns as the CSV; re-importable as is."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", sheet_title)[:31] or "units")
    sheet.append(list(COLUMNS))
    for record in records:
        cells = []
        for value in record:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a name such as "=..." stays text, not a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- uploads waiting for their commit ---------------------------------------------------------

TOKEN = re.compile(r"[0-9a-f]{32}")
KEEP_SECONDS = 24 * 3600


@dataclass
class PendingImport:
    token: str
    user_id: int
    filename: str
    parsed: ParsedFile


def save_pending(folder: Path, user_id: int, filename: str, parsed: ParsedFile) -> str:
    """Keep parsed rows until the uploader commits; returns the token that names them."""
    folder.mkdir(parents=True, exist_ok=True)
    _forget_old(folder)
    token = secrets.token_hex(16)
    content = {
        "user_id": user_id,
        "filename": PurePath(filename or "").name[:255],
        "columns": list(parsed.columns),
        "rows": [asdict(row) for row in parsed.rows],
        "issues": [asdict(issue) for issue in parsed.issues],
    }
    with (folder / f"{token}.json").open("x", encoding="utf-8") as out:
        json.dump(content, out, ensure_ascii=False)
    return token


def load_pending(folder: Path, token: str, user_id: int) -> PendingImport | None:
    """The upload behind `token` if it exists and belongs to `user_id`; the token is checked first,
    so it can never name a path outside `folder`."""
    if not TOKEN.fullmatch(token or ""):
        return None
    try:
        content = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if content.get("user_id") != user_id:
        return None
    parsed = ParsedFile(
        rows=[UnitRow(**row) for row in content["rows"]],
        columns=tuple(content["columns"]),
        issues=[ImportIssue(**issue) for issue in content["issues"]],
    )
    return PendingImport(token, user_id, content["filename"], parsed)


def discard_pending(folder: Path, token: str) -> None:
    if TOKEN.fullmatch(token or ""):
        (folder / f"{token}.json").unlink(missing_ok=True)


def _forget_old(folder: Path) -> None:
    # Uploads nobody committed: previews are short-lived, the folder must not grow forever.
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
