"""Writing Moodle XML: a file Moodle's question bank imports as it is.

Texts go out in Moodle's `markdown` format; fractions come from Moodle's list of grades; HoiThi's
details Moodle has no field for travel in `hoithi-…` tags and a `<!-- hoithi: {…} -->` comment,
which `moodle_xml_read` reads back.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask_babel import gettext as _
from lxml import etree

from questions import content as question_content
from questions.formats.base import ExportResult, QuestionRecord, Skipped
from questions.formats.moodle_xml import COMMENT_PREFIX, MOODLE_TYPES, TAG_PREFIX, number_text
from questions.markdown import plain_text


def write_quiz(records: list[QuestionRecord]) -> ExportResult:
    """A Moodle XML file: a category question before each run of one theme or category path."""
    quiz = etree.Element("quiz")
    skipped: list[Skipped] = []
    current: list[str] | None = None
    for index, record in enumerate(records):
        try:
            content = question_content.normalised(record.content)
        except question_content.InvalidContent:
            stem = record.content.get("stem") if isinstance(record.content, dict) else ""
            skipped.append(
                Skipped(index, str(stem or ""), _("The question's content is not valid."))
            )
            continue
        path = record.categories or record.themes[:1]
        if not path and current:
            # Moodle puts a question in the last category named: leave it for a neutral one.
            path = [str(_("Uncategorised"))]
        if path and path != current:
            quiz.append(_category_element(path))
            current = path
        quiz.append(_question_element(record, content))
    data = etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return ExportResult(data=data, skipped=skipped)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _safe(text: str) -> str:
    """Text XML 1.0 can hold (lxml refuses control characters outright)."""
    return _XML_INVALID.sub("", text)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str):
    element = etree.SubElement(parent, tag, **attributes)
    if text is not None:
        element.text = _safe(text)
    return element


def _text_element(parent: etree._Element, tag: str, text: str, text_format: str | None = None):
    holder = _sub(parent, tag, **({"format": text_format} if text_format else {}))
    _sub(holder, "text", text)
    return holder


def _category_element(path: list[str]) -> etree._Element:
    question = etree.Element("question", type="category")
    names = "/".join(name.replace("/", "//") for name in path)
    _text_element(question, "category", f"$course$/top/{names}")
    return question


def _question_element(record: QuestionRecord, content: dict) -> etree._Element:
    kind = content["type"]
    question = etree.Element("question", type=MOODLE_TYPES[kind])
    question.append(etree.Comment(_comment(record)))
    name = record.title or record.key or plain_text(content["stem"])[:80]
    _text_element(question, "name", name)
    _text_element(question, "questiontext", content["stem"], "markdown")
    _text_element(question, "generalfeedback", content["explanation"], "markdown")
    if record.points is not None:
        _sub(question, "defaultgrade", str(record.points))
    if record.key:
        _sub(question, "idnumber", record.key)
    _WRITERS[kind](question, content)
    tags = list(record.tags)
    if record.level:
        tags.append(f"{TAG_PREFIX}level:{record.level}")
    if record.time_limit_s is not None:
        tags.append(f"{TAG_PREFIX}time:{record.time_limit_s}")
    if kind == "multiple" and content["scoring"] == "all_or_nothing":
        tags.append(f"{TAG_PREFIX}scoring:all_or_nothing")
    if content.get("ignore_diacritics"):
        tags.append(f"{TAG_PREFIX}ignore-diacritics")
    if tags:
        holder = _sub(question, "tags")
        for tag in tags:
            _text_element(holder, "tag", tag)
    return question


def _comment(record: QuestionRecord) -> str:
    """HoiThi's details as JSON in a comment; '--' may not appear in one, so it is escaped."""
    details: dict[str, Any] = {"themes": record.themes, "categories": record.categories}
    source = {
        "document": record.source_document,
        "section": record.source_section,
        "url": record.source_url,
    }
    if any(source.values()):
        details["source"] = {name: value for name, value in source.items() if value}
    if not record.title:
        details["title"] = ""
    payload = _safe(json.dumps(details, ensure_ascii=False)).replace("--", "-\\u002d")
    return f" {COMMENT_PREFIX} {payload} "


def _answer(parent, fraction: str, text: str, text_format: str, feedback: str = ""):
    answer = _text_element(parent, "answer", text, text_format)
    answer.set("fraction", fraction)
    if feedback:
        _text_element(answer, "feedback", feedback, "markdown")
    return answer


def _write_choices(question: etree._Element, content: dict) -> None:
    options = content["options"]
    multiple = content["type"] == "multiple"
    _sub(question, "single", "false" if multiple else "true")
    _sub(question, "shuffleanswers", "true")
    _sub(question, "answernumbering", "ABCD")
    if not multiple:
        fractions = ["100" if option["correct"] else "0" for option in options]
    elif any("weight" in option for option in options):
        fractions = [number_text(option.get("weight", 0)) for option in options]
    else:
        # The bank's unweighted scoring, in Moodle's terms; 100/k is always one of its grades.
        right = sum(option["correct"] for option in options)
        share = f"{100 / right:.5f}".rstrip("0").rstrip(".")
        fractions = [share if option["correct"] else f"-{share}" for option in options]
    for option, fraction in zip(options, fractions, strict=True):
        _answer(question, fraction, option["text"], "plain_text", option.get("feedback", ""))


def _write_true_false(question: etree._Element, content: dict) -> None:
    for value in (True, False):
        fraction = "100" if content["answer"] is value else "0"
        _answer(question, fraction, "true" if value else "false", "moodle_auto_format")


def _write_short_text(question: etree._Element, content: dict) -> None:
    _sub(question, "usecase", "0")
    for text in content["accepted"]:
        # A bare * is Moodle's wildcard; \* is the character itself.
        _answer(question, "100", text.replace("*", "\\*"), "moodle_auto_format")


def _write_numeric(question: etree._Element, content: dict) -> None:
    answer = _answer(question, "100", number_text(content["value"]), "moodle_auto_format")
    _sub(answer, "tolerance", number_text(content["tolerance"]))
    if content.get("unit"):
        unit = _sub(_sub(question, "units"), "unit")
        _sub(unit, "multiplier", "1")
        _sub(unit, "unit_name", content["unit"])
    _sub(question, "unitgradingtype", "0")  # a unit typed after the number is not graded
    _sub(question, "unitpenalty", "0")
    _sub(question, "showunits", "0" if content.get("unit") else "3")
    _sub(question, "unitsleft", "0")


def _write_ordering(question: etree._Element, content: dict) -> None:
    _sub(question, "layouttype", "VERTICAL")
    _sub(question, "selecttype", "ALL")
    _sub(question, "selectcount", "0")
    _sub(question, "gradingtype", "ALL_OR_NOTHING")
    _sub(question, "showgrading", "SHOW")
    _sub(question, "numberingstyle", "none")
    for position, item in enumerate(content["items"], start=1):
        _answer(question, str(position), item, "plain_text")


def _write_open(question: etree._Element, content: dict) -> None:
    _sub(question, "responseformat", "editor")
    _sub(question, "responserequired", "1")
    _sub(question, "responsefieldlines", "15")
    _sub(question, "attachments", "0")
    _sub(question, "attachmentsrequired", "0")
    _text_element(question, "graderinfo", content.get("guidance", ""), "markdown")
    _text_element(question, "responsetemplate", "", "markdown")


_WRITERS = {
    "single": _write_choices,
    "multiple": _write_choices,
    "true_false": _write_true_false,
    "short_text": _write_short_text,
    "numeric": _write_numeric,
    "ordering": _write_ordering,
    "open": _write_open,
}
