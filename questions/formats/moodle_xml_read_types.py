"""Reading Moodle XML: one builder per Moodle question type the bank can hold.

Each builder gets the `Reader` of `moodle_xml_read` (for texts, fractions and issues), the
<question> element, its text format and its tags, and returns the content keys beside stem and
explanation. Whatever the bank cannot keep is reported, never dropped silently.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from lxml import etree

from contest.text import clean_line
from questions.formats.moodle_xml import FULL, number_text, raw_text, read_number, tidy, whole

if TYPE_CHECKING:
    from questions.formats.moodle_xml_read import Meta, Reader

_WILDCARD = re.compile(r"(?<!\\)\*")


def multichoice(reader: Reader, element: etree._Element, text_format: str, meta: Meta) -> dict:
    single_text = element.findtext("single")
    # Moodle's own rule: no <single> means single; "false", "0" or nothing means several.
    single = single_text is None or single_text.strip().lower() not in ("false", "0", "")
    pairs = reader.answers(element)
    options = _options(reader, pairs, text_format, single)
    if not single:
        return _multiple(options, [fraction for _answer, fraction in pairs], meta.all_or_nothing)
    for index, (answer, fraction) in enumerate(pairs):
        if fraction != 0 and fraction < FULL:
            reader.issue(
                answer,
                f"options.{index}",
                _(
                    "Answer %(number)d is worth %(fraction)s of 100: single-choice questions "
                    "have no partial credit in the bank, so it counts as wrong.",
                    number=index + 1,
                    fraction=number_text(fraction),
                ),
            )
    return {"type": "single", "options": options}


def multichoiceset(reader: Reader, element: etree._Element, text_format: str, meta: Meta) -> dict:
    """The all-or-nothing plugin: an answer with a positive fraction is a right one."""
    options = _options(reader, reader.answers(element), text_format, single=False)
    return {"type": "multiple", "options": options, "scoring": "all_or_nothing"}


def _options(
    reader: Reader, pairs: list[tuple[etree._Element, float]], text_format: str, single: bool
) -> list[dict]:
    options = []
    for answer, fraction in pairs:
        option: dict[str, Any] = {
            "text": reader.text(answer, text_format, plain=True),
            # One answer: only full marks is right. Several: any answer that adds marks.
            "correct": fraction >= FULL if single else fraction > 0,
        }
        feedback = reader.text(answer.find("feedback"), text_format)
        if feedback:
            option["feedback"] = feedback
        options.append(option)
    return options


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
            option["weight"] = tidy(fraction)
    return content


def truefalse(reader: Reader, element: etree._Element, text_format: str, meta: Meta) -> dict:
    answer_value = None
    for index, (answer, fraction) in enumerate(reader.answers(element)):
        text = (answer.findtext("text") or "").strip().lower()
        if text not in ("true", "false"):  # old files: true first, then false (as Moodle)
            text = "true" if index == 0 else "false"
        answer_value = (fraction >= FULL) == (text == "true")
    reader.feedback_lost(element)
    return {"type": "true_false", "answer": answer_value}


def shortanswer(reader: Reader, element: etree._Element, text_format: str, meta: Meta) -> dict:
    if (element.findtext("usecase") or "0").strip() not in ("0", "", "false"):
        reader.issue(
            element.find("usecase"),
            "accepted",
            _("Moodle compared these answers with their case; the bank always ignores case."),
        )
    accepted = []
    for answer, fraction in reader.answers(element):
        text = clean_line(raw_text(answer))
        if fraction >= FULL:
            if _WILDCARD.search(text):
                reader.issue(
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
            reader.issue(answer, "accepted", _partial_message(text, fraction))
    reader.feedback_lost(element)
    return {
        "type": "short_text",
        "accepted": accepted,
        "ignore_diacritics": meta.ignore_diacritics,
    }


def numerical(reader: Reader, element: etree._Element, text_format: str, meta: Meta) -> dict:
    content: dict[str, Any] = {"type": "numeric"}
    for answer, fraction in reader.answers(element):
        text = clean_line(raw_text(answer))
        if fraction < FULL:
            if fraction > 0:
                reader.issue(answer, "value", _partial_message(text, fraction))
        elif "value" in content:
            reader.issue(
                answer,
                "value",
                _(
                    "Only the first right number was kept; the bank holds one number with a "
                    "tolerance."
                ),
            )
        elif read_number(text) is None:
            reader.issue(
                answer,
                "value",
                _("The answer “%(answer)s” is not a number.", answer=text),
                warning=False,
            )
        else:
            content["value"] = tidy(read_number(text))
            tolerance = read_number(answer.findtext("tolerance") or "0")
            content["tolerance"] = tidy(abs(tolerance)) if tolerance is not None else 0
    units = element.findall("units/unit")
    main = [unit for unit in units if read_number(unit.findtext("multiplier") or "1") == 1]
    if main:
        content["unit"] = clean_line(main[0].findtext("unit_name") or "")
    others = [unit for unit in units if unit is not (main[0] if main else None)]
    if others:
        reader.issue(
            others[0],
            "unit",
            _("Only the main unit (multiplier 1) was kept; other units were left out."),
        )
    reader.feedback_lost(element)
    return content


def essay(reader: Reader, element: etree._Element, text_format: str, meta: Meta) -> dict:
    content: dict[str, Any] = {"type": "open"}
    guidance = reader.text(element.find("graderinfo"), text_format)
    if guidance:
        content["guidance"] = guidance
    if reader.text(element.find("responsetemplate"), text_format, plain=True):
        reader.issue(
            element.find("responsetemplate"),
            "guidance",
            _("The response template was left out: the bank has none."),
        )
    return content


def ordering(reader: Reader, element: etree._Element, text_format: str, meta: Meta) -> dict:
    pairs = reader.answers(element)
    fractions = [fraction for _answer, fraction in pairs]
    if len(set(fractions)) == len(fractions):  # Moodle numbers the items 1, 2, 3 …
        pairs = sorted(pairs, key=lambda pair: pair[1])
    items = [reader.text(answer, text_format, plain=True) for answer, _fraction in pairs]
    select = (element.findtext("selecttype") or "").strip().upper()
    count = whole(element.findtext("selectcount") or "0", (0, 1000)) or 0
    if select in ("RANDOM", "CONTIGUOUS", "1", "2") and 0 < count < len(items):
        reader.issue(
            element.find("selecttype"),
            "items",
            _(
                "Moodle showed only %(count)d of the items; the bank always shows them all.",
                count=count,
            ),
        )
    reader.feedback_lost(element)
    return {"type": "ordering", "items": items}


def _partial_message(answer: str, fraction: float) -> str:
    return _(
        "The answer “%(answer)s” is worth %(fraction)s of 100: the bank has no partial credit "
        "here, so it was left out.",
        answer=answer,
        fraction=number_text(fraction),
    )


# Moodle's qtype -> its builder; any other qtype is reported and left out.
BUILDERS = {
    "multichoice": multichoice,
    "multichoiceset": multichoiceset,
    "truefalse": truefalse,
    "shortanswer": shortanswer,
    "numerical": numerical,
    "essay": essay,
    "ordering": ordering,
}
