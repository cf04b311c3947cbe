"""Question spreadsheets: reading rows of cell values into question records and issues."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from contest.text import clean_line, fold
from questions import content as question_content
from questions.formats.base import (
    FormatError,
    ImportIssue,
    ParseResult,
    QuestionRecord,
    parse_level,
    parse_type,
)
from questions.formats.spreadsheet_columns import (
    BY_ID,
    COMMON_IDS,
    HEADER_SEARCH_ROWS,
    LETTERS,
    LEVEL_NAMES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    OPTION_IDS,
    POINTS_RANGE,
    TIME_RANGE,
    TYPE_COLUMNS,
    TYPE_NAMES,
    Header,
    find_header,
)
from questions.formats.spreadsheet_content import CONTENT_READERS
from questions.formats.spreadsheet_values import (
    Unreadable,
    cell_text,
    option_letters,
    read_bool,
    read_number,
    split_cell,
)


def read_table(rows: Sequence[tuple[int, Sequence[Any]]], format_name: str) -> ParseResult:
    """Rows of cell values (numbered as the spreadsheet numbers them) -> records and issues."""
    if not any(_filled(cell) for _number, cells in rows for cell in cells):
        raise FormatError(_("The file is empty."))
    header = find_header(rows)
    if header is None:
        raise FormatError(
            _(
                "No header row found: one of the first %(rows)d rows must name the column "
                "“%(column)s”. Download the template to see all the column names.",
                rows=HEADER_SEARCH_ROWS,
                column=BY_ID["stem"].header,
            )
        )
    result = ParseResult(format_name, position="row")
    count = 0
    for number, cells in rows:
        if number <= header.row:
            continue
        row = Row(number, cells, header)
        if not row.filled():
            continue  # empty rows, or rows with only an extra column such as STT
        count += 1
        if count > MAX_ROWS:
            raise FormatError(
                _(
                    "The file has more than %(max)d questions: split it into smaller files.",
                    max=MAX_ROWS,
                )
            )
        record = row.record()
        result.issues += row.issues
        if record is not None:
            result.records.append(record)
    return result


def _filled(value: Any) -> bool:
    return isinstance(value, Unreadable) or bool(cell_text(value).strip())


class Row:
    """One question row; collects its issues. A row with an issue gives no record, so nothing
    half-read can be imported."""

    def __init__(self, number: int, cells: Sequence[Any], header: Header):
        self.number = number
        self.header = header
        self.issues: list[ImportIssue] = []
        self.values: dict[str, Any] = {}
        for column, index in header.positions.items():
            value = cells[index] if index < len(cells) else None
            if value is not None and _filled(value):  # most cells are None: no call for those
                self.values[column] = value

    def filled(self) -> bool:
        return bool(self.values)

    def title(self, column: str) -> str:
        return self.header.titles.get(column) or BY_ID[column].header

    def problem(self, column: str, message: str) -> None:
        self.issues.append(ImportIssue(self.number, column, message))

    # Both are asked about every column a type might use, mostly empty ones: those answer first.

    def line(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else clean_line(cell_text(value))

    def block(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else question_content.clean_block(cell_text(value))

    # -- the row as a whole

    def record(self) -> QuestionRecord | None:
        self._check_cells()
        if self.issues:
            return None
        kind = self._kind()
        if kind is None:
            return None
        for column in self.values:
            if column not in COMMON_IDS and column not in TYPE_COLUMNS[kind]:
                self.problem(
                    column,
                    _(
                        "Column “%(column)s” is not used by questions of type “%(type)s”: "
                        "leave it empty.",
                        column=self.title(column),
                        type=TYPE_NAMES[kind],
                    ),
                )
        content: dict[str, Any] = {
            "type": kind,
            "stem": self.block("stem"),
            "explanation": self.block("explanation"),
        }
        CONTENT_READERS[kind](self, content)
        key = self.line("key") or None
        record = QuestionRecord(
            content=content,
            line=self.number,
            title=key or "",
            key=key,
            level=self._level(),
            points=self._whole("points", *POINTS_RANGE),
            time_limit_s=self._whole("time", *TIME_RANGE),
            themes=split_cell(cell_text(self.values.get("themes"))),
            tags=split_cell(cell_text(self.values.get("tags"))),
            source_document=self.line("source_document"),
            source_section=self.line("source_section"),
            source_url=self.line("source_url"),
        )
        return None if self.issues else record

    def _check_cells(self) -> None:
        for column, value in self.values.items():
            if isinstance(value, Unreadable):
                self.problem(column, _unreadable_message(value, self.title(column)))
            elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                self.problem(
                    column,
                    _(
                        "Column “%(column)s” holds %(count)d characters; a cell may hold at "
                        "most %(max)d.",
                        column=self.title(column),
                        count=len(value),
                        max=MAX_CELL_CHARS,
                    ),
                )

    def _kind(self) -> str | None:
        written = self.line("type")
        if written:
            kind = parse_type(written)
            if kind is None:
                self.problem(
                    "type",
                    _(
                        "Column “%(column)s”: unknown question type “%(value)s”; use one of: "
                        "%(choices)s.",
                        column=self.title("type"),
                        value=written,
                        choices=", ".join(TYPE_NAMES.values()),
                    ),
                )
            return kind
        # No type written: a row with options is a choice question, one with Đúng/Sai is
        # true/false — what an Aiken-style sheet means. Anything else must say its type.
        if self.options(report=False):
            letters = option_letters(self.line("correct")) or []
            return "multiple" if len(set(letters)) > 1 else "single"
        if read_bool(self.values.get("correct")) is not None:
            return "true_false"
        self.problem(
            "type",
            _(
                "Column “%(column)s” is empty: write the question type (%(choices)s).",
                column=self.title("type"),
                choices=", ".join(TYPE_NAMES.values()),
            ),
        )
        return None

    def _level(self) -> str | None:
        written = self.line("level")
        if not written:
            return None
        level = parse_level(written)
        if level is None:
            self.problem(
                "level",
                _(
                    "Column “%(column)s”: unknown level “%(value)s”; use one of: %(choices)s.",
                    column=self.title("level"),
                    value=written,
                    choices=", ".join(LEVEL_NAMES.values()),
                ),
            )
        return level

    def _whole(self, column: str, low: int, high: int) -> int | None:
        if column not in self.values:
            return None
        number = read_number(self.values[column])
        if not isinstance(number, int) or not low <= number <= high:
            self.problem(
                column,
                _(
                    "Column “%(column)s”: “%(value)s” is not a whole number from %(low)d to "
                    "%(high)d.",
                    column=self.title(column),
                    value=self.line(column),
                    low=low,
                    high=high,
                ),
            )
            return None
        return number

    # -- pieces several types share

    def options(self, report: bool = True) -> list[str]:
        """Phương án A… up to the last filled one; a gap is an issue (letters would shift)."""
        texts = [self.line(column) for column in OPTION_IDS]
        last = max((index for index, text in enumerate(texts) if text), default=-1)
        for index in range(last):
            if report and not texts[index]:
                self.problem(
                    OPTION_IDS[index],
                    _(
                        "Column “%(column)s” is empty but a later option is filled: fill the "
                        "options from A on, without gaps.",
                        column=self.title(OPTION_IDS[index]),
                    ),
                )
        return texts[: last + 1]

    def letters(self, count: int) -> list[int]:
        """The 0-based options named in "Đáp án đúng" ("B", "A, C", "A;C"); issues if wrong."""
        written = self.line("correct")
        letters = option_letters(written)
        if letters is None or any(index >= count for index in letters):
            self.problem(
                "correct",
                _(
                    "Column “%(column)s”: “%(value)s” is not a list of letters of filled options "
                    "(%(letters)s).",
                    column=self.title("correct"),
                    value=written,
                    letters=", ".join(LETTERS[:count]) or "—",
                ),
            )
            return []
        return letters

    def choice(self, column: str, names: dict[str, Any], words: tuple[str, str]) -> Any:
        written = self.line(column)
        value = names.get(fold(written).replace("_", " "))
        if value is None:
            self.problem(
                column,
                _(
                    "Column “%(column)s”: write “%(first)s” or “%(second)s”, not “%(value)s”.",
                    column=self.title(column),
                    first=words[0],
                    second=words[1],
                    value=written,
                ),
            )
        return value

    def numeric(self, column: str, value: Any) -> int | float | None:
        number = read_number(value)
        if number is None:
            self.problem(
                column,
                _(
                    "Column “%(column)s”: “%(value)s” is not a number (write it like 99,7).",
                    column=self.title(column),
                    value=clean_line(cell_text(value)),
                ),
            )
        return number


def _unreadable_message(cell: Unreadable, column: str) -> str:
    if cell.reason == "formula":
        return _(
            "Column “%(column)s” holds a formula with no saved result: open the file in Excel, "
            "save it and import it again, or type the value instead.",
            column=column,
        )
    if cell.reason == "error":
        return _(
            "Column “%(column)s” shows the Excel error %(error)s: correct the cell.",
            column=column,
            error=cell.detail,
        )
    return _(
        "Column “%(column)s”: cells %(cells)s are merged across several columns; unmerge them "
        "and give each column its own value.",
        column=column,
        cells=cell.detail,
    )
