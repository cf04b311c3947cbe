"""A question's content dictionary: what makes it valid, and the one canonical form stored.

The format is described in docs/question-content.md. `validate` lists every problem at once, so an
editor or an import can show them all; `normalised` is what a version stores. Pure: no Flask app is
needed except to translate a message in `describe`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contest.text import clean_line

TYPES = ("single", "multiple", "true_false", "short_text", "numeric", "ordering", "open")
SCORINGS = ("all_or_nothing", "partial")
MIN_OPTIONS, MAX_OPTIONS = 2, 8
MIN_ITEMS, MAX_ITEMS = 2, 8
MAX_WEIGHT = 100


@dataclass(frozen=True)
class ContentIssue:
    """One problem: `field` is a path into the content ("options.2.text", 0-based like JSON)."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class InvalidContent(ValueError):
    """`normalised` was given content that does not validate."""

    def __init__(self, issues: list[ContentIssue]):
        super().__init__(", ".join(f"{issue.field}: {issue.code}" for issue in issues))
        self.issues = issues


def is_number(value: Any) -> bool:
    # bool is an int in Python, but `true` is never meant as 1 in a JSON question.
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float (10**400) is no usable number either
        return False


def _blank(value: Any) -> bool:
    return not clean_line(value)


# ---- validation -------------------------------------------------------------------------------


def validate(content: Any) -> list[ContentIssue]:
    """Every problem with `content`, in reading order; an empty list means it can be stored."""
    if not isinstance(content, dict):
        return [ContentIssue("", "not_an_object")]
    issues: list[ContentIssue] = []
    kind = content.get("type")
    if kind not in TYPES:
        issues.append(ContentIssue("type", "unknown_type", {"type": str(kind or "")}))
    stem = content.get("stem")
    if stem is not None and not isinstance(stem, str):
        issues.append(ContentIssue("stem", "not_text", {"field": "stem"}))
    elif _blank(stem):
        issues.append(ContentIssue("stem", "empty_stem"))
    issues += _optional_texts(content, ("explanation",))
    checks = {
        "single": _choices,
        "multiple": _choices,
        "true_false": _true_false,
        "short_text": _short_text,
        "numeric": _numeric,
        "ordering": _ordering,
        "open": lambda c: _optional_texts(c, ("guidance",)),
    }
    if kind in checks:
        issues += checks[kind](content)
    return issues


def _optional_texts(content: dict, keys: tuple[str, ...], prefix: str = "") -> list[ContentIssue]:
    return [
        ContentIssue(prefix + key, "not_text", {"field": key})
        for key in keys
        if content.get(key) is not None and not isinstance(content[key], str)
    ]


def _optional_bool(content: dict, key: str, prefix: str = "") -> list[ContentIssue]:
    if key in content and not isinstance(content[key], bool):
        return [ContentIssue(prefix + key, "not_a_bool", {"field": key})]
    return []


_SKIP = object()  # an entry already reported as malformed


def _count(path: str, values: list, low: int, high: int, few: str, many: str) -> list:
    if len(values) < low:
        return [ContentIssue(path, few, {"min": low, "count": len(values)})]
    if len(values) > high:
        return [ContentIssue(path, many, {"max": high, "count": len(values)})]
    return []


def _text_list(
    values: list, path: str, empty: str, duplicate: str | None = None, suffix: str = ""
) -> list[ContentIssue]:
    """Each entry must be non-blank text; with `duplicate`, distinct ignoring case and spaces."""
    issues = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        where = f"{path}.{index}{suffix}"
        if value is _SKIP:
            continue
        if value is not None and not isinstance(value, str):
            issues.append(ContentIssue(where, "not_text", {"field": suffix[1:] or path}))
        elif _blank(value):
            issues.append(ContentIssue(where, empty))
        elif duplicate:
            key = clean_line(value).casefold()
            if key in seen:
                issues.append(ContentIssue(where, duplicate, {"first": seen[key] + 1}))
            else:
                seen[key] = index
    return issues


def _choices(content: dict) -> list[ContentIssue]:
    options = content.get("options", [])
    if not isinstance(options, list):
        return [ContentIssue("options", "not_a_list", {"field": "options"})]
    issues = _count(
        "options", options, MIN_OPTIONS, MAX_OPTIONS, "too_few_options", "too_many_options"
    )
    texts, correct, weights = [], 0, []
    for index, option in enumerate(options):
        where = f"options.{index}."
        if not isinstance(option, dict):
            issues.append(ContentIssue(f"options.{index}", "bad_option"))
            texts.append(_SKIP)
            continue
        texts.append(option.get("text"))
        issues += _optional_bool(option, "correct", where)
        issues += _optional_texts(option, ("feedback",), where)
        correct += option.get("correct") is True
        if "weight" in option and content["type"] == "multiple":
            weight = option["weight"]
            if is_number(weight) and -MAX_WEIGHT <= weight <= MAX_WEIGHT:
                weights.append(weight)
            else:
                issues.append(ContentIssue(where + "weight", "bad_weight", {"max": MAX_WEIGHT}))
    issues += _text_list(texts, "options", "empty", "duplicate_option", ".text")
    if correct == 0:
        issues.append(ContentIssue("options", "no_correct_option"))
    elif content["type"] == "single" and correct > 1:
        issues.append(ContentIssue("options", "several_correct", {"count": correct}))
    if content["type"] == "multiple":
        scoring = content.get("scoring", "all_or_nothing")
        best = sum(weight for weight in weights if weight > 0)
        if scoring not in SCORINGS:
            issues.append(ContentIssue("scoring", "bad_scoring", {"scoring": str(scoring)}))
        elif scoring == "partial" and weights and best < MAX_WEIGHT:
            # Nobody could score full marks: almost certainly a typing slip.
            issues.append(ContentIssue("options", "weights_below_full", {"total": best}))
    return issues


def _true_false(content: dict) -> list[ContentIssue]:
    if not isinstance(content.get("answer"), bool):
        return [ContentIssue("answer", "bad_answer")]
    return []


def _short_text(content: dict) -> list[ContentIssue]:
    accepted = content.get("accepted", [])
    if not isinstance(accepted, list):
        issues = [ContentIssue("accepted", "not_a_list", {"field": "accepted"})]
    elif not accepted:
        issues = [ContentIssue("accepted", "no_accepted_answer")]
    else:
        issues = _text_list(accepted, "accepted", "empty_accepted_answer")
    return issues + _optional_bool(content, "ignore_diacritics")


def _numeric(content: dict) -> list[ContentIssue]:
    issues = []
    if not is_number(content.get("value")):
        issues.append(ContentIssue("value", "not_a_number", {"field": "value"}))
    tolerance = content.get("tolerance", 0)
    if not is_number(tolerance):
        issues.append(ContentIssue("tolerance", "not_a_number", {"field": "tolerance"}))
    elif tolerance < 0:
        issues.append(ContentIssue("tolerance", "negative_tolerance"))
    return issues + _optional_texts(content, ("unit",))


def _ordering(content: dict) -> list[ContentIssue]:
    items = content.get("items", [])
    if not isinstance(items, list):
        return [ContentIssue("items", "not_a_list", {"field": "items"})]
    issues = _count("items", items, MIN_ITEMS, MAX_ITEMS, "ordering_too_few", "ordering_too_many")
    return issues + _text_list(items, "items", "empty", "duplicate_item")


# ---- the stored form --------------------------------------------------------------------------


# Every control character (Cc: a fixed set) but tab and newline ("\r" is gone by then). A search
# first: most texts hold none, and finding none is much cheaper than rewriting the text.
_CONTROLS_BUT_TAB_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_block(value: Any) -> str:
    """Multi-line Markdown as stored: NFC, Unix line breaks, no control characters, stripped.

    Line breaks and inner spaces mean something in Markdown, so unlike clean_line they stay.
    Control characters go because PostgreSQL refuses NUL in text and the rest are invisible.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROLS_BUT_TAB_NEWLINE.search(text):
        text = _CONTROLS_BUT_TAB_NEWLINE.sub("", text)
    return text.strip()


def normalised(content: dict, *, validated: bool = False) -> dict:
    """The canonical content a version stores; raises InvalidContent if `content` has issues.

    Keys come in a fixed order; keys the type does not use are dropped; defaults are written out;
    optional texts (feedback, unit, guidance) are left out when empty. `validated`: the caller
    has just run `validate` and found nothing (an import's preview), so it is not run twice.
    """
    issues = [] if validated else validate(content)
    if issues:
        raise InvalidContent(issues)
    kind = content["type"]
    result: dict[str, Any] = {
        "type": kind,
        "stem": clean_block(content["stem"]),
        "explanation": clean_block(content.get("explanation")),
    }
    if kind in ("single", "multiple"):
        result["options"] = [_option(option, kind) for option in content["options"]]
        if kind == "multiple":
            result["scoring"] = content.get("scoring", "all_or_nothing")
    elif kind == "true_false":
        result["answer"] = content["answer"]
    elif kind == "short_text":
        result["accepted"] = [clean_line(text) for text in content["accepted"]]
        result["ignore_diacritics"] = content.get("ignore_diacritics", False)
    elif kind == "numeric":
        result["value"] = content["value"]
        result["tolerance"] = content.get("tolerance", 0)
        if unit := clean_line(content.get("unit")):
            result["unit"] = unit
    elif kind == "ordering":
        result["items"] = [clean_line(item) for item in content["items"]]
    elif guidance := clean_block(content.get("guidance")):
        result["guidance"] = guidance
    return result


def _option(option: dict, kind: str) -> dict:
    result: dict[str, Any] = {
        "text": clean_line(option["text"]),
        "correct": option.get("correct", False),
    }
    if feedback := clean_block(option.get("feedback")):
        result["feedback"] = feedback
    # Weights only mean something to `multiple`; kept under all_or_nothing so that switching
    # the scoring back to partial does not lose them.
    if kind == "multiple" and "weight" in option:
        result["weight"] = option["weight"]
    return result


# ---- messages ---------------------------------------------------------------------------------

ISSUE_MESSAGES = {
    "not_an_object": _l("The question must be a JSON object with a “type”."),
    "unknown_type": _l(
        "Unknown question type “%(type)s”: use single, multiple, true_false, short_text, "
        "numeric, ordering or open."
    ),
    "empty_stem": _l("The question text is empty."),
    "not_text": _l("“%(field)s” must be text."),
    "not_a_list": _l("“%(field)s” must be a list."),
    "not_a_bool": _l("“%(field)s” must be true or false."),
    "bad_option": _l("An option must be an object with a “text”."),
    "too_few_options": _l("At least %(min)d options are needed; there are %(count)d."),
    "too_many_options": _l("At most %(max)d options are allowed; there are %(count)d."),
    "empty": _l("The text is empty."),
    "duplicate_option": _l("The same text as option %(first)d."),
    "no_correct_option": _l("No option is marked correct."),
    "several_correct": _l("Exactly one option must be correct; %(count)d are marked correct."),
    "bad_weight": _l("The weight must be a number from -%(max)d to %(max)d."),
    "weights_below_full": _l(
        "The positive weights add up to %(total)s, less than 100: nobody could score full marks."
    ),
    "bad_scoring": _l("Scoring must be “all_or_nothing” or “partial”, not “%(scoring)s”."),
    "bad_answer": _l("The answer must be true or false."),
    "no_accepted_answer": _l("There is no accepted answer."),
    "empty_accepted_answer": _l("The accepted answer is empty."),
    "not_a_number": _l("“%(field)s” must be a number (such as 99.7), not text."),
    "negative_tolerance": _l("The tolerance cannot be negative."),
    "ordering_too_few": _l("At least %(min)d items are needed; there are %(count)d."),
    "ordering_too_many": _l("At most %(max)d items are allowed; there are %(count)d."),
    "duplicate_item": _l("The same text as item %(first)d."),
}

# Where an issue sits, for issues about one entry of a list: "Option 3: The text is empty."
_PLACES = {
    "options": _l("Option %(number)d"),
    "accepted": _l("Accepted answer %(number)d"),
    "items": _l("Item %(number)d"),
}


def describe(issue: ContentIssue) -> str:
    """The issue as a sentence in the reader's language, naming the option or item it is about."""
    template = ISSUE_MESSAGES.get(issue.code)
    if template is None:
        return issue.code
    try:
        text = str(template) % issue.params if "%(" in str(template) else str(template)
    except (KeyError, TypeError, ValueError):  # an issue built without its params
        text = str(template)
    parts = issue.field.split(".")
    if len(parts) >= 2 and parts[0] in _PLACES and parts[1].isdigit():
        place = str(_PLACES[parts[0]]) % {"number": int(parts[1]) + 1}
        return _("%(place)s: %(message)s", place=place, message=text)
    return text
