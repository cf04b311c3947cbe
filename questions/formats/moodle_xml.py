"""Moodle XML: the file Moodle's question bank imports and exports, read and written.

Reading keeps the Moodle question types the bank can hold — multichoice (one or several answers),
truefalse, shortanswer, numerical, essay, ordering, and the all-or-nothing `multichoiceset`
plugin — and reports every other type (matching, cloze, drag and drop, calculated,
description, …) at its line. HTML in a Moodle text is sanitised with nh3 and turned into the
bank's Markdown, so nothing active from a file ever reaches the bank.

Writing gives a file Moodle imports as it is: texts in Moodle's `markdown` format, fractions from
Moodle's list of grades, a category question before each run of questions in one theme. What
Moodle has no field for travels in two places Moodle does not mind:

- tags `hoithi-level:…`, `hoithi-time:…`, `hoithi-scoring:all_or_nothing` and
  `hoithi-ignore-diacritics`: Moodle keeps tags, so these survive a trip through Moodle;
- a comment `<!-- hoithi: {…} -->` in each question with its themes, categories, source (and an
  empty title): only a copy kept outside Moodle keeps it.

docs/formats.md describes the mapping for people.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any

import nh3
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from lxml import etree

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
from questions.markdown import CONTENT_DROPPED, plain_text

NAME = "moodle_xml"
EXTENSIONS = (".xml",)
LABEL = _l("Moodle XML")

MAX_BYTES = 20 * 1024 * 1024  # a Moodle export with pictures inside is big, but not this big
TAG_PREFIX = "hoithi-"
COMMENT_PREFIX = "hoithi:"
POINTS_RANGE = (0, 1000)
TIME_RANGE = (5, 3600)
FULL = 100 - 1e-3  # a fraction this close to 100 is full marks (Moodle writes 99.99999 too)

# The bank's type -> Moodle's qtype, and back (plus the all-or-nothing plugin).
MOODLE_TYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true_false": "truefalse",
    "short_text": "shortanswer",
    "numeric": "numerical",
    "ordering": "ordering",
    "open": "essay",
}


# ---- reading: the file ------------------------------------------------------------------------


def sniff(data: bytes) -> bool:
    """A Moodle XML file has a <quiz> element near its start."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("utf-8", "ignore")
    return re.search(r"<quiz[\s>/]", text) is not None


def read(data: bytes) -> ParseResult:
    """Each question Moodle's file holds as a record; other question types as issues."""
    root = _parse(data)
    reader = _Reader()
    for element in root:
        if isinstance(element.tag, str):  # comments between questions are Moodle's own ids
            reader.element(element)
    return reader.result


_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_UNICODE = (b"utf-8", b"utf8", b"utf-16", b"utf16", b"utf-16le", b"utf-16be")


def _as_utf8(data: bytes) -> bytes:
    """UTF-8 bytes for lxml, refusing legacy text the way every text format does.

    A file that names another encoding in its XML declaration is left to libxml2: nothing is
    guessed then. Otherwise the text goes through `decode_text`, and the declaration's encoding
    is dropped because the bytes handed on are UTF-8 whatever it said.
    """
    declared = _ENCODING.match(data)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in _UNICODE:
        return data
    text = decode_text(data)
    text = re.sub(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']", r"\1", text, count=1)
    return text.encode("utf-8")


_DOCTYPE = re.compile(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<!DOCTYPE", re.DOTALL)


def _doctype_message() -> str:
    return _("The file declares a DOCTYPE, which Moodle XML files never do: it was refused.")


def _parse(data: bytes) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise FormatError(
            _("The file is larger than %(limit)d MB.", limit=MAX_BYTES // (1024 * 1024))
        )
    # No entity is ever expanded and nothing is fetched: a file cannot read the server's files
    # (XXE) or blow up in memory (billion laughs). A parser per call: lxml parsers are not
    # thread-safe.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_pis=True,
    )
    data = _as_utf8(data)
    if _DOCTYPE.match(data):
        # Moodle never writes one, and a DOCTYPE is where entity attacks are declared.
        raise FormatError(_doctype_message(), line=1)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 1
        detail = re.sub(r", line \d+, column \d+$", "", getattr(error, "msg", None) or str(error))
        raise FormatError(
            _("Line %(line)d: the XML is broken (%(detail)s).", line=line, detail=detail),
            line=line,
        ) from error
    if root.getroottree().docinfo.doctype:  # one the prolog check above did not see
        raise FormatError(_doctype_message(), line=1)
    if root.tag != "quiz":
        raise FormatError(
            _(
                "This is not a Moodle XML question file: it starts with <%(tag)s>, not <quiz>.",
                tag=str(root.tag),
            ),
            line=root.sourceline,
        )
    return root


# ---- reading: one question --------------------------------------------------------------------


@dataclass
class _Meta:
    """What a question says beside its content: tags, HoiThi's own tags, the comment."""

    tags: list[str] = field(default_factory=list)
    level: str | None = None
    time_limit_s: int | None = None
    all_or_nothing: bool = False
    ignore_diacritics: bool = False
    comment: dict[str, Any] = field(default_factory=dict)


class _Reader:
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
        build = _BUILDERS.get(kind)
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

    def record(self, element: etree._Element, content: dict, meta: _Meta) -> QuestionRecord:
        comment = meta.comment
        source = comment.get("source", {})
        key = clean_line(element.findtext("idnumber") or "")
        return QuestionRecord(
            content=content,
            line=element.sourceline,
            title=comment.get("title", clean_line(_raw_text(element.find("name")))),
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
        raw = _raw_text(holder)
        text_format = _format(holder, default_format)
        if text_format == "markdown":
            # Markdown may carry raw HTML, which Moodle would render: keep its words only.
            return _strip_tags(raw) if _HTML_TAG.search(raw) else raw.strip()
        if text_format == "plain_text":
            return raw.strip() if plain else _escape_markdown(raw).strip()
        if text_format == "moodle_auto_format":
            raw = raw.replace("\n", "<br>")  # what Moodle does to auto-format text
        converter = _HtmlText(markdown=not plain)
        converter.feed(_sanitise(raw))
        converter.close()
        self.dropped_images += converter.dropped_images
        return converter.text()

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

    def meta(self, element: etree._Element) -> _Meta:
        meta = _Meta()
        for tag in element.findall("tags/tag"):
            text = clean_line(_raw_text(tag))
            name, _colon, value = text.partition(":")
            name = name.strip().casefold()
            value = value.strip()
            if name == "hoithi-level":
                meta.level = parse_level(value) or value
            elif name == "hoithi-time":
                meta.time_limit_s = _whole(value, TIME_RANGE)
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
        points = _whole(text, POINTS_RANGE)
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
            fraction = _number(raw)
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

    # -- one builder per Moodle type: the content keys beside stem and explanation --

    def multichoice(self, element: etree._Element, text_format: str, meta: _Meta) -> dict:
        single_text = element.findtext("single")
        # Moodle's own rule: no <single> means single; "false", "0" or nothing means several.
        single = single_text is None or single_text.strip().lower() not in ("false", "0", "")
        pairs = self.answers(element)
        options = self.options(pairs, text_format, single)
        if not single:
            return _multiple(
                options, [fraction for _answer, fraction in pairs], meta.all_or_nothing
            )
        for index, (answer, fraction) in enumerate(pairs):
            if fraction != 0 and fraction < FULL:
                self.issue(
                    answer,
                    f"options.{index}",
                    _(
                        "Answer %(number)d is worth %(fraction)s of 100: single-choice questions "
                        "have no partial credit in the bank, so it counts as wrong.",
                        number=index + 1,
                        fraction=_number_text(fraction),
                    ),
                )
        return {"type": "single", "options": options}

    def multichoiceset(self, element: etree._Element, text_format: str, meta: _Meta) -> dict:
        """The all-or-nothing plugin: an answer with a positive fraction is a right one."""
        options = self.options(self.answers(element), text_format, single=False)
        return {"type": "multiple", "options": options, "scoring": "all_or_nothing"}

    def options(
        self, pairs: list[tuple[etree._Element, float]], text_format: str, single: bool
    ) -> list[dict]:
        options = []
        for answer, fraction in pairs:
            option: dict[str, Any] = {
                "text": self.text(answer, text_format, plain=True),
                # One answer: only full marks is right. Several: any answer that adds marks.
                "correct": fraction >= FULL if single else fraction > 0,
            }
            feedback = self.text(answer.find("feedback"), text_format)
            if feedback:
                option["feedback"] = feedback
            options.append(option)
        return options

    def truefalse(self, element: etree._Element, text_format: str, meta: _Meta) -> dict:
        answer_value = None
        for index, (answer, fraction) in enumerate(self.answers(element)):
            text = (answer.findtext("text") or "").strip().lower()
            if text not in ("true", "false"):  # old files: true first, then false (as Moodle)
                text = "true" if index == 0 else "false"
            answer_value = (fraction >= FULL) == (text == "true")
        self.feedback_lost(element)
        return {"type": "true_false", "answer": answer_value}

    def shortanswer(self, element: etree._Element, text_format: str, meta: _Meta) -> dict:
        if (element.findtext("usecase") or "0").strip() not in ("0", "", "false"):
            self.issue(
                element.find("usecase"),
                "accepted",
                _("Moodle compared these answers with their case; the bank always ignores case."),
            )
        accepted = []
        for answer, fraction in self.answers(element):
            text = clean_line(_raw_text(answer))
            if fraction >= FULL:
                if _WILDCARD.search(text):
                    self.issue(
                        answer,
                        "accepted",
                        _(
                            "The answer “%(answer)s” uses Moodle's * wildcard, which the bank "
                            "does not have: people must type the * as it is.",
                            answer=text,
                        ),
                    )
                accepted.append(text.replace("\\*", "*"))
            elif fraction > 0:
                self.issue(answer, "accepted", _partial_message(text, fraction))
        self.feedback_lost(element)
        return {
            "type": "short_text",
            "accepted": accepted,
            "ignore_diacritics": meta.ignore_diacritics,
        }

    def numerical(self, element: etree._Element, text_format: str, meta: _Meta) -> dict:
        content: dict[str, Any] = {"type": "numeric"}
        for answer, fraction in self.answers(element):
            text = clean_line(_raw_text(answer))
            if fraction < FULL:
                if fraction > 0:
                    self.issue(answer, "value", _partial_message(text, fraction))
            elif "value" in content:
                self.issue(
                    answer,
                    "value",
                    _(
                        "Only the first right number was kept; the bank holds one number with a "
                        "tolerance."
                    ),
                )
            elif _number(text) is None:
                self.issue(
                    answer,
                    "value",
                    _("The answer “%(answer)s” is not a number.", answer=text),
                    warning=False,
                )
            else:
                content["value"] = _tidy(_number(text))
                tolerance = _number(answer.findtext("tolerance") or "0")
                content["tolerance"] = _tidy(abs(tolerance)) if tolerance is not None else 0
        units = element.findall("units/unit")
        main = [unit for unit in units if _number(unit.findtext("multiplier") or "1") == 1]
        if main:
            content["unit"] = clean_line(main[0].findtext("unit_name") or "")
        others = [unit for unit in units if unit is not (main[0] if main else None)]
        if others:
            self.issue(
                others[0],
                "unit",
                _("Only the main unit (multiplier 1) was kept; other units were left out."),
            )
        self.feedback_lost(element)
        return content

    def essay(self, element: etree._Element, text_format: str, meta: _Meta) -> dict:
        content: dict[str, Any] = {"type": "open"}
        guidance = self.text(element.find("graderinfo"), text_format)
        if guidance:
            content["guidance"] = guidance
        if self.text(element.find("responsetemplate"), text_format, plain=True):
            self.issue(
                element.find("responsetemplate"),
                "guidance",
                _("The response template was left out: the bank has none."),
            )
        return content

    def ordering(self, element: etree._Element, text_format: str, meta: _Meta) -> dict:
        pairs = self.answers(element)
        fractions = [fraction for _answer, fraction in pairs]
        if len(set(fractions)) == len(fractions):  # Moodle numbers the items 1, 2, 3 …
            pairs = sorted(pairs, key=lambda pair: pair[1])
        items = [self.text(answer, text_format, plain=True) for answer, _fraction in pairs]
        select = (element.findtext("selecttype") or "").strip().upper()
        count = _whole(element.findtext("selectcount") or "0", (0, 1000)) or 0
        if select in ("RANDOM", "CONTIGUOUS", "1", "2") and 0 < count < len(items):
            self.issue(
                element.find("selecttype"),
                "items",
                _(
                    "Moodle showed only %(count)d of the items; the bank always shows them all.",
                    count=count,
                ),
            )
        self.feedback_lost(element)
        return {"type": "ordering", "items": items}


_BUILDERS = {
    "multichoice": _Reader.multichoice,
    "multichoiceset": _Reader.multichoiceset,
    "truefalse": _Reader.truefalse,
    "shortanswer": _Reader.shortanswer,
    "numerical": _Reader.numerical,
    "essay": _Reader.essay,
    "ordering": _Reader.ordering,
}
_SOURCE = ("document", "section", "url")
_WILDCARD = re.compile(r"(?<!\\)\*")


def _multiple(options: list[dict], fractions: list[float], all_or_nothing: bool) -> dict:
    """Several answers: Moodle adds the chosen fractions, clamped to 0–100, like partial weights.

    When the fractions are the bank's own unweighted partial scoring (each right answer 100/k,
    each wrong one −100/k) they are left implicit, so the bank's questions come back as they were.
    """
    content: dict[str, Any] = {
        "type": "multiple",
        "options": options,
        "scoring": "all_or_nothing" if all_or_nothing else "partial",
    }
    right = [fraction for fraction in fractions if fraction > 0]
    if right and all(
        math.isclose(
            fraction, 100 / len(right) if fraction > 0 else -100 / len(right), abs_tol=1e-3
        )
        for fraction in fractions
    ):
        return content
    for option, fraction in zip(options, fractions, strict=True):
        if fraction:
            option["weight"] = _tidy(fraction)
    return content


def _category_path(element: etree._Element) -> list[str]:
    """'$course$/top/Chỉ thị 05-CT//TW' -> ['Chỉ thị 05-CT/TW']: Moodle doubles a '/' in a name."""
    raw = _raw_text(element.find("category")).strip()
    names = [clean_line(part.replace("//", "/")) for part in re.split(r"(?<!/)/(?!/)", raw)]
    names = [name for name in names if name and not (name.startswith("$") and name.endswith("$"))]
    if names and names[0].casefold() == "top":
        names = names[1:]
    # Moodle makes "Default for <course>" itself; as a label in the bank it would mean nothing.
    if names and names[0].startswith(("Default for ", "Mặc định cho ")):
        names = names[1:]
    return names


def _unsupported(kind: str) -> str:
    if kind == "description":
        return _("A Moodle “description” is text between questions, not a question: left out.")
    if not kind:
        return _("A question without a type was left out.")
    return _(
        "Moodle “%(type)s” questions have no counterpart in the bank; this one was left out.",
        type=kind,
    )


def _partial_message(answer: str, fraction: float) -> str:
    return _(
        "The answer “%(answer)s” is worth %(fraction)s of 100: the bank has no partial credit "
        "here, so it was left out.",
        answer=answer,
        fraction=_number_text(fraction),
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


def _format(holder: etree._Element | None, default: str) -> str:
    if holder is None:
        return default
    return (holder.get("format") or default).strip().lower()


def _raw_text(holder: etree._Element | None) -> str:
    """The text of <x><text>…</text></x> (or of <x> itself, as old files wrote it).

    HTML written straight into the XML instead of inside CDATA arrives as elements: it is
    serialised back to HTML so that it goes through the same sanitiser.
    """
    if holder is None:
        return ""
    text_element = holder.find("text")
    if text_element is None:
        return holder.text or ""
    parts = [text_element.text or ""]
    parts += [etree.tostring(child, encoding=str, with_tail=True) for child in text_element]
    return "".join(parts)


def _number(text: str) -> int | float | None:
    """'2594' -> 2594, '99.7' -> 99.7; None for anything else (NaN and infinity included)."""
    text = text.strip()
    if re.fullmatch(r"[+-]?\d{1,18}", text):
        return int(text)
    if len(text) > 40:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _tidy(value: int | float) -> int | float:
    """10.0 -> 10: Moodle writes '10.0000000' where the bank means 10."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _whole(text: str, limits: tuple[int, int]) -> int | None:
    value = _number(text)
    if value is None or float(value) != int(value) or not limits[0] <= value <= limits[1]:
        return None
    return int(value)


def _number_text(value: int | float) -> str:
    """A number as Moodle and people write it: 50, 33.33333, 2594, 99.7."""
    value = _tidy(value)
    if isinstance(value, int):
        return str(value)
    return repr(value)


# ---- HTML to the bank's Markdown --------------------------------------------------------------

_HTML_TAGS = {
    "p", "div", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "img", "span",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "sub", "sup",
    "table", "thead", "tbody", "tr", "td", "th",
}  # fmt: skip
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINK = re.compile(r"(https?:|mailto:)", re.IGNORECASE)


def _sanitise(html_text: str) -> str:
    """Only harmless tags, no script or style contents, no javascript: or other odd links."""
    return nh3.clean(
        html_text,
        tags=_HTML_TAGS,
        clean_content_tags=CONTENT_DROPPED,
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def _strip_tags(text: str) -> str:
    """Markdown whose raw HTML is cut down to its words (Markdown itself untouched)."""
    return unescape(nh3.clean(text, tags=set(), clean_content_tags=CONTENT_DROPPED)).strip()


def _escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class _HtmlText(HTMLParser):
    """Sanitised HTML as Markdown (paragraphs, line breaks, **bold**, *italics*, lists, links).

    With `markdown=False` it gives plain words, for option texts and answers, which the bank
    shows as they are.
    """

    _BLOCKS = {"p", "div", "blockquote", "pre", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
    _MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}

    def __init__(self, markdown: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown = markdown
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # [ordered, next number] per open list
        self.marks: dict[str, list[int]] = {"**": [], "*": []}  # where each open mark starts
        self.links: list[tuple[int, str]] = []
        self.dropped_images = 0

    def text(self) -> str:
        lines = "".join(self.out).split("\n")
        # Spaces on both sides of a moved mark ("a ** b** c") collapse as HTML would show them.
        text = "\n".join(re.sub(r"(?<=\S)  +", " ", line).rstrip() for line in lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def _at_line_start(self) -> bool:
        joined = "".join(self.out[-3:])
        return not joined or joined.endswith(("\n", "- ", ". "))

    def _break(self, lines: int) -> None:
        self.out.append("\n" * lines)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in self._BLOCKS:
            self._break(2)
            if tag.startswith("h"):
                self.handle_starttag("strong", [])
        elif tag in ("br", "tr"):
            self._break(1)
        elif tag in ("td", "th") and not self._at_line_start():
            self.out.append(" | ")
        elif tag in ("ul", "ol"):
            if not self.lists:  # a list inside a list starts on its item's next line
                self._break(2)
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            ordered, number = self.lists[-1] if self.lists else (False, 1)
            if self.lists:
                self.lists[-1][1] += 1
            indent = "   " * max(len(self.lists) - 1, 0)
            marker = (f"{number}. " if ordered else "- ") if self.markdown else ""
            self.out.append("\n" + indent + marker)
        elif tag in self._MARKS and self.markdown:
            mark = self._MARKS[tag]
            self.marks[mark].append(len(self.out))
            if len(self.marks[mark]) == 1:
                self.out.append(mark)
        elif tag == "a":
            self.links.append((len(self.out), values.get("href", "")))
        elif tag == "img":
            self.image(values)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            if tag.startswith("h"):
                self.handle_endtag("strong")
            self._break(2)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            if not self.lists:
                self._break(2)
        elif tag in self._MARKS and self.markdown and self.marks[self._MARKS[tag]]:
            mark = self._MARKS[tag]
            start = self.marks[mark].pop()
            if not self.marks[mark]:
                self._close_mark(start, mark)
        elif tag == "a" and self.links:
            start, href = self.links.pop()
            inner = "".join(self.out[start:])
            if self.markdown and inner.strip() and _LINK.match(href) and "\n" not in inner:
                self.out[start:] = [f"[{inner.strip()}]({_url(href)})"]

    def _close_mark(self, start: int, mark: str) -> None:
        """Close **…**: Markdown ignores a mark next to a space, so spaces go outside it."""
        inner = "".join(self.out[start + 1 :])
        if not inner.strip() or "\n\n" in inner.strip():
            self.out[start:] = [inner]
            return
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        self.out[start:] = [lead, mark, inner.strip(), mark, trail]

    def image(self, values: dict[str, str]) -> None:
        src = values.get("src", "").strip()
        if self.markdown and src.lower().startswith("https://"):
            alt = _escape_markdown(clean_line(values.get("alt", "")))
            self.out.append(f"![{alt}]({_url(src)})")
        else:  # Moodle's own files (@@PLUGINFILE@@) and anything else the bank cannot show
            self.dropped_images += 1

    def handle_data(self, data: str) -> None:
        text = re.sub(r"[ \t\n\r\f]+", " ", data)
        if self._at_line_start():
            text = text.lstrip(" ")
        if text:
            self.out.append(_escape_markdown(text) if self.markdown else text)


def _url(address: str) -> str:
    return address.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


# ---- writing ----------------------------------------------------------------------------------


def write(records: list[QuestionRecord]) -> ExportResult:
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
        fractions = [_number_text(option.get("weight", 0)) for option in options]
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
    answer = _answer(question, "100", _number_text(content["value"]), "moodle_auto_format")
    _sub(answer, "tolerance", _number_text(content["tolerance"]))
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
