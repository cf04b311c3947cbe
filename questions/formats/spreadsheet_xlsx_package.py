"""The parts of an Excel package (.xlsx) that reading its question sheet needs.

An .xlsx file is a zip of XML parts: [Content_Types].xml names the workbook part, the workbook
lists its sheets, its relations say which file holds each sheet, the shared strings (Excel keeps
each text once there and cells give its number) and the styles (a number is a date only by its
cell's number format). `spreadsheet_xlsx_reader` reads the sheet itself.

The XML parsers resolve no entities and fetch nothing from the network.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from flask_babel import gettext as _
from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

from contest.text import fold
from questions.formats.base import FormatError

SHEET_TITLE = "Câu hỏi"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, far above any question bank
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TEXT, _RUN, _STRING = f"{MAIN}t", f"{MAIN}r", f"{MAIN}si"
_RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELATION = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# The workbook part's content type, in the order openpyxl looked: templates, then workbooks.
_WORKBOOK_TYPES = tuple(
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "ms-excel.template.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.sheet",
    )
)


@dataclass(frozen=True)
class Book:
    """What reading the question sheet needs from the package around it."""

    sheet: str  # the sheet's path inside the zip
    strings: list[str]  # the shared strings, by number
    dates: set[str]  # the cell styles (as s="…" names them) that show a number as a date or time
    durations: set[str]  # those of them that show a duration ([h]:mm)
    epoch: datetime  # day 0: 1899-12-30, or 1904-01-01 for workbooks made on old Macs


def broken() -> FormatError:
    return FormatError(
        _(
            "The file is not a valid Excel workbook (.xlsx): it may be damaged or saved in another "
            "format. Open it in Excel and save it again as “Excel Workbook (.xlsx)”."
        )
    )


def open_archive(data: bytes) -> zipfile.ZipFile:
    """The zip inside the file; FormatError for an old .xls, a damaged zip or a zip bomb."""
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
        # zipfile never unpacks more than a member's stated size, so the sum bounds the work.
        unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # noqa: BLE001 - zipfile fails in many ways on a damaged directory
        raise broken() from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FormatError(_("The workbook is too large: split the questions into several files."))
    return archive


def book(archive: zipfile.ZipFile) -> Book:
    """The question sheet and what its cells refer to. Damaged parts raise whatever zipfile or
    lxml raise: the caller turns that into `broken()`."""
    names = set(archive.namelist())
    workbook = _workbook_part(archive)
    root = xml(archive.read(workbook))
    parts = _relations(archive, workbook, names)
    settings = root.find(f"{MAIN}workbookPr")
    on_mac = settings is not None and settings.get("date1904", "0") not in ("", "0", "f", "false")
    dates, durations = _date_styles(archive, _part(parts, "styles", names))
    return Book(
        sheet=_question_sheet(root, parts, names),
        strings=_shared_strings(archive, _part(parts, "sharedStrings", names)),
        dates=dates,
        durations=durations,
        epoch=CALENDAR_MAC_1904 if on_mac else WINDOWS_EPOCH,
    )


def xml(data: bytes) -> Any:
    # A parser per call: lxml parsers must not be shared between threads.
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def iterparse(source: IO[bytes], tags: tuple[str, ...]) -> Any:
    """The elements named, each when it ends, without building the rest of the document."""
    return etree.iterparse(
        source, events=("end",), tag=tags, resolve_entities=False, no_network=True
    )


def forget(element: Any) -> None:
    """Free what iterparse built up to `element`, so a sheet of a million formatted rows costs
    no memory."""
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]


def text(item: Any) -> str:
    """A shared or inline string: its plain text and its formatted runs; not the phonetic guide."""
    if len(item) == 1 and item[0].tag == _TEXT:
        return item[0].text or ""  # plain text, the usual case
    parts = []
    for child in item:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts.extend(run.text or "" for run in child.iterchildren(_TEXT))
    return "".join(parts)


def _workbook_part(archive: zipfile.ZipFile) -> str:
    types = xml(archive.read("[Content_Types].xml"))
    overrides = {
        item.get("ContentType"): item.get("PartName", "")
        for item in reversed(types.findall(f"{_CONTENT_TYPES}Override"))
    }
    for kind in _WORKBOOK_TYPES:
        if kind in overrides:
            return overrides[kind].lstrip("/")
    # Some programs declare the workbook only as the default type of .xml files.
    defaults = {item.get("ContentType") for item in types.iter(f"{_CONTENT_TYPES}Default")}
    if defaults & set(_WORKBOOK_TYPES):
        return "xl/workbook.xml"
    raise KeyError("no workbook part")


def _relations(archive: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """The part's relations by id: (type, path inside the zip)."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", f"{name}.rels")
    if path not in names:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for relation in xml(archive.read(path)).iter(_RELATION):
        target = relation.get("Target", "")
        if relation.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(folder, target))
        found[relation.get("Id", "")] = (relation.get("Type", ""), target)
    return found


def _part(parts: dict[str, tuple[str, str]], kind: str, names: set[str]) -> str | None:
    return next(
        (path for type_, path in parts.values() if type_.endswith(f"/{kind}") and path in names),
        None,
    )


def _question_sheet(workbook: Any, parts: dict[str, tuple[str, str]], names: set[str]) -> str:
    """The sheet “Câu hỏi” (in any case or accents), else the first; chart sheets do not count."""
    sheets: list[tuple[str, str]] = []
    for sheet in workbook.iterfind(f"{MAIN}sheets/{MAIN}sheet"):
        kind, path = parts.get(sheet.get(_RELATION_ID, ""), ("", ""))
        if path in names and "chartsheet" not in kind:
            sheets.append((sheet.get("name", ""), path))
    if not sheets:
        raise FormatError(_("The workbook has no worksheet."))
    named = (path for title, path in sheets if fold(title) == fold(SHEET_TITLE))
    return next(named, sheets[0][1])


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    strings: list[str] = []
    if path is not None:
        with archive.open(path) as source:
            for _event, item in iterparse(source, (_STRING,)):
                # Excel writes a typed "_x000D_" as "_x005F_x000D_"; openpyxl undid only that.
                strings.append(text(item).replace("x005F_", ""))
                forget(item)
    return strings


def _date_styles(archive: zipfile.ZipFile, path: str | None) -> tuple[set[str], set[str]]:
    """The styles showing dates and those showing durations, by openpyxl's rules for reading a
    number format, so that the same cells read as dates as before."""
    dates: set[str] = set()
    durations: set[str] = set()
    if path is None:
        return dates, durations
    styles = xml(archive.read(path))
    custom = {
        int(item.get("numFmtId", "")): item.get("formatCode")
        for item in styles.iterfind(f"{MAIN}numFmts/{MAIN}numFmt")
    }
    for index, style in enumerate(styles.iterfind(f"{MAIN}cellXfs/{MAIN}xf")):
        number_format = int(style.get("numFmtId", "0"))
        code = custom.get(number_format, BUILTIN_FORMATS.get(number_format))
        if is_date_format(code):
            dates.add(str(index))
        if is_timedelta_format(code):
            durations.add(str(index))
    return dates, durations
