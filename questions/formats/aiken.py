"""Aiken, Moodle's simplest format: single-choice questions only. Read and write.

    Question text (it may take several lines)
    A. first option
    B) second option
    ANSWER: B

Each option is one line: a capital letter, "." or ")", a space, the text. Letters go A, B, C …
in order. Aiken has nowhere to put an explanation, feedback, a title or the bank's metadata: the
writer leaves them out (docs/formats/aiken.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contest.text import clean_line
from questions import content as question_content
from questions.formats.base import (
    ExportResult,
    ImportIssue,
    ParseResult,
    QuestionRecord,
    Skipped,
    choice_letter,
    decode_text,
)
from questions.models import TYPE_LABELS, QuestionType

NAME = "aiken"
EXTENSIONS = (".txt",)
LABEL = _l("Aiken (Moodle)")

OPTION = re.compile(r"([A-Z])[.)](?:[ \t]+(.*))?")
# Moodle writes "ANSWER:"; Vietnamese files often say "Đáp án:".
ANSWER = re.compile(r"(?:ANSWER|ĐÁP ÁN)\s*:(.*)", re.IGNORECASE)


@dataclass
class _Question:
    line: int
    stem: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    # A blank line seen after the options: text (not an option) after it starts a new question.
    gap: bool = False


class _Reader:
    """Line by line: stem lines, then options, then ANSWER. After a broken question, lines are
    skipped up to its ANSWER line or a blank line, so one mistake gives one issue."""

    def __init__(self) -> None:
        self.result = ParseResult(format=NAME)
        self.question: _Question | None = None
        self.skipping = False

    def issue(self, line: int, field_name: str, message: str) -> None:
        self.result.issues.append(ImportIssue(line, field_name, message))

    def broken(self, line: int, field_name: str, message: str) -> None:
        self.issue(line, field_name, message)
        self.question, self.skipping = None, True

    def line(self, number: int, raw: str) -> None:
        text = raw.strip()
        answer, option = ANSWER.fullmatch(text), OPTION.fullmatch(text)
        question = self.question
        if self.skipping:
            self.skipping = bool(text) and not answer
        elif not text:
            if question and question.options:
                question.gap = True
            elif question:
                question.stem.append(raw)
        elif answer:
            self.answer(number, answer.group(1).strip())
        elif option:
            self.option(number, option.group(1), option.group(2) or "")
        elif question is None:
            self.question = _Question(number, [raw])
        elif not question.options:
            question.stem.append(raw)
        elif question.gap:
            self.missing_answer()
            self.question = _Question(number, [raw])
        else:
            self.broken(
                number,
                "options",
                _(
                    "This line is neither an option (“A. …”) nor the “ANSWER: X” line; "
                    "each option must fit on one line."
                ),
            )

    def option(self, number: int, letter: str, text: str) -> None:
        question = self.question
        if question is None:
            self.broken(number, "options", _("An option comes before any question text."))
            return
        expected = chr(ord("A") + len(question.options)) if len(question.options) < 26 else ""
        if letter != expected:
            self.broken(
                number,
                "options",
                _(
                    "Option %(letter)s comes where option %(expected)s was expected: "
                    "letters go A, B, C … in order.",
                    letter=letter,
                    expected=expected,
                ),
            )
            return
        question.options.append(text)
        question.gap = False

    def answer(self, number: int, value: str) -> None:
        question = self.question
        self.question = None
        if question is None:
            self.issue(number, "answer", _("An “ANSWER” line comes before any question."))
            return
        if len(question.options) < 2:
            self.issue(
                question.line,
                "options",
                _(
                    "A question needs at least 2 options (lines such as “A. …”); "
                    "this one has %(count)d.",
                    count=len(question.options),
                ),
            )
            return
        letter = value.rstrip(".)").strip().upper()  # "B", "b", "B." and "B)" all name B
        if len(letter) != 1 or not "A" <= letter <= "Z":
            self.issue(
                number, "answer", _("The answer must be one option letter, such as “ANSWER: B”.")
            )
            return
        correct = ord(letter) - ord("A")
        if correct >= len(question.options):
            self.issue(
                number,
                "answer",
                _(
                    "“ANSWER: %(letter)s” names no option: the options are A to %(last)s.",
                    letter=letter,
                    last=choice_letter(len(question.options) - 1),
                ),
            )
            return
        options = [
            {"text": clean_line(text), "correct": index == correct}
            for index, text in enumerate(question.options)
        ]
        content = {"type": "single", "stem": "\n".join(question.stem).strip(), "options": options}
        self.result.records.append(QuestionRecord(content=content, line=question.line))

    def missing_answer(self) -> None:
        if self.question is not None:
            self.issue(
                self.question.line,
                "answer",
                _("The question has no “ANSWER: X” line after its options."),
            )
            self.question = None


def read(data: bytes) -> ParseResult:
    """The single-choice questions of an Aiken file; issues with their line numbers."""
    reader = _Reader()
    for number, raw in enumerate(decode_text(data).split("\n"), start=1):
        reader.line(number, raw)
    if reader.question is not None:
        if reader.question.options:
            reader.missing_answer()
        else:
            reader.issue(
                reader.question.line,
                "options",
                _("The question text is not followed by options and an “ANSWER: X” line."),
            )
    return reader.result


def sniff(data: bytes) -> bool:
    """True for text with an "ANSWER: X" line after option lines."""
    # A cut multi-byte character or an old encoding still sniffs: read() then explains.
    text = data[:65536].decode("utf-8-sig", errors="replace")
    lines = [line.strip() for line in text.splitlines()]
    answers = sum(
        1 for line in lines if re.fullmatch(r"(?i)(?:ANSWER|ĐÁP ÁN)\s*:\s*[A-Z][.)]?", line)
    )
    options = sum(1 for line in lines if OPTION.fullmatch(line))
    return answers >= 1 and options >= 2 * answers


# ---- writing ----------------------------------------------------------------------------------


def write(records: list[QuestionRecord]) -> ExportResult:
    """Aiken text of the single-choice questions; every other question is skipped with a reason.

    What Aiken cannot hold is left out: the explanation, option feedback, title and metadata.
    """
    blocks, skipped = [], []
    for index, record in enumerate(records):
        stem = clean_line(record.content.get("stem")) if isinstance(record.content, dict) else ""
        try:
            content = question_content.normalised(record.content)
        except question_content.InvalidContent as error:
            problem = question_content.describe(error.issues[0])
            reason = _("The question is not valid: %(problem)s", problem=problem)
            skipped.append(Skipped(index, stem, reason))
            continue
        if content["type"] != "single":
            kind = str(TYPE_LABELS[QuestionType(content["type"])])
            reason = _(
                "Aiken holds only single-choice questions; this one is “%(type)s”.", type=kind
            )
            skipped.append(Skipped(index, stem, reason))
            continue
        lines = content["stem"].split("\n")
        if any(OPTION.fullmatch(line.strip()) or ANSWER.fullmatch(line.strip()) for line in lines):
            reason = _(
                "A line of the question text looks like an option or an “ANSWER:” line, "
                "which Aiken would misread."
            )
            skipped.append(Skipped(index, stem, reason))
            continue
        options = content["options"]
        lines += [
            f"{choice_letter(number)}. {option['text']}" for number, option in enumerate(options)
        ]
        correct = next(number for number, option in enumerate(options) if option["correct"])
        lines.append(f"ANSWER: {choice_letter(correct)}")
        blocks.append("\n".join(lines))
    data = "\n\n".join(blocks) + "\n" if blocks else ""
    return ExportResult(data.encode("utf-8"), skipped)
