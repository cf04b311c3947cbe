"""The bank's own JSON: every question with everything the bank keeps beside it, losslessly.

    {"format": "hoithi-questions", "version": 1, "questions": [{…}, …]}

Each question holds its `content` exactly as docs/question-content.md describes it, plus key,
title, level, points, time limit, themes, categories, tags and source. A bare list of questions
is read too, and so is a question whose content keys sit beside the details instead of under
"content". docs/formats.md has the schema and an example.

Issues point at real lines: after `json.loads` accepts the file, a small scanner built on
`JSONDecoder.raw_decode` finds the line where each question starts. Unknown keys are warnings
(the question imports without them); a detail of the wrong JSON type refuses the file.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contest.text import clean_line
from questions import content as question_content
from questions.formats.base import (
    ExportResult,
    FormatError,
    ImportIssue,
    ParseResult,
    QuestionRecord,
    Skipped,
    decode_text,
    parse_level,
)

NAME = "json"
EXTENSIONS = (".json",)
LABEL = _l("JSON (HoiThi)")

FORMAT_ID = "hoithi-questions"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024
POINTS_RANGE = (0, 1000)
TIME_RANGE = (5, 3600)

TOP_KEYS = ("format", "version", "questions")
QUESTION_KEYS = (
    "key",
    "title",
    "level",
    "points",
    "time_limit_s",
    "themes",
    "categories",
    "tags",
    "source",
    "content",
)
SOURCE_KEYS = ("document", "section", "url")
COMMON_CONTENT_KEYS = ("type", "stem", "explanation")
TYPE_KEYS = {  # docs/question-content.md, "Per type"
    "single": ("options",),
    "multiple": ("options", "scoring"),
    "true_false": ("answer",),
    "short_text": ("accepted", "ignore_diacritics"),
    "numeric": ("value", "tolerance", "unit"),
    "ordering": ("items",),
    "open": ("guidance",),
}
CONTENT_KEYS = set(COMMON_CONTENT_KEYS).union(*TYPE_KEYS.values())


# ---- reading ----------------------------------------------------------------------------------


def sniff(data: bytes) -> bool:
    """A JSON object or a list of objects; GIFT's `[markdown]` and Aiken text never look so."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    return re.match(rb'\s*(\{\s*"|\[\s*[{\]])', head) is not None


def read(data: bytes) -> ParseResult:
    """Questions and their details; a shape problem in one question is an issue at its line."""
    if len(data) > MAX_BYTES:
        raise FormatError(
            _("The file is larger than %(limit)d MB.", limit=MAX_BYTES // (1024 * 1024))
        )
    text = decode_text(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            _(
                "Line %(line)d: the JSON is broken (%(detail)s).",
                line=error.lineno,
                detail=error.msg,
            ),
            line=error.lineno,
        ) from error
    except RecursionError as error:
        raise FormatError(_("The JSON is nested too deeply to be read.")) from error
    except ValueError as error:  # the one other refusal: a number of thousands of digits
        raise FormatError(_("The JSON holds a number too long to be read.")) from error
    reader = _Reader(text)
    reader.document(document)
    return reader.result


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.result = ParseResult(NAME)
        # re.finditer runs in C: a Python loop over 20 million characters took 1.6 s.
        self.newlines = [match.start() for match in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.newlines, offset - 1) + 1

    def issue(self, line: int, where: str, message: str, warning: bool = False) -> None:
        self.result.issues.append(ImportIssue(line, where, message, warning))

    def document(self, document: Any) -> None:
        start = _skip(self.text, 0)
        if isinstance(document, list):
            self.questions(document, start)
            return
        if not isinstance(document, dict):
            raise FormatError(_no_questions_message())
        kind = document.get("format", FORMAT_ID)
        if kind != FORMAT_ID:
            raise FormatError(
                _(
                    "This JSON file is not a HoiThi question file: its “format” is “%(format)s”.",
                    format=str(kind),
                )
            )
        version = document.get("version", VERSION)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise FormatError(_("The “version” must be a whole number such as 1."))
        if version > VERSION:
            raise FormatError(
                _(
                    "This file was written by a newer HoiThi (format version %(version)d): "
                    "update HoiThi to read it.",
                    version=version,
                )
            )
        if not isinstance(document.get("questions"), list):
            raise FormatError(_no_questions_message())
        members = _members(self.text, start)
        for name, offset in members.items():
            if name not in TOP_KEYS:
                self.issue(self.line(offset), name, _unknown_key(name), warning=True)
        self.questions(document["questions"], members["questions"])

    def questions(self, questions: list, start: int) -> None:
        for number, (question, offset) in enumerate(
            zip(questions, _elements(self.text, start), strict=True), start=1
        ):
            self.question(question, offset, number)

    def question(self, question: Any, offset: int, number: int) -> None:
        # Every issue about a question is given at its first line, where the import's preview
        # shows it; the field says which part is wrong.
        line = self.line(offset)
        if not isinstance(question, dict):
            self.issue(line, "", _("Question %(number)d is not a JSON object.", number=number))
            return
        if "content" in question:
            content, flat = question["content"], False
            if not isinstance(content, dict):
                message = _(
                    "“content” must be an object with the question's type, stem and answers."
                )
                self.issue(line, "content", message)
                return
        elif "type" in question or "stem" in question:
            # Content keys beside the details, as people write a question by hand.
            content = {name: value for name, value in question.items() if name in CONTENT_KEYS}
            flat = True
        else:
            self.issue(line, "content", _("The question has no “content”."))
            return
        # Unknown keys are most likely typos: the question imports without them, and the
        # preview says so.
        for name in question:
            if name not in QUESTION_KEYS and not (flat and name in CONTENT_KEYS):
                self.issue(line, name, _unknown_key(name), warning=True)
        self.content_keys(content, line)
        record = QuestionRecord(content=dict(content), line=line)
        self.details(record, question)
        self.result.records.append(record)

    def content_keys(self, content: dict, line: int) -> None:
        """Keys the content does not use would be dropped when stored: say so."""
        kind = content.get("type")
        known = isinstance(kind, str) and kind in TYPE_KEYS
        used = COMMON_CONTENT_KEYS + TYPE_KEYS[kind] if known else CONTENT_KEYS
        for name in content:
            if name not in CONTENT_KEYS:
                self.issue(line, f"content.{name}", _unknown_key(name), warning=True)
            elif name not in used:
                message = _(
                    "“%(key)s” is not used by %(type)s questions: it was ignored.",
                    key=name,
                    type=kind,
                )
                self.issue(line, f"content.{name}", message, warning=True)

    def details(self, record: QuestionRecord, question: dict) -> None:
        """Everything beside the content, each checked for its JSON type."""
        line = record.line or 1
        for name in ("key", "title", "level"):
            value = question.get(name)
            if value is not None and not isinstance(value, str):
                self.issue(line, name, _must_be_text(name))
        if isinstance(question.get("key"), str):
            record.key = clean_line(question["key"]) or None
        if isinstance(question.get("title"), str):
            record.title = clean_line(question["title"])
        if isinstance(question.get("level"), str):
            # Unknown names stay as written: check_records reports them.
            record.level = parse_level(question["level"]) or clean_line(question["level"])
        record.points = self.whole(question, "points", POINTS_RANGE, line)
        record.time_limit_s = self.whole(question, "time_limit_s", TIME_RANGE, line)
        for name in ("themes", "categories", "tags"):
            setattr(record, name, self.names(question, name, line))
        source = question.get("source")
        if source is None:
            return
        if not isinstance(source, dict):
            self.issue(line, "source", _("“source” must be an object."))
            return
        for name, value in source.items():
            if name not in SOURCE_KEYS:
                self.issue(line, f"source.{name}", _unknown_key(name), warning=True)
            elif value is not None and not isinstance(value, str):
                self.issue(line, f"source.{name}", _must_be_text(f"source.{name}"))
            else:
                setattr(record, f"source_{name}", clean_line(value))

    def whole(self, question: dict, name: str, limits: tuple[int, int], line: int) -> int | None:
        value = question.get(name)
        if value is None:
            return None
        # A whole number: not true/false, not text, not 2.5, NaN or infinity.
        number = isinstance(value, int | float) and not isinstance(value, bool)
        whole = number and (isinstance(value, int) or value.is_integer())
        if whole and limits[0] <= value <= limits[1]:
            return int(value)
        message = _(
            "“%(key)s” must be a whole number from %(low)d to %(high)d.",
            key=name,
            low=limits[0],
            high=limits[1],
        )
        self.issue(line, name, message)
        return None

    def names(self, question: dict, name: str, line: int) -> list[str]:
        value = question.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.issue(line, name, _("“%(key)s” must be a list of texts.", key=name))
            return []
        return [clean_line(item) for item in value if clean_line(item)]


def _unknown_key(name: str) -> str:
    return _("Unknown key “%(key)s”: it was ignored.", key=name)


def _must_be_text(name: str) -> str:
    return _("“%(key)s” must be text.", key=name)


def _no_questions_message() -> str:
    return _(
        "This JSON file holds no questions: it must be an object with a “questions” list, "
        "or a list of questions."
    )


# Where things start. json.loads has accepted the text, so between tokens there is only JSON
# whitespace and every value is one raw_decode away.

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, offset: int) -> int:
    return _WHITESPACE.match(text, offset).end()


def _members(text: str, start: int) -> dict[str, int]:
    """Where each member's value starts, for the object at `start` (a repeated key: the last)."""
    offsets: dict[str, int] = {}
    offset = _skip(text, start + 1)
    while text[offset] != "}":
        name, offset = _DECODER.raw_decode(text, offset)
        offset = _skip(text, _skip(text, offset) + 1)  # past the colon
        offsets[name] = offset
        _value, offset = _DECODER.raw_decode(text, offset)
        offset = _skip(text, offset)
        if text[offset] == ",":
            offset = _skip(text, offset + 1)
    return offsets


def _elements(text: str, start: int) -> list[int]:
    """Where each element starts, for the array at `start`."""
    offsets: list[int] = []
    offset = _skip(text, start + 1)
    while text[offset] != "]":
        offsets.append(offset)
        _value, offset = _DECODER.raw_decode(text, offset)
        offset = _skip(text, offset)
        if text[offset] == ",":
            offset = _skip(text, offset + 1)
    return offsets


# ---- writing ----------------------------------------------------------------------------------


def write(records: list[QuestionRecord]) -> ExportResult:
    """Every question, details and all; content in its stored (normalised) form."""
    questions, skipped = [], []
    for index, record in enumerate(records):
        entry = _entry(record)
        try:
            json.dumps(entry, allow_nan=False)
        except (TypeError, ValueError):
            stem = record.content.get("stem") if isinstance(record.content, dict) else ""
            skipped.append(
                Skipped(index, str(stem or ""), _("The question holds values JSON cannot store."))
            )
            continue
        questions.append(entry)
    document = {"format": FORMAT_ID, "version": VERSION, "questions": questions}
    text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return ExportResult(data=text.encode("utf-8"), skipped=skipped)


def _entry(record: QuestionRecord) -> dict[str, Any]:
    try:
        content = question_content.normalised(record.content)
    except question_content.InvalidContent:
        content = record.content  # kept as it is: this format loses nothing, not even mistakes
    entry: dict[str, Any] = {
        "key": record.key,
        "title": record.title,
        "level": record.level,
        "points": record.points,
        "time_limit_s": record.time_limit_s,
        "themes": list(record.themes),
    }
    if record.categories:
        entry["categories"] = list(record.categories)
    entry["tags"] = list(record.tags)
    entry["source"] = {
        "document": record.source_document,
        "section": record.source_section,
        "url": record.source_url,
    }
    entry["content"] = content
    return entry
