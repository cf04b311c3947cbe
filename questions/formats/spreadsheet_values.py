"""Question spreadsheets: what a cell's value says — the text a person sees, a number, yes or
no, a list of names. Shared by reading and writing, so both agree on "99,7" and "Đúng"."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from contest.text import clean_line, fold
from questions.checking import parse_number
from questions.formats.base import letter_index

# The words an export writes for true/false and yes/no; readers accept any of the folded words
# below, and an Excel TRUE/FALSE cell.
TRUE_WORD, FALSE_WORD, YES_WORD, NO_WORD = "Đúng", "Sai", "Có", "Không"
_TRUE = {"dung", "d", "co", "true", "t", "yes", "y", "x", "1"}
_FALSE = {"sai", "s", "khong", "false", "f", "no", "n", "0"}
BOOL_WORDS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


@dataclass(frozen=True)
class Unreadable:
    """A cell the file gives no value for: `reason` is "formula" (never calculated), "error"
    (#REF! and the like) or "merged" (merged over several columns, `detail` its range)."""

    reason: str
    detail: str = ""
    value: Any = None  # what the cell shows: the top-left value of a merge


def cell_text(value: Any) -> str:
    """A cell as the text a person sees in it (Vietnamese conventions for numbers and dates)."""
    if type(value) is str:  # most cells: checked first, as an import asks about each cell
        return value
    if isinstance(value, Unreadable):
        return cell_text(value.value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE_WORD if value else FALSE_WORD
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, datetime):
        shown = f"{value.day}/{value.month}/{value.year}"
        if value.time() != time(0):
            shown += " " + _clock(value.time())
        return shown
    if isinstance(value, date):
        # Excel turns "15/5/2016" typed in a General cell into a date: give back what was typed.
        return f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, time):
        return _clock(value)
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _clock(moment: time) -> str:
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def format_number(number: int | float) -> str:
    """99.7 -> '99,7'; 2594 -> '2594': a decimal comma and no grouping, so reading it back
    (Vietnamese reading first) gives the same number."""
    if isinstance(number, float):
        if not math.isfinite(number):
            return str(number)
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number).replace(".", ",")
    return str(number)


_EXPONENT = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?[eE][-+]?[0-9]+")


def read_number(value: Any) -> int | float | None:
    """A number from a cell: a number cell, or text such as '99,7', '2.594' (= 2594), '1,5e-05'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = value
    else:
        text = cell_text(value).strip()
        if _EXPONENT.fullmatch(text):
            number = float(text.replace(",", "."))
        else:
            readings = parse_number(text)
            if not readings:
                return None
            number = readings[0]  # the Vietnamese reading, as the answer checker does
    if not math.isfinite(number):
        return None
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def read_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = fold(cell_text(value))
    return True if word in _TRUE else False if word in _FALSE else None


def split_cell(text: str) -> list[str]:
    """Themes or tags from one cell: 'a; b', or 'a, b' when the cell has no semicolon.

    Names such as "hạn chế, nguyên nhân" hold a comma, so a cell with a semicolon is split on
    semicolons only; an export ends a single such name with ";" to keep it whole.
    """
    text = text.replace("\n", ";")
    parts = text.split(";") if ";" in text else text.split(",")
    return [part for part in (clean_line(part) for part in parts) if part]


def join_cell(names: Sequence[str]) -> str:
    text = "; ".join(names)
    return text + ";" if len(names) == 1 and "," in text else text


def option_letters(text: str) -> list[int] | None:
    """'A, C' / 'A;C' / 'a c' / 'AC' -> [0, 2]; None if anything else is written."""
    found: list[int] = []
    for token in re.split(r"[\s,;/&+]+", text.strip()):
        for letter in token:
            index = letter_index(letter)
            if index is None:
                return None
            if index not in found:
                found.append(index)
    return found
