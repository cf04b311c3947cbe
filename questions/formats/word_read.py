"""Reading a .docx test paper: where its questions start, and the paper as records and issues.

The work is shared out by the steps a person takes reading a paper:

- `word_lines`: the document as lines, with formatting marks and Word's numbering;
- `word_answer_table`: an answer table at the end ("BẢNG ĐÁP ÁN 1-B 2-A …"), taken out first;
- `word_question`: one question's lines gathered as stem, options and labelled lines;
- `word_marks`: the options on a line, which are marked correct, bold words as Markdown;
- `word_record`: a gathered question as a record, or the reasons it cannot be one.

This module finds where each question starts and puts the results together.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from contest.text import fold
from questions.formats import word_answer_table
from questions.formats.base import FormatError, ImportIssue, ParseResult, parse_level
from questions.formats.word import NAME
from questions.formats.word_lines import Line, document_lines, not_docx, open_docx
from questions.formats.word_marks import OPTION
from questions.formats.word_question import QUESTION, Question, is_banner, label, text_from
from questions.formats.word_record import record


def read_docx(data: bytes) -> ParseResult:
    document = open_docx(data)
    try:
        lines = list(document_lines(document))
    # A damaged document can break python-docx and lxml in more ways than they document; the
    # contract is that only FormatError leaves a reader.
    except Exception as error:  # noqa: BLE001
        raise FormatError(not_docx()) from error
    return parse(lines)


def parse(lines: list[Line]) -> ParseResult:
    """The records of a paper's lines, or every issue that keeps them from being records."""
    result = ParseResult(format=NAME, position="paragraph")
    lines, entries, result.issues = word_answer_table.gather(lines)
    questions: list[Question] = []
    stem_lists: set[tuple[str, str]] = set()
    current: Question | None = None
    for line in lines:
        start = QUESTION.match(line.text)
        if start or (line.list_kind == "stem" and _starts_question(current, line, stem_lists)):
            if line.list_kind == "stem":
                stem_lists.add(line.list_id)
            number = str(int(start[1])) if start else str(len(questions) + 1)
            current = Question(number, line.paragraph)
            questions.append(current)
            rest = text_from(line, _stem_start(current, start))
            if rest[0].strip():
                current.stem.append(rest)
        elif current is not None:
            current.feed(line)
        elif _before_questions(line):
            result.issues.append(
                ImportIssue(
                    line.paragraph,
                    "",
                    _(
                        "An option or an answer before the first question: start each question "
                        "with “Câu 1:”, “Câu 2:” … or with Word's automatic numbering."
                    ),
                )
            )
    result.issues += word_answer_table.apply(entries, questions)
    has_choices = any(question.options for question in questions)
    for question in questions:
        made = record(question, has_choices)
        if made is not None:
            result.records.append(made)
        result.issues += question.issues
    if not questions and not result.issues:
        result.issues.append(
            ImportIssue(
                None,
                "",
                _(
                    "The document holds no questions: start each question with “Câu 1:”, "
                    "“Câu 2:” … or with Word's automatic numbering."
                ),
            )
        )
    result.issues.sort(key=lambda issue: issue.line or 0)
    return result


def _stem_start(question: Question, start: re.Match | None) -> int:
    """Where the stem begins after "Câu 1 (2 điểm):"; points or a level in brackets are kept."""
    if start is None:
        return 0
    note = start[2]
    if note is None:
        return start.end()
    if re.fullmatch(r"\d{1,6}\s*(?:diem|d)", fold(note)):
        question.fields["points"] = (note, question.paragraph)
    elif parse_level(note):
        question.fields["level"] = (note, question.paragraph)
    else:  # "(0,5 điểm)", "(trích)": part of the stem as typed
        return start.start(2) - 1
    return start.end()


def _starts_question(current: Question | None, line: Line, stem_lists: set) -> bool:
    """Whether a paragraph Word numbers 1, 2, 3 … starts a question or continues one.

    A numbered list inside a stem or an explanation ("1. …, 2. …") continues it; the list that
    numbers the questions, or any numbered paragraph after a question's options, starts one.
    """
    if current is None or line.list_id in stem_lists:
        return True
    return current.mode in ("options", "tail")


def _before_questions(line: Line) -> bool:
    """Text before the first question is a title or instructions, except options and answers."""
    if not line.text.strip() or is_banner(line.text) or line.heading or line.centered:
        return False
    found = label(line.text)
    # Only capital letters: "a) …" lists are common in a paper's instructions.
    option = OPTION.match(line.text)
    return (found is not None and found[0] == "answer") or bool(option and option[2].isupper())
