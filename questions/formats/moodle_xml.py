"""Moodle XML: the file Moodle's question bank imports and exports, read and written.

Reading keeps the Moodle question types the bank can hold — multichoice (one or several answers),
truefalse, shortanswer, numerical, essay, ordering, and the all-or-nothing `multichoiceset`
plugin — and reports every other type (matching, cloze, drag and drop, calculated,
description, …) at its line. HTML in a Moodle text is sanitised with nh3 and turned into the
bank's Markdown (`html_text`), so nothing active from a file ever reaches the bank.

Writing gives a file Moodle imports as it is: texts in Moodle's `markdown` format, fractions from
Moodle's list of grades, a category question before each run of questions in one theme. What
Moodle has no field for travels in two places Moodle does not mind:

- tags `hoithi-level:…`, `hoithi-time:…`, `hoithi-scoring:all_or_nothing` and
  `hoithi-ignore-diacritics`: Moodle keeps tags, so these survive a trip through Moodle;
- a comment `<!-- hoithi: {…} -->` in each question with its themes, categories, source (and an
  empty title): only a copy kept outside Moodle keeps it.

This module holds the contract and what the reader (`moodle_xml_read`, with one builder per
Moodle type in `moodle_xml_read_types`) and the writer (`moodle_xml_write`) share: the names of
HoiThi's tags and comment, and how Moodle spells texts and numbers. docs/formats.md describes the
mapping for people.
"""

from __future__ import annotations

import math
import re

from flask_babel import lazy_gettext as _l
from lxml import etree

from questions.formats.base import ExportResult, ParseResult, QuestionRecord

NAME = "moodle_xml"
EXTENSIONS = (".xml",)
LABEL = _l("Moodle XML")

TAG_PREFIX = "hoithi-"
COMMENT_PREFIX = "hoithi:"
FULL = 100 - 1e-3  # a fraction this close to 100 is full marks (Moodle writes 99.99999 too)

# The bank's type -> Moodle's qtype; the reader also takes the all-or-nothing `multichoiceset`.
MOODLE_TYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true_false": "truefalse",
    "short_text": "shortanswer",
    "numeric": "numerical",
    "ordering": "ordering",
    "open": "essay",
}


def sniff(data: bytes) -> bool:
    """A Moodle XML file has a <quiz> element near its start."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("utf-8", "ignore")
    return re.search(r"<quiz[\s>/]", text) is not None


# The reader and writer import the vocabulary below, so they are imported when first used.


def read(data: bytes) -> ParseResult:
    """Each question Moodle's file holds as a record; other question types as issues."""
    from questions.formats.moodle_xml_read import read_quiz

    return read_quiz(data)


def write(records: list[QuestionRecord]) -> ExportResult:
    """A Moodle XML file: a category question before each run of one theme or category path."""
    from questions.formats.moodle_xml_write import write_quiz

    return write_quiz(records)


# ---- how Moodle spells texts and numbers ------------------------------------------------------


def raw_text(holder: etree._Element | None) -> str:
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


def read_number(text: str) -> int | float | None:
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


def tidy(value: int | float) -> int | float:
    """10.0 -> 10: Moodle writes '10.0000000' where the bank means 10."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def whole(text: str, limits: tuple[int, int]) -> int | None:
    value = read_number(text)
    if value is None or float(value) != int(value) or not limits[0] <= value <= limits[1]:
        return None
    return int(value)


def number_text(value: int | float) -> str:
    """A number as Moodle and people write it: 50, 33.33333, 2594, 99.7."""
    value = tidy(value)
    if isinstance(value, int):
        return str(value)
    return repr(value)
