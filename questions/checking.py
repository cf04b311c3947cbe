"""Answer checking: how much of a question's points a response earns. Pure: plain values in and out.

The rules are those of docs/question-content.md. A response that is not of the expected shape
(wrong type, an index out of range, a repeated index, None) earns 0.0 and never raises: it came
from a browser, and a bad one must cost its sender, not crash the round.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from contest.text import clean_line, fold

# |reading - value| <= tolerance + EPSILON: 0.1 + 0.2 must count as 0.3.
EPSILON = 1e-9
MAX_NUMBER_LENGTH = 64  # longer input is not a number anybody typed


# ---- numbers ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?P<sign>[-+]?)\s*(?P<body>[0-9][0-9., ]*|[.,][0-9]+)\s*%?")
_DIGITS = re.compile(r"[0-9]*")
_FRACTION = re.compile(r"[0-9]+")
# Readings to try, Vietnamese first: (thousands separator, decimal separator).
_READINGS = ((".", ","), (" ", ","), (",", "."), (" ", "."))


def _grouped(whole: str, separator: str) -> bool:
    """'1.200.000' with '.': groups of three after a first group of one to three, no lead zero."""
    groups = whole.split(separator)
    return (
        1 <= len(groups[0]) <= 3
        and groups[0].isdigit()
        and not groups[0].startswith("0")
        and all(len(group) == 3 and group.isdigit() for group in groups[1:])
    )


def _read(body: str, thousands: str, decimal: str) -> float | None:
    if any(ch in body for ch in "., " if ch not in (thousands, decimal)):
        return None
    whole, _, fraction = body.partition(decimal)
    if decimal in body and not _FRACTION.fullmatch(fraction):
        return None
    if thousands in whole:
        if not _grouped(whole, thousands):
            return None
        whole = whole.replace(thousands, "")
    elif not _DIGITS.fullmatch(whole) or not (whole or fraction):
        return None
    number = float(f"{whole or 0}.{fraction or 0}")
    return number if math.isfinite(number) else None


def parse_number(text: Any) -> list[float]:
    """Every reading of a typed number, the Vietnamese one first; [] if it is not a number.

    '99,7' -> [99.7]; '2.594' -> [2594.0, 2.594]; '1.234,5' -> [1234.5]; ' 7 171 ' -> [7171.0];
    '99,7%' -> [99.7]; '1..2' -> []. Dots, commas and spaces may group thousands (in threes)
    or mark decimals; when both fit, as in '2.594' or '1,234', both readings are returned.
    """
    if not isinstance(text, str) or len(text) > MAX_NUMBER_LENGTH:
        return []
    # NFKC turns full-width digits and no-break spaces into plain ones.
    text = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    text = " ".join(text.split())
    match = _NUMBER.fullmatch(text)
    if not match:
        return []
    body = match["body"].strip()
    negative = match["sign"] == "-"
    readings: list[float] = []
    for thousands, decimal in _READINGS:
        number = _read(body, thousands, decimal)
        if number is not None:
            number = -number if negative else number
            if number not in readings:
                readings.append(number)
    return readings


# ---- text -------------------------------------------------------------------------------------

_QUOTES = "\"'`“”‘’«»„‟‹›"
_END_PUNCTUATION = ".!?…"
# Vietnamese tones. Old and new spelling put the mark on different vowels ("hoà" / "hòa",
# "thuý" / "thúy"): the same word, so comparison moves each word's tone to its end.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _bare(text: str) -> str:
    """NFC, single spaces, no surrounding quotes, no closing full stop, ! or ?."""
    text = clean_line(text)
    previous = None
    while text != previous:
        previous = text
        text = text.strip(_QUOTES).rstrip(_END_PUNCTUATION).strip()
    return text


def _tone_last(word: str) -> str:
    letters = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in letters if ch in _TONES)
    return unicodedata.normalize("NFC", "".join(ch for ch in letters if ch not in _TONES)) + tones


def _key(text: str, ignore_diacritics: bool) -> str:
    text = _bare(text)
    if ignore_diacritics:
        return fold(text)
    text = unicodedata.normalize("NFC", text.casefold())
    return " ".join(_tone_last(word) for word in text.split())


def same_text(expected: str, given: Any, ignore_diacritics: bool = False) -> bool:
    """Whether a typed answer says the accepted one, forgiving what a keyboard or habit changes.

    Case, spacing, NFD input, surrounding quotes, a closing '.', '!' or '?' and the tone mark's
    position (hoà = hòa) never matter; with `ignore_diacritics` neither do diacritics nor đ/Đ.
    A blank answer never matches.
    """
    if not isinstance(expected, str) or not isinstance(given, str):
        return False
    key = _key(given, ignore_diacritics)
    return bool(key) and key == _key(expected, ignore_diacritics)


# ---- checking ---------------------------------------------------------------------------------


def _indices(response: Any, count: int) -> list[int] | None:
    """The response as distinct option/item indices in range, or None if it is anything else."""
    if not isinstance(response, list | tuple):
        return None
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in response):
        return None
    if len(set(response)) != len(response) or not all(0 <= i < count for i in response):
        return None
    return list(response)


def _single(content: dict, response: Any) -> float:
    options = content["options"]
    if isinstance(response, bool) or not isinstance(response, int):
        return 0.0
    if not 0 <= response < len(options):
        return 0.0
    return 1.0 if options[response].get("correct") is True else 0.0


def _multiple(content: dict, response: Any) -> float:
    options = content["options"]
    chosen = _indices(response, len(options))
    if chosen is None:
        return 0.0
    correct = {i for i, option in enumerate(options) if option.get("correct") is True}
    if content.get("scoring", "all_or_nothing") != "partial":
        return 1.0 if set(chosen) == correct else 0.0
    if any("weight" in option for option in options):
        # An option without a weight is worth nothing either way.
        score = sum(options[i].get("weight", 0) for i in chosen) / 100
    else:
        right = sum(1 for i in chosen if i in correct)
        score = (right - (len(chosen) - right)) / max(len(correct), 1)
    return round(min(1.0, max(0.0, score)), 9)


def _true_false(content: dict, response: Any) -> float:
    return 1.0 if isinstance(response, bool) and response is content["answer"] else 0.0


def _short_text(content: dict, response: Any) -> float:
    ignore = content.get("ignore_diacritics", False) is True
    return 1.0 if any(same_text(text, response, ignore) for text in content["accepted"]) else 0.0


def _numeric(content: dict, response: Any) -> float:
    if isinstance(response, int | float) and not isinstance(response, bool):
        try:
            readings = [float(response)]
        except OverflowError:  # an int too large for a float
            readings = []
    else:
        readings = parse_number(response)
        unit = fold(content.get("unit"))
        if not readings and unit and isinstance(response, str):
            # "7.171 đảng viên" when the box already says "đảng viên" after it.
            typed = fold(response)
            if typed.endswith(unit):
                readings = parse_number(typed[: -len(unit)])
    value, tolerance = content["value"], content.get("tolerance", 0)
    return 1.0 if any(abs(x - value) <= tolerance + EPSILON for x in readings) else 0.0


def _ordering(content: dict, response: Any) -> float:
    # Items are stored in the right order, so the right response is 0, 1, 2, …
    order = _indices(response, len(content["items"]))
    if order is None or len(order) != len(content["items"]):
        return 0.0
    return 1.0 if order == list(range(len(order))) else 0.0


_CHECKS: dict[str, Callable[[dict, Any], float]] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "short_text": _short_text,
    "numeric": _numeric,
    "ordering": _ordering,
}


def check(content: dict, response: Any) -> float | None:
    """The fraction (0..1) of the question's points `response` earns; None for `open`.

    `content` is valid content (see questions.content); an unknown type raises ValueError.
    """
    kind = content.get("type")
    if kind == "open":
        return None
    if kind not in _CHECKS:
        raise ValueError(f"unknown question type {kind!r}")
    return _CHECKS[kind](content, response)
