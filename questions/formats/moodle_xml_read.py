"""Reading a Moodle XML file: what every question has, whatever its type.

The file is opened by `moodle_xml_file` (safely: it comes from anyone). Each question's stem,
explanation, name, grade, tags and HoiThi comment are read here; what depends on its Moodle type
is built in `moodle_xml_read_types`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from lxml import etree

from contest.text import clean_line
from questions.formats import html_text
from questions.formats.base import ImportIssue, ParseResult, QuestionRecord, parse_level
from questions.formats.moodle_xml import COMMENT_PREFIX, NAME, raw_text, read_number, whole
from questions.formats.moodle_xml_file import parse
from questions.formats.moodle_xml_read_types import BUILDERS

POINTS_RANGE = (0, 1000)
TIME_RANGE = (5, 3600)
_SOURCE = ("document", "section", "url")


def read_quiz(data: bytes) -> ParseResult:
    """Each question Moodle's file holds as a record; other question types as issues."""
    root = parse(data)
    reader = Reader()
    for element in root:
        if isinstance(element.tag, str):  # comments between questions are Moodle's own ids
            reader.element(element)
    return reader.result


@dataclass
class Meta:
    """What a question says beside its content: tags, HoiThi's own tags, the comment."""

    tags: list[str] = field(default_factory=list)
    level: str | None = None
    time_limit_s: int | None = None
    all_or_nothing: bool = False
    ignore_diacritics: bool = False
    comment: dict[str, Any] = field(default_factory=dict)


class Reader:
    def __init__(self) -> None:
        self.result = ParseResult(NAME)
        self.category: list[str] = []
        self.line: int | None = None  # the first line of the question being read
        self.dropped_images = 0

    def issue(
        self, element: etree._Element, where: str, message: str, warning: bool = True
    ) -> None:
        """An issue at the question's first line, where the import's preview shows it.

        Most are warnings: the question imports without what the bank cannot keep. Only a
        value that is plainly wrong (a fraction that is no number …) refuses the file.
        """
        line = self.line or element.sourceline
        self.result.issues.append(ImportIssue(line, where, message, warning))

    def element(self, element: etree._Element) -> None:
        if element.tag != "question":
            self.issue(
                element, "", _("<%(tag)s> is not a question; it was left out.", tag=element.tag)
            )
            return
        kind = (element.get("type") or "").strip()
        if kind == "category":
            self.category = _category_path(element)
            return
        build = BUILDERS.get(kind)
        if build is None:
            self.issue(element, "type", _unsupported(kind))
            return
        self.line, self.dropped_images = element.sourceline, 0
        meta = self.meta(element)
        text_format = _format(element.find("questiontext"), "html")
        stem = self.text(element.find("questiontext"), "html")
        explanation = self.text(element.find("generalfeedback"), text_format)
        answers = build(self, element, text_format, meta)
        content = {"type": answers.pop("type"), "stem": stem, "explanation": explanation, **answers}
        if self.dropped_images or element.find(".//file") is not None:
            self.issue(
                element,
                "stem",
                _("Pictures and files inside the question were left out: add them again by hand."),
            )
        self.result.records.append(self.record(element, content, meta))
        self.line = None

    def record(self, element: etree._Element, content: dict, meta: Meta) -> QuestionRecord:
        comment = meta.comment
        source = comment.get("source", {})
        key = clean_line(element.findtext("idnumber") or "")
        return QuestionRecord(
            content=content,
            line=element.sourceline,
            title=comment.get("title", clean_line(raw_text(element.find("name")))),
            level=meta.level,
            points=self.points(element),
            time_limit_s=meta.time_limit_s,
            themes=comment.get("themes", []),
            categories=comment.get("categories", list(self.category)),
            tags=meta.tags,
            source_document=source.get("document", ""),
            source_section=source.get("section", ""),
            source_url=source.get("url", ""),
            key=key or None,
        )

    # -- texts --

    def text(self, holder: etree._Element | None, default_format: str, plain: bool = False) -> str:
        """A Moodle text (<questiontext>, <answer>, …) as the bank's Markdown, or plain text."""
        if holder is None:
            return ""
        raw = raw_text(holder)
        text_format = _format(holder, default_format)
        if text_format == "markdown":
            # Markdown may carry raw HTML, which Moodle would render: keep its words only.
            return html_text.strip_tags(raw) if html_text.HTML_TAG.search(raw) else raw.strip()
        if text_format == "plain_text":
            return raw.strip() if plain else html_text.escape_markdown(raw).strip()
        if text_format == "moodle_auto_format":
            raw = raw.replace("\n", "<br>")  # what Moodle does to auto-format text
        text, dropped_images = html_text.convert(raw, markdown=not plain)
        self.dropped_images += dropped_images
        return text

    def feedback_lost(self, element: etree._Element) -> None:
        """Report per-answer feedback the bank has no place for (true/false, short answers…)."""
        for answer in element.findall("answer"):
            if self.text(answer.find("feedback"), "html", plain=True):
                self.issue(
                    answer,
                    "explanation",
                    _(
                        "Feedback on individual answers was left out: the bank "
                        "keeps it only for choice questions."
                    ),
                )
                return

    # -- details beside the content --

    def meta(self, element: etree._Element) -> Meta:
        meta = Meta()
        for tag in element.findall("tags/tag"):
            text = clean_line(raw_text(tag))
            name, _colon, value = text.partition(":")
            name = name.strip().casefold()
            value = value.strip()
            if name == "hoithi-level":
                meta.level = parse_level(value) or value
            elif name == "hoithi-time":
                meta.time_limit_s = whole(value, TIME_RANGE)
                if meta.time_limit_s is None:
                    self.issue(tag, "time_limit_s", _time_message(value), warning=False)
            elif name == "hoithi-scoring":
                meta.all_or_nothing = value == "all_or_nothing"
            elif name == "hoithi-ignore-diacritics":
                meta.ignore_diacritics = True
            elif text:
                meta.tags.append(text)
        for node in element.iterchildren(etree.Comment):
            text = (node.text or "").strip()
            if text.startswith(COMMENT_PREFIX):
                meta.comment = self.comment(node, text[len(COMMENT_PREFIX) :])
        return meta

    def comment(self, node: etree._Element, payload: str) -> dict[str, Any]:
        """HoiThi's own details, each kept only when it has the right shape."""
        try:
            data = json.loads(payload)
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            self.issue(node, "", _comment_message())
            return {}
        details: dict[str, Any] = {}
        for name in ("themes", "categories"):
            value = data.get(name, [])
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                details[name] = [clean_line(item) for item in value if clean_line(item)]
            else:
                self.issue(node, name, _comment_message())
        source = data.get("source", {})
        if isinstance(source, dict) and all(isinstance(value, str) for value in source.values()):
            details["source"] = {name: clean_line(source.get(name, "")) for name in _SOURCE}
        else:
            self.issue(node, "source", _comment_message())
        if isinstance(data.get("title"), str):
            details["title"] = clean_line(data["title"])
        return details

    def points(self, element: etree._Element) -> int | None:
        text = element.findtext("defaultgrade")
        if text is None or not text.strip():
            return None
        points = whole(text, POINTS_RANGE)
        if points is None:
            self.issue(
                element.find("defaultgrade"),
                "points",
                _(
                    "The default grade “%(grade)s” is not a whole number of points from "
                    "%(low)d to %(high)d: the bank's default is used.",
                    grade=text.strip(),
                    low=POINTS_RANGE[0],
                    high=POINTS_RANGE[1],
                ),
            )
        return points

    def answers(self, element: etree._Element) -> list[tuple[etree._Element, float]]:
        """Each <answer> with its fraction (percent of the marks); a broken fraction counts 0."""
        pairs = []
        for answer in element.findall("answer"):
            raw = answer.get("fraction")
            if raw is None:
                raw = answer.findtext("fraction") or "0"  # Moodle 1.x wrote it as an element
            fraction = read_number(raw)
            if fraction is None:
                self.issue(
                    answer,
                    "options",
                    _("The fraction “%(fraction)s” is not a number.", fraction=raw),
                    warning=False,
                )
                fraction = 0
            pairs.append((answer, float(fraction)))
        return pairs


def _category_path(element: etree._Element) -> list[str]:
    """'$course$/top/Chỉ thị 05-CT//TW' -> ['Chỉ thị 05-CT/TW']: Moodle doubles a '/' in a name."""
    raw = raw_text(element.find("category")).strip()
    names = [clean_line(part.replace("//", "/")) for part in re.split(r"(?<!/)/(?!/)", raw)]
    names = [name for name in names if name and not (name.startswith("$") and name.endswith("$"))]
    if names and names[0].casefold() == "top":
        names = names[1:]
    # Moodle makes "Default for <course>" itself; as a label in the bank it would mean nothing.
    if names and names[0].startswith(("Default for ", "Mặc định cho ")):
        names = names[1:]
    return names


def _format(holder: etree._Element | None, default: str) -> str:
    if holder is None:
        return default
    return (holder.get("format") or default).strip().lower()


def _unsupported(kind: str) -> str:
    if kind == "description":
        return _("A Moodle “description” is text between questions, not a question: left out.")
    if not kind:
        return _("A question without a type was left out.")
    return _(
        "Moodle “%(type)s” questions have no counterpart in the bank; this one was left out.",
        type=kind,
    )


def _time_message(value: str) -> str:
    return _(
        "The time limit “%(value)s” is not a whole number of seconds from %(low)d to %(high)d.",
        value=value,
        low=TIME_RANGE[0],
        high=TIME_RANGE[1],
    )


def _comment_message() -> str:
    return _("Part of the HoiThi details comment is unreadable and was left out.")
