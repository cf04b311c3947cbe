"""What the formatting of a paper means: the options on a line, which of them are marked correct,
and bold words as Markdown.

The right answer may be marked by bold, underline, red text or highlight on an option, a "*"
before its letter, a "Đáp án: B" line or an answer table at the end of the paper. A mark counts
only where it tells options apart (bold letters on every option are the paper's style), and
marks that disagree are reported rather than guessed between.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from contest.text import clean_line, fold
from questions.formats.word import truth
from questions.formats.word_lines import Line
from questions.formats.word_styles import BOLD, HIGHLIGHT, RED, UNDERLINE

MARK_NAMES = (
    (BOLD, _l("bold")),
    (UNDERLINE, _l("underline")),
    (RED, _l("red text")),
    (HIGHLIGHT, _l("highlight")),
)

# "A. ", "A) ", "a/", "*B. ". The star's spaces are inside its group: "\s*(\*)?\s*" would try
# every split of a long run of spaces before giving up, quadratic in the run's length.
OPTION = re.compile(r"\s*(?:(\*)\s*)?([A-Ha-h])\s*[.)/]\s*")
_GAP = re.compile(r"\t+|\s{2,}")
_LETTER_SPLIT = re.compile(r"[\s,;&+/>→\-–]+|\bvà\b|\band\b", re.IGNORECASE)

# (paragraph, field, message): how a rule reports a problem with the question it is reading.
Report = Callable[[int | None, str, str], None]


@dataclass
class Option:
    letter: int
    text: str
    paragraph: int
    star: bool = False
    text_marks: int = 0  # marks on at least half of the option's text
    prefix_marks: int = 0  # marks on its letter


def covering(text: str, marks: list[int]) -> int:
    """The marks on at least half of the visible characters."""
    distinct = set(marks)
    if len(distinct) <= 1:  # the usual case, one look at the text instead of one per mark
        return next(iter(distinct)) if distinct and text.strip() else 0
    visible = [mark for char, mark in zip(text, marks, strict=False) if not char.isspace()]
    if not visible:
        return 0
    return sum(
        flag
        for flag, _name in MARK_NAMES
        if 2 * sum(1 for m in visible if m & flag) >= len(visible)
    )


def options_in(line: Line) -> list[Option] | None:
    """The options a line holds: "A. …", or several separated by tabs or wide spaces."""
    text = line.text
    first = OPTION.match(text)
    if not first:
        if line.list_kind == "option":
            return [Option(-1, clean_line(text), line.paragraph, False, covering(text, line.marks))]
        return None
    starts = [first]
    for gap in _GAP.finditer(text):
        if gap.start() < starts[-1].end():
            continue
        found = OPTION.match(text, gap.end())
        if found and ord(found[2].upper()) == ord(starts[-1][2].upper()) + 1:
            starts.append(found)
    options = []
    for start, following in zip(starts, starts[1:] + [None], strict=True):
        end = following.start() if following else len(text)
        body = text[start.end() : end]
        options.append(
            Option(
                ord(start[2].upper()) - ord("A"),
                clean_line(body),
                line.paragraph,
                bool(start[1]),
                covering(body, line.marks[start.end() : end]),
                line.marks[start.start(2)] if start.start(2) < len(line.marks) else 0,
            )
        )
    return options


def letter_name(index: int) -> str:
    """'A' for 0. Unlike `choice_letter` it goes past H: a lettered Word list has no limit."""
    return chr(ord("A") + index)


def letters(value: str) -> list[int] | None:
    """'A, C' / 'A và C' / 'C - A - B' -> option indices; None when not only letters."""
    tokens = [token for token in _LETTER_SPLIT.split(value.strip().rstrip(".")) if token]
    if tokens and all(len(token) == 1 and token.isascii() and token.isalpha() for token in tokens):
        return [ord(token.upper()) - ord("A") for token in tokens]
    return None


def marked_correct(
    options: list[Option],
    number: str,
    paragraph: int,
    answer: tuple[str, int] | None,
    table: tuple[list[int], int] | None,
    report: Report,
) -> set[int] | None:
    """The options marked correct, when every mark agrees; None after reporting why not.

    `answer` is the "Đáp án:" line (text, paragraph), `table` the answer table's entry for the
    question (letters, paragraph).
    """
    count = len(options)
    sources: list[tuple[str, set[int]]] = []
    if answer is not None:
        chosen = _answer_options(options, number, *answer, report)
        if chosen is None:
            return None
        sources.append((_("the “Đáp án” line"), chosen))
    if table is not None:
        chosen, where = set(table[0]), table[1]
        if outside := sorted(letter for letter in chosen if letter >= count):
            report(
                where,
                "answer",
                _(
                    "Question %(number)s: the answer table names option %(letter)s, but the "
                    "options go from A to %(last)s.",
                    number=number,
                    letter=letter_name(outside[0]),
                    last=letter_name(count - 1),
                ),
            )
            return None
        sources.append((_("the answer table"), chosen))
    if stars := {index for index, option in enumerate(options) if option.star}:
        sources.append((_("“*” before the letter"), stars))
    # Formatting counts only where it tells options apart: bold letters on every option are
    # the paper's style, not an answer.
    for flag, name in MARK_NAMES:
        for part in ("text_marks", "prefix_marks"):
            marked = {i for i, option in enumerate(options) if getattr(option, part) & flag}
            if marked and len(marked) < count and (str(name), marked) not in sources:
                sources.append((str(name), marked))
    if not sources:
        report(
            paragraph,
            "options",
            _(
                "Question %(number)s: no option is marked correct. Make the right option "
                "bold, underlined or red, or add a line “Đáp án: B”.",
                number=number,
            ),
        )
        return None
    if len({frozenset(marked) for _name, marked in sources}) > 1:
        detail = "; ".join(
            f"{name}: {', '.join(letter_name(i) for i in sorted(marked))}"
            for name, marked in sources
        )
        report(
            paragraph,
            "options",
            _(
                "Question %(number)s: the marks disagree on the correct answer (%(marks)s).",
                number=number,
                marks=detail,
            ),
        )
        return None
    return sources[0][1]


def _answer_options(
    options: list[Option], number: str, value: str, paragraph: int, report: Report
) -> set[int] | None:
    count = len(options)
    chosen = letters(value)
    if chosen is None and (match := re.match(r"\s*([A-Ha-h])\s*[.)]\s+\S", value)):
        chosen = [ord(match[1].upper()) - ord("A")]
    if chosen is not None:
        outside = [letter for letter in chosen if letter >= count]
        if not outside:
            return set(chosen)
        report(
            paragraph,
            "answer",
            _(
                "Question %(number)s: the answer names option %(letter)s, but the options go "
                "from A to %(last)s.",
                number=number,
                letter=letter_name(outside[0]),
                last=letter_name(count - 1),
            ),
        )
        return None
    for index, option in enumerate(options):
        same = fold(option.text) == fold(value)
        if same or (truth(value) is not None and truth(option.text) == truth(value)):
            return {index}
    report(
        paragraph,
        "answer",
        _(
            "Question %(number)s: the answer “%(answer)s” is neither an option letter nor an "
            "option's text.",
            number=number,
            answer=value,
        ),
    )
    return None


# Each character's marks as one byte, b"1" where bold: runs of bold text are then found by a
# regular expression instead of a Python loop over every character of every stem.
_BOLD_BYTES = bytes.maketrans(bytes(range(256)), bytes(b"01"[bool(i & BOLD)] for i in range(256)))
_RUNS = re.compile(rb"1+|0+")


def markdown(lines: list[tuple[str, list[int]]]) -> str:
    """Lines as Markdown: words bolded inside a text become **…**; a wholly bold text is plain."""
    bold = [bytes(marks).translate(_BOLD_BYTES) for _text, marks in lines]
    if not any(b"1" in flags for flags in bold) or not any(b"0" in flags for flags in bold):
        return "\n".join(text.replace("\t", " ").strip() for text, _marks in lines).strip()
    runs = [list(_RUNS.finditer(flags)) for flags in bold]
    # Bold everywhere but on spaces is the paper's style, not emphasis.
    wholly_bold = all(
        text[run.start() : run.end()].isspace()
        for (text, _marks), line_runs in zip(lines, runs, strict=True)
        for run in line_runs
        if run[0].startswith(b"0")
    )
    result = []
    for (text, _marks), line_runs in zip(lines, runs, strict=True):
        pieces = []
        for run in line_runs:
            chunk = text[run.start() : run.end()]
            core = chunk.strip()
            if run[0].startswith(b"1") and not wholly_bold and any(char.isalnum() for char in core):
                lead = chunk[: len(chunk) - len(chunk.lstrip())]
                trail = chunk[len(chunk.rstrip()) :]
                chunk = f"{lead}**{core}**{trail}"
            pieces.append(chunk)
        result.append("".join(pieces).replace("\t", " ").strip())
    return "\n".join(result).strip()
