"""Question spreadsheets: a question record written as one row of cell values."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from flask_babel import gettext as _

from contest.text import clean_line
from questions import content as question_content
from questions.formats.base import QuestionRecord, Skipped, choice_letter
from questions.formats.spreadsheet_columns import (
    ALL_COLUMNS,
    BY_ID,
    COLUMNS,
    FEEDBACK_IDS,
    LEVEL_NAMES,
    MAX_CELL_CHARS,
    OPTION_IDS,
    SCORING_NAMES,
    TYPE_NAMES,
    Column,
)
from questions.formats.spreadsheet_values import (
    FALSE_WORD,
    NO_WORD,
    TRUE_WORD,
    YES_WORD,
    format_number,
    join_cell,
)

Value = str | int | float | None


def columns_for(records: Iterable[QuestionRecord]) -> tuple[Column, ...]:
    """The columns an export writes: the standard ones, plus feedback when some option has it."""
    has_feedback = any(
        isinstance(option, dict) and option.get("feedback")
        for record in records
        if isinstance(record.content, dict)
        for option in record.content.get("options") or []
    )
    return ALL_COLUMNS if has_feedback else COLUMNS


def table(
    records: Sequence[QuestionRecord],
) -> tuple[tuple[Column, ...], list[list[Value]], list[Skipped]]:
    """The header columns, one row of cell values per question, and the questions left out."""
    columns = columns_for(records)
    rows: list[list[Value]] = []
    skipped: list[Skipped] = []
    for index, record in enumerate(records):
        values, reason = row_values(record)
        if reason:
            stem = record.content.get("stem") if isinstance(record.content, dict) else ""
            skipped.append(Skipped(index, clean_line(stem)[:200], reason))
            continue
        rows.append([_storable(values.get(column.id)) for column in columns])
    return columns, rows, skipped


_NOT_CHARACTERS = re.compile(r"[\ud800-\udfff\ufffe\uffff]")


def _storable(value: Value) -> Value:
    # Lone surrogates and U+FFFE/U+FFFF are no characters: UTF-8 and XML cannot hold them.
    return _NOT_CHARACTERS.sub("", value) if isinstance(value, str) else value


def row_values(record: QuestionRecord) -> tuple[dict[str, Value], str | None]:
    """Cell values by column id, or the reason the question cannot be written."""
    try:
        content = question_content.normalised(record.content)
    except question_content.InvalidContent as invalid:
        return {}, question_content.describe(invalid.issues[0])
    kind = content["type"]
    themes = [name for name in map(clean_line, record.themes) if name]
    tags = [name for name in map(clean_line, record.tags) if name]
    values: dict[str, Value] = {
        "key": clean_line(record.key or record.title) or None,
        "type": TYPE_NAMES[kind],
        "stem": content["stem"],
        "explanation": content["explanation"] or None,
        "themes": join_cell(themes) or None,
        "tags": join_cell(tags) or None,
        "level": LEVEL_NAMES.get(record.level or ""),
        "points": record.points,
        "time": record.time_limit_s,
        "source_document": clean_line(record.source_document) or None,
        "source_section": clean_line(record.source_section) or None,
        "source_url": clean_line(record.source_url) or None,
    }
    CONTENT_WRITERS[kind](content, values)
    if any(";" in name for name in themes + tags):
        return {}, _("A theme or tag contains “;”, which separates them in a cell.")
    for value in values.values():
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            return {}, _(
                "A cell would hold %(count)d characters; at most %(max)d fit in a cell.",
                count=len(value),
                max=MAX_CELL_CHARS,
            )
    if kind == "short_text" and any("|" in text for text in content["accepted"]):
        return {}, _(
            "An accepted answer contains “|”, which separates the answers in the column "
            "“%(column)s”.",
            column=BY_ID["correct"].header,
        )
    return values, None


def _write_choices(content: dict, values: dict[str, Value]) -> None:
    options = content["options"]
    for index, option in enumerate(options):
        values[OPTION_IDS[index]] = option["text"]
        values[FEEDBACK_IDS[index]] = option.get("feedback")
    values["correct"] = ", ".join(
        choice_letter(index) for index, option in enumerate(options) if option["correct"]
    )
    if content["type"] == "multiple":
        values["scoring"] = SCORING_NAMES[content["scoring"]]
        if any("weight" in option for option in options):
            values["weights"] = "; ".join(
                format_number(option["weight"]) if "weight" in option else "" for option in options
            )


def _write_true_false(content: dict, values: dict[str, Value]) -> None:
    values["correct"] = TRUE_WORD if content["answer"] else FALSE_WORD


def _write_short_text(content: dict, values: dict[str, Value]) -> None:
    values["correct"] = " | ".join(content["accepted"])
    values["ignore_diacritics"] = YES_WORD if content["ignore_diacritics"] else NO_WORD


def _write_numeric(content: dict, values: dict[str, Value]) -> None:
    values["correct"] = content["value"]
    values["tolerance"] = content["tolerance"] or None
    values["unit"] = content.get("unit")


def _write_ordering(content: dict, values: dict[str, Value]) -> None:
    for index, item in enumerate(content["items"]):
        values[OPTION_IDS[index]] = item


def _write_open(content: dict, values: dict[str, Value]) -> None:
    values["guidance"] = content.get("guidance")


CONTENT_WRITERS: dict[str, Callable[[dict, dict[str, Value]], None]] = {
    "single": _write_choices,
    "multiple": _write_choices,
    "true_false": _write_true_false,
    "short_text": _write_short_text,
    "numeric": _write_numeric,
    "ordering": _write_ordering,
    "open": _write_open,
}
