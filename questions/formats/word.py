"""Word (.docx) test papers, laid out the way Vietnamese organisers type them.

A question starts with "Câu 1:" (or Word's automatic numbering), its options follow as "A. …"
lines, and the right answer is marked by bold, underline, red text, highlight, a "*" before the
letter or a separate "Đáp án: B" line. docs/formats/word.md describes the whole layout.

This module holds the contract and the vocabulary shared by the reader (`word_read`) and the
writer (`word_write`): the labels a line may start with, the names of types and levels, and how
an answer line decides a question's type, so that what the writer prints the reader reads back.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from contest.text import fold
from questions.checking import parse_number
from questions.formats.base import ExportResult, ParseResult, QuestionRecord

NAME = "docx"
EXTENSIONS = (".docx",)
LABEL = _l("Word document (.docx)")

# What a line's label ("Đáp án:", "Giải thích:" …) means; keys are folded (no accents, lower case).
LABELS = {
    "dap an": "answer",
    "dap an dung": "answer",
    "dap an dung la": "answer",
    "da": "answer",
    "d/a": "answer",
    "dap so": "answer",
    "answer": "answer",
    "giai thich": "explanation",
    "huong dan": "explanation",
    "huong dan giai": "explanation",
    "loi giai": "explanation",
    "explanation": "explanation",
    "huong dan cham": "guidance",
    "goi y cham": "guidance",
    "guidance": "guidance",
    "loai cau hoi": "type",
    "loai": "type",
    "dang cau hoi": "type",
    "type": "type",
    "tinh diem": "scoring",
    "cach tinh diem": "scoring",
    "scoring": "scoring",
    "chap nhan khong dau": "ignore_diacritics",
    "bo qua dau": "ignore_diacritics",
    "ignore diacritics": "ignore_diacritics",
    "don vi": "unit",
    "unit": "unit",
    "sai so": "tolerance",
    "tolerance": "tolerance",
    "muc do": "level",
    "level": "level",
    "diem": "points",
    "so diem": "points",
    "points": "points",
    "thoi gian": "time",
    "time": "time",
    "chu de": "themes",
    "themes": "themes",
    "the": "tags",
    "tu khoa": "tags",
    "tags": "tags",
    "nguon": "source",
    "source": "source",
    "muc": "section",
    "section": "section",
    "lien ket": "url",
    "url": "url",
    "link": "url",
    "ma cau hoi": "key",
    "ma": "key",
    "key": "key",
}

# How the writer prints each label (the file's language is Vietnamese whatever the site's
# language: these words are the layout the reader expects, not interface text).
WRITTEN_LABELS = {
    "answer": "Đáp án",
    "explanation": "Giải thích",
    "guidance": "Hướng dẫn chấm",
    "type": "Loại câu hỏi",
    "scoring": "Tính điểm",
    "ignore_diacritics": "Chấp nhận không dấu",
    "unit": "Đơn vị",
    "tolerance": "Sai số",
    "level": "Mức độ",
    "points": "Điểm",
    "time": "Thời gian",
    "themes": "Chủ đề",
    "tags": "Thẻ",
    "source": "Nguồn",
    "section": "Mục",
    "url": "Liên kết",
    "key": "Mã câu hỏi",
}

# Labels that may follow a stem directly; the others are only read after the options or the
# answer, because a stem line such as "Đơn vị: Huyện ủy …" is ordinary text.
STEM_ENDING_LABELS = ("answer", "explanation", "guidance", "type")

QUESTION_WORD = "Câu"

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

SCORING_NAMES = {"partial": "Từng phần", "all_or_nothing": "Cả câu"}
SCORING_ALIASES = {
    "tung phan": "partial",
    "theo tung y": "partial",
    "partial": "partial",
    "ca cau": "all_or_nothing",
    "tat ca hoac khong": "all_or_nothing",
    "all or nothing": "all_or_nothing",
    "all_or_nothing": "all_or_nothing",
}

YES = {"co", "yes", "true", "x", "1"}
NO = {"khong", "no", "false", "0"}
TRUE_WORDS = {"dung", "true"}
FALSE_WORDS = {"sai", "false"}

# A number followed by a unit: "155 mô hình", "4.360 đại biểu".
_NUMBER_AND_UNIT = re.compile(r"([-+−]?\s*[0-9][0-9.,]*(?: [0-9]{3})*)\s+([^\W\d_].*)")


def truth(text: str) -> bool | None:
    """'Đúng' -> True, 'Sai.' -> False, anything else None."""
    word = fold(text).strip(" .!")
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def read_number(text: str) -> tuple[int | float, str] | None:
    """'4.360 đại biểu' -> (4360, 'đại biểu'); '99,7' -> (99.7, ''); None when not a number.

    The Vietnamese reading comes first ('4.360' is four thousand), as in answer checking.
    """
    text = text.strip()
    unit = ""
    readings = parse_number(text)
    if not readings and (match := _NUMBER_AND_UNIT.fullmatch(text)):
        readings, unit = parse_number(match[1]), match[2].strip()
    if not readings:
        return None
    value = readings[0]
    return (int(value) if value.is_integer() else value), unit


def format_number(value: int | float) -> str:
    """A number the way Vietnamese papers print it and `read_number` reads it back: '99,7'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)), "f").replace(".", ",")


def is_true_false(option_texts: list[str]) -> bool:
    return len(option_texts) == 2 and {truth(text) for text in option_texts} == {True, False}


def inferred_type(option_texts: list[str], correct_count: int, answer: str | None) -> str | None:
    """The type a question's layout says when no "Loại câu hỏi:" line names it.

    Options "Đúng"/"Sai" make a true/false question, several correct options a multiple one;
    without options the answer line decides (Đúng/Sai, a number, or text). None: no options
    and no answer, which the reader decides with the rest of the file.
    """
    if option_texts:
        if is_true_false(option_texts) and correct_count == 1:
            return "true_false"
        return "multiple" if correct_count > 1 else "single"
    if answer is None or not answer.strip():
        return None
    if truth(answer) is not None:
        return "true_false"
    if read_number(answer) is not None:
        return "numeric"
    return "short_text"


# The reader and writer import the vocabulary above, so they are imported when first used.


def read(data: bytes) -> ParseResult:
    """Questions from a .docx file; FormatError only when the file is not a readable .docx."""
    from questions.formats.word_read import read_docx

    return read_docx(data)


def write(records: list[QuestionRecord]) -> ExportResult:
    """A .docx with every question, its answer, explanation and details, ready to re-import."""
    from questions.formats.word_write import write_docx

    return write_docx(records)


def write_paper(records: list[QuestionRecord], title: str, with_answers: bool) -> bytes:
    """A printable test paper; with_answers adds each answer and explanation (the judges' copy)."""
    from questions.formats.word_write import write_paper_docx

    return write_paper_docx(records, title, with_answers)
