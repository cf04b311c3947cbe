"""An answer table gathered at the end of a paper, the way many Vietnamese papers give answers.

A heading "BẢNG ĐÁP ÁN" or "ĐÁP ÁN" is followed by entries typed as text ("1-B 2-A 3-C",
"1.B; 2.A", "Câu 1: B") or by a Word table whose cells hold the question numbers with the
letters beside or below them. The table is one more way of marking the correct option: it must
agree with any bold, red or "Đáp án:" mark on the question itself (`word_marks`).

Its lines are taken out of the paper before the questions are read, up to the next question,
so that the entries are not read as part of the last question.
"""

from __future__ import annotations

import re
from collections import defaultdict

from flask_babel import gettext as _

from contest.text import fold
from questions.formats.base import ImportIssue
from questions.formats.word_lines import Line
from questions.formats.word_question import QUESTION, Question, is_banner

# Headings, folded (no accents, lower case), without the colon.
HEADINGS = {
    "dap an",
    "bang dap an",
    "dap an trac nghiem",
    "bang dap an trac nghiem",
    "dap an phan trac nghiem",
    "answer key",
    "answers",
}
_HEADING_STARTS = set("BbĐđDdAa")

# "B", "A, C", "AC", "A và C": the correct options of one question.
_LETTERS = r"[A-Ha-h](?:\s*(?:(?:[,&+]|và)\s*)?[A-Ha-h])*"
# "1-B", "1.B", "1. B", "1B", "1: A, C", "Câu 1: B". The optional parts keep their spaces inside
# their groups so that a long run of spaces cannot make the search quadratic.
_ENTRY = re.compile(
    rf"(?:c[âa]u\s*)?(\d{{1,4}})\s*(?:[-.:)=–—/]\s*)?({_LETTERS})(?![^\W\d_])", re.IGNORECASE
)
_ONLY_LETTERS = re.compile(_LETTERS, re.IGNORECASE)
_LETTER = re.compile(r"và|([A-Ha-h])", re.IGNORECASE)  # "và" first: its "V" is no letter
_SEPARATORS = re.compile(r"[\s,;|.]*")
_NUMBER = re.compile(r"(?:c[âa]u\s*)?(\d{1,4})\s*[.:)]?", re.IGNORECASE)

Entry = tuple[int, list[int], int]  # (question number, option indices, paragraph)


def entries_in(text: str) -> list[tuple[int, list[int]]] | None:
    """[(1, [1]), (2, [0, 2])] for "1-B 2-A,C"; None unless the text is only entries."""
    found, position = [], 0
    for match in _ENTRY.finditer(text):
        if not _SEPARATORS.fullmatch(text, position, match.start()):
            return None
        found.append((int(match[1]), _indices(match[2])))
        position = match.end()
    if not found or not _SEPARATORS.fullmatch(text, position):
        return None
    return found


def _indices(letters: str) -> list[int]:
    return [ord(one[1].upper()) - ord("A") for one in _LETTER.finditer(letters) if one[1]]


def gather(lines: list[Line]) -> tuple[list[Line], list[Entry], list[ImportIssue]]:
    """(the paper's lines without its answer tables, their entries, issues with the tables)."""
    kept: list[Line] = []
    entries: list[Entry] = []
    issues: list[ImportIssue] = []
    index = plain_until = 0
    while index < len(lines):
        line = lines[index]
        if index < plain_until or _on_heading(line) is None:
            kept.append(line)
            index += 1
            continue
        # "Đáp án" as a header cell: the whole Word table is the answer table, the cells
        # before that one too.
        earlier = 0
        while line.cell and earlier < len(kept) and _same_table(kept[-1 - earlier], line):
            earlier += 1
        end, found, stray = _table_at(lines, index, kept[len(kept) - earlier :])
        if not found:
            # A heading inside the lines just looked at would find no table either.
            plain_until = end
            kept.append(line)
            index += 1
            continue
        del kept[len(kept) - earlier :]
        entries += found
        issues += [
            ImportIssue(
                stray_line.paragraph,
                "answer",
                _(
                    "This paragraph in the answer table is not an entry such as “1-B” or "
                    "“2.A”: delete it, or move it before the answer table."
                ),
            )
            for stray_line in stray
        ]
        index = end
    return kept, entries, issues


def _same_table(line: Line, other: Line) -> bool:
    return line.cell is not None and other.cell is not None and line.cell[0] == other.cell[0]


def _on_heading(line: Line) -> list[tuple[int, list[int]]] | None:
    """The entries on an answer table's heading line ([] for none); None: not a heading."""
    head, colon, rest = line.text.partition(":")
    # Every line is asked: a look at its length and first letter spares folding most of them.
    short = head.strip(" .*-–—\t")
    if len(short) > 40 or short[:1] not in _HEADING_STARTS:
        return None
    if fold(short).strip(" .*-–—") not in HEADINGS:
        return None
    if not rest.strip():
        return []
    found = entries_in(rest)
    # One entry after "Đáp án:" is a question's answer ("Đáp án: 5 A" is five amperes).
    return found if found is not None and len(found) >= 2 else None


def _table_at(
    lines: list[Line], index: int, earlier: list[Line]
) -> tuple[int, list[Entry], list[Line]]:
    """(where the table ends, its entries, stray paragraphs) from a heading; no entries: no table.

    `earlier` are the cells of the same Word table before the heading's cell.
    """
    heading = lines[index]
    entries = [(number, chosen, heading.paragraph) for number, chosen in _on_heading(heading) or []]
    cells = [heading] if heading.cell is not None else []
    stray: list[Line] = []
    end = index + 1
    while end < len(lines):
        line = lines[end]
        text = line.text
        if line.cell is not None:
            cells.append(line)
        elif (found := entries_in(text) or _on_heading(line)) is not None:
            # Entries, or another answer heading: a paper in parts may give one per part.
            entries += [(number, chosen, line.paragraph) for number, chosen in found]
        elif not text.strip() or line.heading or line.centered or is_banner(text):
            pass
        elif QUESTION.match(text) or line.list_kind == "stem":
            break
        elif not entries and not cells:
            return end, [], []  # the heading is followed by text: not an answer table
        else:
            stray.append(line)
        end += 1
    if cells:
        entries += _cell_entries([*earlier, *cells])
    return end, entries, stray


def _cell_entries(cells: list[Line]) -> list[Entry]:
    """Entries of Word tables: "1-B" in a cell, or a number with its letters beside or below."""
    texts: dict[tuple[int, int, int], list[str]] = {}
    paragraphs: dict[tuple[int, int, int], int] = {}
    for line in cells:
        texts.setdefault(line.cell, []).append(line.text)
        paragraphs.setdefault(line.cell, line.paragraph)
    grid = {cell: (" ".join(parts).strip(), paragraphs[cell]) for cell, parts in texts.items()}
    entries: list[Entry] = []
    for (table, row, column), (text, paragraph) in grid.items():
        if found := entries_in(text):
            entries += [(number, chosen, paragraph) for number, chosen in found]
            continue
        number = _NUMBER.fullmatch(text)
        if number is None:
            continue
        # Beside for a table of rows "1 | B", below for one of columns "1 2 3 / B A C".
        for place in ((table, row, column + 1), (table, row + 1, column)):
            beside, where = grid.get(place, ("", 0))
            if _ONLY_LETTERS.fullmatch(beside):
                entries.append((int(number[1]), _indices(beside), where))
                break
    return entries


def apply(entries: list[Entry], questions: list[Question]) -> list[ImportIssue]:
    """Give each question its entry; issues for entries that name no question or one twice."""
    by_number: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        by_number[question.number].append(question)
    given: dict[int, list[int]] = {}
    issues: list[ImportIssue] = []

    def issue(paragraph: int, message: str) -> None:
        issues.append(ImportIssue(paragraph, "answer", message))

    for number, chosen, paragraph in entries:
        if number in given:
            if given[number] != chosen:
                issue(
                    paragraph,
                    _("The answer table gives question %(number)s twice.", number=number),
                )
            continue
        given[number] = chosen
        matching = by_number.get(str(number), [])
        if not matching:
            issue(
                paragraph,
                _(
                    "The answer table gives an answer for question %(number)s, but the paper "
                    "has no question %(number)s.",
                    number=number,
                ),
            )
        elif len(matching) > 1:
            issue(
                paragraph,
                _(
                    "The answer table cannot be used for question %(number)s: the paper has "
                    "more than one question %(number)s.",
                    number=number,
                ),
            )
        else:
            matching[0].table = (chosen, paragraph)
    return issues
