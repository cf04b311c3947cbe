"""Question spreadsheets: what each question type reads from its row — the options, the answer
column, weights, tolerance, guidance. `spreadsheet_rows.Row` calls these by type
(`CONTENT_READERS`) after the columns every question has."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from contest.text import clean_line
from questions.formats.spreadsheet_columns import FEEDBACK_IDS, SCORING_ALIASES, SCORING_NAMES
from questions.formats.spreadsheet_values import (
    BOOL_WORDS,
    FALSE_WORD,
    NO_WORD,
    TRUE_WORD,
    YES_WORD,
    cell_text,
    read_bool,
)

if TYPE_CHECKING:
    from questions.formats.spreadsheet_rows import Row


def _read_choices(row: Row, content: dict) -> None:
    texts = row.options()
    correct = set(row.letters(len(texts))) if "correct" in row.values else set()
    options: list[dict[str, Any]] = [
        {"text": text, "correct": index in correct} for index, text in enumerate(texts)
    ]
    for index, column in enumerate(FEEDBACK_IDS):
        if column not in row.values:
            continue
        if index >= len(options) or not options[index]["text"]:
            row.problem(
                column,
                _(
                    "Column “%(column)s” gives feedback for an empty option.",
                    column=row.title(column),
                ),
            )
        else:
            options[index]["feedback"] = row.block(column)
    if content["type"] == "multiple":
        if "scoring" in row.values:
            content["scoring"] = row.choice(
                "scoring", SCORING_ALIASES, tuple(SCORING_NAMES.values())
            )
        if "weights" in row.values:
            _read_weights(row, options)
    content["options"] = options


def _read_weights(row: Row, options: list[dict]) -> None:
    # Separated by ";" only: the comma is the decimal mark ("33,5; 66,5").
    parts = [part.strip() for part in cell_text(row.values["weights"]).split(";")]
    if len(parts) == len(options) + 1 and not parts[-1]:
        parts.pop()  # a closing ";"
    if len(parts) != len(options):
        row.problem(
            "weights",
            _(
                "Column “%(column)s”: %(count)d weights for %(options)d options; give one per "
                "option, separated by “;” (leave one empty for no weight).",
                column=row.title("weights"),
                count=len(parts),
                options=len(options),
            ),
        )
        return
    for option, part in zip(options, parts, strict=True):
        if part:
            weight = row.numeric("weights", part)
            if weight is not None:
                option["weight"] = weight


def _read_true_false(row: Row, content: dict) -> None:
    answer = read_bool(row.values.get("correct"))
    if answer is None:
        row.problem(
            "correct",
            _(
                "Column “%(column)s”: write “%(first)s” or “%(second)s”, not “%(value)s”.",
                column=row.title("correct"),
                first=TRUE_WORD,
                second=FALSE_WORD,
                value=row.line("correct"),
            ),
        )
    content["answer"] = answer


def _read_short_text(row: Row, content: dict) -> None:
    # Accepted answers: "Đáp án đúng" split on "|" (or line breaks), then any option columns.
    written = cell_text(row.values.get("correct")).replace("\n", "|").split("|")
    accepted = [clean_line(text) for text in written] + row.options(report=False)
    content["accepted"] = [text for text in accepted if text]
    if "ignore_diacritics" in row.values:
        content["ignore_diacritics"] = row.choice(
            "ignore_diacritics", BOOL_WORDS, (YES_WORD, NO_WORD)
        )


_PLUS_MINUS = re.compile(r"±|\+/-|\+-")


def _read_numeric(row: Row, content: dict) -> None:
    value = row.values.get("correct")
    tolerance = None
    if value is None:
        row.problem(
            "correct",
            _("Column “%(column)s” is empty: write the number.", column=row.title("correct")),
        )
        return
    if isinstance(value, str) and _PLUS_MINUS.search(value):
        value, tolerance = _PLUS_MINUS.split(value, maxsplit=1)
        tolerance = row.numeric("correct", tolerance)
    content["value"] = row.numeric("correct", value)
    if "tolerance" in row.values:
        if tolerance is not None:
            row.problem(
                "tolerance",
                _(
                    "The tolerance is given twice: in “%(column)s” after ± and in “%(other)s”. "
                    "Keep one.",
                    column=row.title("correct"),
                    other=row.title("tolerance"),
                ),
            )
        tolerance = row.numeric("tolerance", row.values["tolerance"])
    if tolerance is not None:
        content["tolerance"] = tolerance
    if unit := row.line("unit"):
        content["unit"] = unit


def _read_ordering(row: Row, content: dict) -> None:
    content["items"] = row.options()


def _read_open(row: Row, content: dict) -> None:
    # A model answer typed in "Đáp án đúng" is guidance for the scorers too.
    parts = [row.block("guidance"), row.block("correct")]
    if guidance := "\n\n".join(part for part in parts if part):
        content["guidance"] = guidance


CONTENT_READERS: dict[str, Callable[[Row, dict], None]] = {
    "single": _read_choices,
    "multiple": _read_choices,
    "true_false": _read_true_false,
    "short_text": _read_short_text,
    "numeric": _read_numeric,
    "ordering": _read_ordering,
    "open": _read_open,
}
