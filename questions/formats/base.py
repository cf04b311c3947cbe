"""What every question file format reads into and writes from.

A reader turns the bytes of a file into a `ParseResult`: one `QuestionRecord` per question it
understood (with the line or row it started on) and an `ImportIssue` for everything wrong, each
with its line number. A reader never raises anything but `FormatError`, and only for a file it
cannot read at all (a broken zip, a legacy encoding). A writer turns records into bytes and says
which questions it left out and why (`ExportResult.skipped`).

Content validation is shared: `check_records` runs `questions.content.validate` on every record
after the reader, so a reader only reports what is wrong with the file's own syntax.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from contest.text import clean_line, fold
from questions import content as question_content

LEVELS = ("recall", "understanding", "application", "advanced_application")

# How people write the four levels in files: Vietnamese names and their usual abbreviations,
# the English names, and 1–4. Keys are folded (no accents, lower case).
LEVEL_ALIASES = {
    **{level: level for level in LEVELS},
    "nhan biet": "recall",
    "nb": "recall",
    "biet": "recall",
    "1": "recall",
    "thong hieu": "understanding",
    "th": "understanding",
    "hieu": "understanding",
    "2": "understanding",
    "van dung": "application",
    "vd": "application",
    "3": "application",
    "van dung cao": "advanced_application",
    "vdc": "advanced_application",
    "4": "advanced_application",
    "advanced application": "advanced_application",
}

# Question types as people write them in spreadsheets; keys folded.
TYPE_ALIASES = {
    **{kind: kind for kind in question_content.TYPES},
    "mot lua chon": "single",
    "chon mot": "single",
    "trac nghiem": "single",
    "mot dap an": "single",
    "single choice": "single",
    "nhieu lua chon": "multiple",
    "chon nhieu": "multiple",
    "nhieu dap an": "multiple",
    "multiple choice": "multiple",
    "dung sai": "true_false",
    "dung/sai": "true_false",
    "true/false": "true_false",
    "true false": "true_false",
    "tra loi ngan": "short_text",
    "dien khuyet": "short_text",
    "short answer": "short_text",
    "short text": "short_text",
    "so": "numeric",
    "dien so": "numeric",
    "number": "numeric",
    "sap xep": "ordering",
    "sap xep thu tu": "ordering",
    "tu luan": "open",
    "mo": "open",
    "open answer": "open",
    "essay": "open",
}


@dataclass
class QuestionRecord:
    """One question as a file holds it: its content plus what the bank keeps beside it.

    `themes` are theme names (short name or title) that must exist in the bank; `categories` are
    free labels (a GIFT or Moodle category path, split) that the import maps to a theme when one
    has that name and to a tag otherwise. `None` for level/points/time means "the file did not
    say" and the import uses the bank's defaults.
    """

    content: dict[str, Any]
    line: int | None = None
    title: str = ""
    level: str | None = None
    points: int | None = None
    time_limit_s: int | None = None
    themes: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    source_document: str = ""
    source_section: str = ""
    source_url: str = ""
    key: str | None = None


@dataclass(frozen=True)
class ImportIssue:
    """Something wrong at `line` (1-based line, or row in a sheet); `field` names the part.

    A `warning` is something the file held that the bank cannot keep (a Moodle partial-credit
    short answer, a picture): the question is imported without it, and the preview says so.
    Every other issue refuses the whole file.
    """

    line: int | None
    field: str
    message: str
    warning: bool = False


@dataclass
class ParseResult:
    format: str
    records: list[QuestionRecord] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    # What `line` counts in this format: "line" (text files), "row" (sheets), "paragraph" (Word).
    position: str = "line"

    @property
    def ok(self) -> bool:
        return not any(not issue.warning for issue in self.issues)


class FormatError(Exception):
    """The file cannot be read at all; `message` says why, in the reader's language."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Skipped:
    """A question a writer could not put in its format: `reason` says why, for people."""

    index: int
    stem: str
    reason: str


@dataclass
class ExportResult:
    data: bytes
    skipped: list[Skipped] = field(default_factory=list)


# ---- helpers shared by readers ----------------------------------------------------------------


def check_records(result: ParseResult) -> ParseResult:
    """Add an issue for every content rule a record breaks (at the record's line)."""
    for record in result.records:
        for issue in question_content.validate(record.content):
            result.issues.append(
                ImportIssue(record.line, issue.field, question_content.describe(issue))
            )
        if record.level is not None and record.level not in LEVELS:
            result.issues.append(
                ImportIssue(
                    record.line, "level", _("Unknown level “%(level)s”.", level=record.level)
                )
            )
    result.issues.sort(key=lambda issue: (issue.line is None, issue.line or 0))
    return result


def parse_level(text: str) -> str | None:
    """'Nhận biết', 'NB', 'recall' or '1' -> 'recall'; None when it is none of them."""
    return LEVEL_ALIASES.get(fold(text))


def parse_type(text: str) -> str | None:
    """'Một lựa chọn', 'single', 'Đúng/Sai' … -> the content type; None when unknown."""
    return TYPE_ALIASES.get(fold(text).replace("_", " ")) or TYPE_ALIASES.get(fold(text))


def split_list(text: str) -> list[str]:
    """'a; b, c' -> ['a', 'b', 'c']: how people list themes and tags in one cell."""
    parts = [clean_line(part) for part in text.replace(";", ",").split(",")]
    return [part for part in parts if part]


def decode_text(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed), with line breaks made `\\n`; legacy encodings refused.

    Windows-1258 and Windows-1252 files are common in old Vietnamese offices. Guessing between
    them corrupts diacritics silently, so the file is refused with a message saying how to save
    it as UTF-8 instead.
    """
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FormatError(_("The file is not valid UTF-16 text.")) from error
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise FormatError(
                _(
                    "Line %(line)d is not UTF-8 text: the file looks saved in an old encoding "
                    "(Windows-1258 or Windows-1252). Save it again as “UTF-8” and import it again.",
                    line=line,
                ),
                line=line,
            ) from error
    if "\x00" in text:
        raise FormatError(_("The file holds binary data, not text."))
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def choice_letter(index: int) -> str:
    return "ABCDEFGH"[index]


def letter_index(letter: str) -> int | None:
    """'B' or 'b' -> 1; None for anything else."""
    letter = letter.strip().upper()
    if len(letter) == 1 and "A" <= letter <= "H":
        return ord(letter) - ord("A")
    return None
