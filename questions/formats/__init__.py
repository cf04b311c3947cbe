"""Question file formats: one module per format, each with `read(data)` and `write(records)`.

`detect` picks the format from the file name and, when that is not enough, the content;
`read` runs the format's reader and then the shared content checks.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from flask_babel import gettext as _

from questions.formats.base import (
    ExportResult,
    FormatError,
    ImportIssue,
    ParseResult,
    QuestionRecord,
    Skipped,
    check_records,
)

# name -> module under questions.formats; the order is the order offered to people.
FORMAT_MODULES = {
    "xlsx": "spreadsheet_xlsx",
    "csv": "spreadsheet_csv",
    "docx": "word",
    "gift": "gift",
    "aiken": "aiken",
    "moodle_xml": "moodle_xml",
    "json": "native_json",
}

__all__ = [
    "ExportResult",
    "FormatError",
    "ImportIssue",
    "ParseResult",
    "QuestionRecord",
    "Skipped",
    "detect",
    "format_module",
    "read",
    "write",
]


def format_module(name: str) -> ModuleType:
    if name not in FORMAT_MODULES:
        raise KeyError(name)
    return importlib.import_module(f"questions.formats.{FORMAT_MODULES[name]}")


def detect(filename: str, data: bytes) -> str:
    """The format of an uploaded file; FormatError when neither its name nor content tells."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    by_extension = {
        "xlsx": "xlsx",
        "xlsm": "xlsx",
        "csv": "csv",
        "docx": "docx",
        "gift": "gift",
        "xml": "moodle_xml",
        "json": "json",
    }
    if suffix in by_extension:
        return by_extension[suffix]
    if suffix in ("xls", "doc"):
        raise FormatError(
            _(
                "“.%(suffix)s” is the old Office format: open the file and save it as "
                "“.%(suffix)sx”, then import that.",
                suffix=suffix,
            )
        )
    # .txt and files without a telling name: look inside.
    for name in ("json", "moodle_xml", "gift", "aiken"):
        if format_module(name).sniff(data):
            return name
    raise FormatError(
        _(
            "Cannot tell the format of “%(name)s”: use .xlsx, .csv, .docx, .gift, .txt (GIFT or "
            "Aiken), .xml (Moodle) or .json.",
            name=filename,
        )
    )


def read(data: bytes, filename: str = "", format: str | None = None) -> ParseResult:
    """Parse a file into records and issues (syntax and content); FormatError if unreadable."""
    name = format or detect(filename, data)
    return check_records(format_module(name).read(data))


def write(records: list[QuestionRecord], format: str) -> ExportResult:
    return format_module(format).write(records)
