"""Question spreadsheets: the columns, the words written in them, and finding the header row.

One row per question, under a header row with Vietnamese column names (English ones accepted).
The modules `spreadsheet_xlsx` and `spreadsheet_csv` only turn their files into rows of cell values
and back; `spreadsheet_rows` reads a row into a question, `spreadsheet_cells` writes one into
cells. The layout is documented for people in docs/formats/spreadsheet.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from contest.text import clean_line, fold
from questions.formats.base import FormatError
from questions.formats.spreadsheet_values import cell_text

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


# ---- the header row ---------------------------------------------------------------------------


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
