"""The bank's details on a question of a paper: key, level, points, time, themes, tags, source.

They are labelled lines after the answer ("Mức độ: Thông hiểu", "Thời gian: 30 giây"), as
`word_write` writes them, or a bracket after the question number ("Câu 1 (2 điểm):"). A value
that cannot be read is reported with its paragraph, not dropped.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from contest.text import clean_line, fold
from questions.formats.base import QuestionRecord, parse_level, split_list
from questions.formats.word_question import Question


def read_details(question: Question, record: QuestionRecord) -> None:
    """The bank's details lines ("Mức độ:", "Điểm:", "Thời gian:" …) onto the record."""
    for kind, (value, paragraph) in question.fields.items():
        if kind == "level":
            record.level = parse_level(value)
            if record.level is None:
                question.issue(
                    paragraph,
                    "level",
                    _(
                        "Question %(number)s: unknown level “%(level)s”: use Nhận biết, "
                        "Thông hiểu, Vận dụng or Vận dụng cao.",
                        number=question.number,
                        level=value,
                    ),
                )
        elif kind == "points":
            match = re.fullmatch(r"(\d{1,6})(?:\s*(?:diem|d|points?))?", fold(value))
            if match:
                record.points = int(match[1])
            else:
                question.issue(
                    paragraph,
                    "points",
                    _(
                        "Question %(number)s: the points are a whole number, not “%(value)s”.",
                        number=question.number,
                        value=value,
                    ),
                )
        elif kind == "time":
            record.time_limit_s = _seconds(question, value, paragraph)
        elif kind in ("themes", "tags"):
            # The writer separates with ";" so that a name may hold a comma.
            names = [clean_line(name) for name in value.split(";")] if ";" in value else None
            setattr(record, kind, [n for n in names if n] if names else split_list(value))
        elif kind in ("source", "section", "url"):
            setattr(record, f"source_{'document' if kind == 'source' else kind}", value)
        elif kind == "key":
            record.title = clean_line(value)
            record.key = record.title or None


def _seconds(question: Question, value: str, paragraph: int) -> int | None:
    pattern = r"(\d{1,5})\s*(giay|s|sec|seconds?|phut|p|ph|min|minutes?)?"
    match = re.fullmatch(pattern, fold(value).rstrip("."))
    if match:
        minutes = (match[2] or "").startswith(("p", "m"))
        return int(match[1]) * (60 if minutes else 1)
    question.issue(
        paragraph,
        "time",
        _(
            "Question %(number)s: the time is a number of seconds such as “30 giây”, not "
            "“%(value)s”.",
            number=question.number,
            value=value,
        ),
    )
    return None
