"""Question spreadsheets: what the columns mean, how a row becomes a question and back.

Shared by `spreadsheet_xlsx` and `spreadsheet_csv`: those only turn their files into rows of
cell values (and back); this module knows the columns. One row per question, under a header row
with Vietnamese column names (English ones accepted). The layout is documented for people in
docs/formats/spreadsheet.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from contest.text import clean_line, fold
from questions import content as question_content
from questions.checking import parse_number
from questions.formats.base import (
    FormatError,
    ImportIssue,
    ParseResult,
    QuestionRecord,
    Skipped,
    choice_letter,
    letter_index,
    parse_level,
    parse_type,
)

LETTERS = "ABCDEFGH"
MAX_CELL_CHARS = 20_000  # far above any real question; Excel itself stops at 32,767
MAX_ROWS = 10_000
HEADER_SEARCH_ROWS = 20  # a title or a note may sit above the header row
POINTS_RANGE = (0, 1000)  # the question editor's limits
TIME_RANGE = (5, 3600)


@dataclass(frozen=True)
class Column:
    id: str
    header: str
    aliases: tuple[str, ...] = ()
    width: int = 14
    text: bool = True  # formatted as text in Excel, so "15/5/2016" stays text, not a date


def _option_column(letter: str) -> Column:
    names = ("{}", "phương án {}", "lựa chọn {}", "đáp án {}", "option {}", "choice {}")
    return Column(f"option_{letter.lower()}", f"Phương án {letter}", _names(names, letter), 24)


def _feedback_column(letter: str) -> Column:
    names = ("phản hồi {}", "feedback {}", "nhận xét {}")
    return Column(f"feedback_{letter.lower()}", f"Phản hồi {letter}", _names(names, letter), 24)


def _names(patterns: tuple[str, ...], letter: str) -> tuple[str, ...]:
    return tuple(pattern.format(letter) for pattern in patterns)


# In the order an export writes them. Only "Nội dung câu hỏi" is required in a file.
COLUMNS = (
    Column("key", "Mã", ("mã câu hỏi", "mã số", "key", "id", "code"), 16),
    Column("type", "Loại câu hỏi", ("loại", "kiểu câu hỏi", "type", "question type"), 16),
    Column(
        "stem",
        "Nội dung câu hỏi",
        ("câu hỏi", "nội dung", "đề bài", "question", "stem", "question text"),
        60,
    ),
    *(_option_column(letter) for letter in LETTERS),
    Column("correct", "Đáp án đúng", ("đáp án", "correct", "correct answer", "answer"), 18),
    Column("tolerance", "Sai số", ("dung sai", "tolerance"), 10, text=False),
    Column("unit", "Đơn vị", ("đơn vị tính", "unit"), 12),
    Column("scoring", "Chấm điểm", ("cách chấm", "scoring"), 14),
    Column("weights", "Trọng số", ("weights", "weight"), 16),
    Column("ignore_diacritics", "Bỏ dấu", ("không dấu", "ignore diacritics"), 10),
    Column("guidance", "Hướng dẫn chấm", ("guidance", "rubric", "scoring guide"), 40),
    Column("explanation", "Giải thích", ("lời giải", "explanation"), 40),
    Column("themes", "Chủ đề", ("themes", "theme"), 24),
    Column("tags", "Thẻ", ("từ khóa", "tags", "tag", "keywords"), 20),
    Column("level", "Mức độ", ("mức độ nhận thức", "cấp độ", "level"), 14),
    Column("points", "Điểm", ("số điểm", "points", "score"), 8, text=False),
    Column(
        "time",
        "Thời gian (giây)",
        ("thời gian", "time", "time limit", "time (s)", "time limit (s)", "seconds"),
        10,
        text=False,
    ),
    Column("source_document", "Nguồn", ("tài liệu", "source", "source document"), 30),
    Column("source_section", "Mục/Điều", ("mục", "điều", "section", "source section"), 16),
    Column("source_url", "Đường dẫn nguồn", ("đường dẫn", "link", "url", "source url"), 30),
)
# Only written when some option has feedback: eight mostly empty columns would crowd the sheet.
FEEDBACK_COLUMNS = tuple(_feedback_column(letter) for letter in LETTERS)
ALL_COLUMNS = COLUMNS + FEEDBACK_COLUMNS
BY_ID = {column.id: column for column in ALL_COLUMNS}
OPTION_IDS = tuple(f"option_{letter.lower()}" for letter in LETTERS)
FEEDBACK_IDS = tuple(f"feedback_{letter.lower()}" for letter in LETTERS)


def header_key(text: str) -> str:
    """'Thời gian (giây)' -> 'thoigiangiay': headers match ignoring case, accents and spaces."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


HEADER_KEYS = {
    header_key(name): column.id
    for column in ALL_COLUMNS
    for name in (column.header, column.id, *column.aliases)
}

# The words an export writes; readers accept these and the aliases in base.py.
TYPE_NAMES = {
    "single": "Một lựa chọn",
    "multiple": "Nhiều lựa chọn",
    "true_false": "Đúng/Sai",
    "short_text": "Trả lời ngắn",
    "numeric": "Điền số",
    "ordering": "Sắp xếp",
    "open": "Tự luận",
}
LEVEL_NAMES = {
    "recall": "Nhận biết",
    "understanding": "Thông hiểu",
    "application": "Vận dụng",
    "advanced_application": "Vận dụng cao",
}
SCORING_NAMES = {"all_or_nothing": "Toàn phần", "partial": "Từng phần"}
SCORING_ALIASES = {
    **{fold(name): scoring for scoring, name in SCORING_NAMES.items()},
    "all or nothing": "all_or_nothing",
    "tat ca hoac khong": "all_or_nothing",
    "partial": "partial",
    "mot phan": "partial",
}
TRUE_WORD, FALSE_WORD, YES_WORD, NO_WORD = "Đúng", "Sai", "Có", "Không"
_TRUE = {"dung", "d", "co", "true", "t", "yes", "y", "x", "1"}
_FALSE = {"sai", "s", "khong", "false", "f", "no", "n", "0"}

# The columns each type reads beyond the ones every question has; anything else filled in is
# reported rather than dropped, since it usually means the row's type is wrong.
COMMON_IDS = {
    "key",
    "type",
    "stem",
    "explanation",
    "themes",
    "tags",
    "level",
    "points",
    "time",
    "source_document",
    "source_section",
    "source_url",
}
TYPE_COLUMNS = {
    "single": {*OPTION_IDS, *FEEDBACK_IDS, "correct"},
    "multiple": {*OPTION_IDS, *FEEDBACK_IDS, "correct", "scoring", "weights"},
    "true_false": {"correct"},
    "short_text": {*OPTION_IDS, "correct", "ignore_diacritics"},
    "numeric": {"correct", "tolerance", "unit"},
    "ordering": {*OPTION_IDS},
    "open": {"correct", "guidance"},
}


@dataclass(frozen=True)
class Unreadable:
    """A cell the file gives no value for: `reason` is "formula" (never calculated), "error"
    (#REF! and the like) or "merged" (merged over several columns, `detail` its range)."""

    reason: str
    detail: str = ""
    value: Any = None  # what the cell shows: the top-left value of a merge


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


# ---- cell values ------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a person sees in it (Vietnamese conventions for numbers and dates)."""
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


# ---- reading ----------------------------------------------------------------------------------


@dataclass
class Header:
    row: int
    positions: dict[str, int]  # column id -> index in the row
    titles: dict[str, str]  # column id -> the header as the file writes it


def find_header(rows: Sequence[tuple[int, Sequence[Any]]]) -> Header | None:
    """The header: the first of the first rows that names the question text column."""
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        keys = [header_key(cell_text(cell)) for cell in cells]
        if any(HEADER_KEYS.get(key) == "stem" for key in keys):
            return _header(number, cells)
    return None


def _header(number: int, cells: Sequence[Any]) -> Header:
    positions: dict[str, int] = {}
    titles: dict[str, str] = {}
    for index, cell in enumerate(cells):
        title = clean_line(cell_text(cell))
        column = HEADER_KEYS.get(header_key(title))
        if column is None:
            continue  # extra columns (STT, Ghi chú) are the file's own business
        if column in positions:
            raise FormatError(
                _(
                    "The header row (row %(row)d) has two columns for “%(column)s”: “%(first)s” "
                    "and “%(second)s”. Keep one.",
                    row=number,
                    column=BY_ID[column].header,
                    first=titles[column],
                    second=title,
                ),
                line=number,
            )
        positions[column] = index
        titles[column] = title
    return Header(number, positions, titles)


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
        row = _Row(number, cells, header)
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


class _Row:
    """One question row; collects its issues. A row with an issue gives no record, so nothing
    half-read can be imported."""

    def __init__(self, number: int, cells: Sequence[Any], header: Header):
        self.number = number
        self.header = header
        self.issues: list[ImportIssue] = []
        self.values: dict[str, Any] = {}
        for column, index in header.positions.items():
            value = cells[index] if index < len(cells) else None
            if _filled(value):
                self.values[column] = value

    def filled(self) -> bool:
        return bool(self.values)

    def title(self, column: str) -> str:
        return self.header.titles.get(column) or BY_ID[column].header

    def problem(self, column: str, message: str) -> None:
        self.issues.append(ImportIssue(self.number, column, message))

    def line(self, column: str) -> str:
        return clean_line(cell_text(self.values.get(column)))

    def block(self, column: str) -> str:
        return question_content.clean_block(cell_text(self.values.get(column)))

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
            letters = _letters(self.line("correct")) or []
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
        letters = _letters(written)
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


def _letters(text: str) -> list[int] | None:
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


# ---- the content of each type -----------------------------------------------------------------


def _read_choices(row: _Row, content: dict) -> None:
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


def _read_weights(row: _Row, options: list[dict]) -> None:
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


def _read_true_false(row: _Row, content: dict) -> None:
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


def _read_short_text(row: _Row, content: dict) -> None:
    # Accepted answers: "Đáp án đúng" split on "|" (or line breaks), then any option columns.
    written = cell_text(row.values.get("correct")).replace("\n", "|").split("|")
    accepted = [clean_line(text) for text in written] + row.options(report=False)
    content["accepted"] = [text for text in accepted if text]
    if "ignore_diacritics" in row.values:
        content["ignore_diacritics"] = row.choice(
            "ignore_diacritics", _bool_words(), (YES_WORD, NO_WORD)
        )


def _bool_words() -> dict[str, bool]:
    return {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


_PLUS_MINUS = re.compile(r"±|\+/-|\+-")


def _read_numeric(row: _Row, content: dict) -> None:
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


def _read_ordering(row: _Row, content: dict) -> None:
    content["items"] = row.options()


def _read_open(row: _Row, content: dict) -> None:
    # A model answer typed in "Đáp án đúng" is guidance for the scorers too.
    parts = [row.block("guidance"), row.block("correct")]
    if guidance := "\n\n".join(part for part in parts if part):
        content["guidance"] = guidance


CONTENT_READERS: dict[str, Callable[[_Row, dict], None]] = {
    "single": _read_choices,
    "multiple": _read_choices,
    "true_false": _read_true_false,
    "short_text": _read_short_text,
    "numeric": _read_numeric,
    "ordering": _read_ordering,
    "open": _read_open,
}


# ---- writing ----------------------------------------------------------------------------------

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


# ---- the template's examples ------------------------------------------------------------------

_SOURCE = "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị"


def _example(
    content: dict, level: str, points: int, seconds: int, tags: list[str]
) -> QuestionRecord:
    return QuestionRecord(
        content=content,
        level=level,
        points=points,
        time_limit_s=seconds,
        tags=tags,
        source_document=_SOURCE,
    )


def examples() -> list[QuestionRecord]:
    """One question of each type, as a template shows them (facts from the sample bank)."""
    return [
        _example(
            {
                "type": "single",
                "stem": "Chỉ thị số 05-CT/TW của Bộ Chính trị được ban hành ngày nào?",
                "explanation": "Chỉ thị số 05-CT/TW được Bộ Chính trị khóa XII ban hành ngày "
                "15/5/2016.",
                "options": [
                    {"text": "18/5/2021"},
                    {"text": "15/5/2016", "correct": True},
                    {"text": "07/11/2006"},
                    {"text": "14/5/2011"},
                ],
            },
            "recall",
            10,
            30,
            ["mốc thời gian"],
        ),
        _example(
            {
                "type": "multiple",
                "stem": "Những cụm từ nào có trong tên chuyên đề toàn khóa 2021–2025? "
                "(chọn tất cả ý đúng)",
                "explanation": "Tên chuyên đề toàn khóa gồm “ý chí tự lực, tự cường” và “khát "
                "vọng phát triển đất nước phồn vinh, hạnh phúc”.",
                "options": [
                    {"text": "tận dụng thời kỳ vàng"},
                    {"text": "ý chí tự lực, tự cường", "correct": True},
                    {"text": "khát vọng phát triển đất nước phồn vinh, hạnh phúc", "correct": True},
                ],
                "scoring": "partial",
            },
            "understanding",
            20,
            60,
            ["chuyên đề toàn khóa"],
        ),
        _example(
            {
                "type": "true_false",
                "stem": "Đúng hay sai: Chỉ thị số 05-CT/TW do Ban Bí thư Trung ương Đảng ban hành.",
                "explanation": "Sai. Chỉ thị số 05-CT/TW do Bộ Chính trị khóa XII ban hành.",
                "answer": False,
            },
            "recall",
            10,
            20,
            ["văn bản"],
        ),
        _example(
            {
                "type": "short_text",
                "stem": "Điền số hiệu văn bản còn thiếu: Chỉ thị số …… ngày 15/5/2016 của Bộ "
                "Chính trị.",
                "explanation": "Đó là Chỉ thị số 05-CT/TW.",
                "accepted": ["05-CT/TW", "05", "Chỉ thị 05"],
                "ignore_diacritics": True,
            },
            "recall",
            10,
            30,
            ["văn bản"],
        ),
        _example(
            {
                "type": "numeric",
                "stem": "Theo bài viết “Đột phá trong học tập và làm theo Bác” (Lai Châu, "
                "06/01/2023), các cấp trong tỉnh đã ban hành bao nhiêu kế hoạch thực hiện "
                "Kết luận 01-KL/TW?",
                "explanation": "2.594 kế hoạch.",
                "value": 2594,
                "unit": "kế hoạch",
            },
            "recall",
            10,
            30,
            ["số liệu"],
        ),
        _example(
            {
                "type": "ordering",
                "stem": "Sắp xếp các văn bản sau theo thứ tự thời gian ban hành, từ sớm nhất.",
                "explanation": "06-CT/TW (2006) → 03-CT/TW (2011) → 05-CT/TW (2016) → "
                "01-KL/TW (2021).",
                "items": ["Chỉ thị 06-CT/TW", "Chỉ thị 03-CT/TW", "Chỉ thị 05-CT/TW"],
            },
            "understanding",
            20,
            60,
            ["mốc thời gian"],
        ),
        _example(
            {
                "type": "open",
                "stem": "Trình bày ý nghĩa của trách nhiệm nêu gương trong học tập và làm theo "
                "Bác, liên hệ với cơ quan, đơn vị của đội thi.",
                "guidance": "Giám khảo xem bài có nêu được:\n- vai trò nêu gương của người "
                "đứng đầu;\n- liên hệ cụ thể với đơn vị.",
            },
            "application",
            20,
            240,
            ["nêu gương"],
        ),
    ]
