"""One question of a paper, gathered line by line the way a person reads it.

A question starts at "Câu 1:" (found by `word_read`); the lines that follow are its stem, then
its options, then its labelled lines ("Đáp án:", "Giải thích:", the bank's details). What the
gathered parts make — a single or multiple choice, a number, an essay — is `word_record`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from contest.text import fold
from questions.formats.base import ImportIssue, choice_letter
from questions.formats.word import LABELS, STEM_ENDING_LABELS
from questions.formats.word_lines import Line
from questions.formats.word_marks import Option, options_in

# "Câu 1:", "Câu 1.", "Câu 1 -", "Câu hỏi 1:", "CÂU 1)", "Câu 1 (2 điểm):". A separator is
# required, so that "Câu 2 trong bài thơ …" stays text.
QUESTION = re.compile(
    r"\s*(?:c[âa]u(?:\s+h[ỏo]i)?|question)\s*(\d{1,4})\s*"
    r"(?:\(([^()\n]{1,40})\)\s*[:.\-–—]?\s*|[:.)\-–—]\s*|\t\s*|$)",
    re.IGNORECASE,
)

Text = list[tuple[str, list[int]]]  # lines of text with the marks of each character


def label(text: str) -> tuple[str, int] | None:
    """("answer", index after the colon) for "Đáp án: B"; None when the line has no label."""
    colon = text.find(":", 0, 40)
    if colon < 0:
        return None
    kind = LABELS.get(fold(text[:colon]).strip(" *"))
    return (kind, colon + 1) if kind else None


def is_banner(text: str) -> bool:
    """Decoration or a section heading between questions: "PHẦN II. TỰ LUẬN", "--- HẾT ---"."""
    letters = [char for char in text if char.isalpha()]
    if not any(char.isalnum() for char in text):
        return True
    return len(letters) >= 3 and all(char.isupper() for char in letters)


def text_from(line: Line, start: int = 0) -> tuple[str, list[int]]:
    return line.text[start:], line.marks[start:]


@dataclass
class Question:
    number: str
    paragraph: int
    stem: Text = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    blocks: dict[str, Text] = field(default_factory=lambda: {"explanation": [], "guidance": []})
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    # The answer table's letters for this question, and the paragraph they are in.
    table: tuple[list[int], int] | None = None
    # stem -> options -> tail (after the answer); explanation / guidance while those run on
    mode: str = "stem"
    issues: list[ImportIssue] = field(default_factory=list)

    def issue(self, paragraph: int | None, where: str, message: str) -> None:
        self.issues.append(ImportIssue(paragraph, where, message))

    def feed(self, line: Line) -> None:
        text = line.text
        if not text.strip():
            if self.mode in self.blocks or (self.mode == "stem" and self.stem):
                target = self.blocks.get(self.mode, self.stem)
                target.append(("", []))
            return
        found = label(text)
        if found and (found[0] in STEM_ENDING_LABELS or self.mode != "stem"):
            self._labelled(line, *found)
            return
        if self.mode in self.blocks:
            # A section heading after the last explanation ends it; a centred quote does not.
            if line.heading or (is_banner(text) and len(text.split()) >= 2):
                self.mode = "tail"
            elif any(char.isalnum() for char in text):
                self.blocks[self.mode].append(text_from(line))
            return
        options = options_in(line)
        if options and self.mode in ("stem", "options"):
            expected = len(self.options)
            if is_banner(text) and options[0].letter not in (-1, expected):
                return  # "B. PHẦN TỰ LUẬN" after the options: a section heading
            self._add_options(options)
        elif options and not is_banner(text):
            self.issue(
                line.paragraph,
                "options",
                _(
                    "Question %(number)s: an option after the answer line; put the options "
                    "before “Đáp án:”.",
                    number=self.number,
                ),
            )
        elif self.mode == "stem":
            self.stem.append(text_from(line))
        elif not (line.heading or line.centered or is_banner(text)):
            self.issue(
                line.paragraph,
                "",
                _(
                    "Question %(number)s: this paragraph is not an option, an answer or an "
                    "explanation. Delete it, or start it with a label such as “Giải thích:”.",
                    number=self.number,
                ),
            )

    def _add_options(self, options: list[Option]) -> None:
        for option in options:
            expected = len(self.options)
            if option.letter == -1:  # Word's lettered numbering
                option.letter = expected
            elif option.letter != expected:
                self.issue(
                    option.paragraph,
                    "options",
                    _(
                        "Question %(number)s: option %(letter)s comes where option %(expected)s "
                        "was expected.",
                        number=self.number,
                        letter=choice_letter(option.letter),
                        expected=choice_letter(min(expected, 7)),
                    ),
                )
            self.options.append(option)
        self.mode = "options"

    def _labelled(self, line: Line, kind: str, start: int) -> None:
        value = line.text[start:]
        if kind in self.blocks:
            if self.blocks[kind]:
                self._twice(line, kind)
            self.mode = kind
            if value.strip():
                self.blocks[kind].append(text_from(line, start))
            return
        if kind in self.fields:
            self._twice(line, kind)
        self.fields[kind] = (value.strip(), line.paragraph)
        if kind == "answer":
            self.mode = "tail"
        elif self.mode == "stem" or (kind == "type" and self.mode != "tail"):
            self.mode = "options"  # options may follow a "Loại câu hỏi:" line
        elif self.mode in self.blocks:
            self.mode = "tail"

    def _twice(self, line: Line, kind: str) -> None:
        name = line.text.split(":", 1)[0].strip()
        self.issue(
            line.paragraph,
            kind,
            _("Question %(number)s: “%(label)s” is given twice.", number=self.number, label=name),
        )
