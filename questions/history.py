"""A version as lines of text, and the difference between two versions, for the history page."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import gettext as _

from questions.models import Level, QuestionType, QuestionVersion

LETTERS = "ABCDEFGH"


def version_lines(version: QuestionVersion) -> list[str]:
    """What a reviewer compares: every field that changes what participants see or score."""
    content = version.content
    lines = [
        _("Type: %(type)s", type=QuestionType(version.type).label),
        _("Question: %(text)s", text=content.get("stem", "")),
    ]
    for letter, option in zip(LETTERS, content.get("options", []), strict=False):
        mark = " ✓" if option.get("correct") else ""
        weight = (
            f" ({format_decimal(option['weight'])}%)" if option.get("weight") is not None else ""
        )
        lines.append(f"{letter}. {option['text']}{mark}{weight}")
    if "answer" in content:
        lines.append(_("Answer: %(answer)s", answer=_("True") if content["answer"] else _("False")))
    for accepted in content.get("accepted", []):
        lines.append(_("Accepted: %(text)s", text=accepted))
    if "value" in content:
        lines.append(
            _(
                "Number: %(value)s ± %(tolerance)s",
                value=format_decimal(content["value"]),
                tolerance=format_decimal(content.get("tolerance", 0)),
            )
        )
    for position, item in enumerate(content.get("items", []), start=1):
        lines.append(f"{position}. {item}")
    lines += [
        _("Explanation: %(text)s", text=content.get("explanation", "")),
        _("Level: %(level)s", level=Level(version.level).label),
        _(
            "Points: %(points)d · time: %(seconds)d s",
            points=version.points,
            seconds=version.time_limit_s,
        ),
        _(
            "Source: %(document)s %(section)s",
            document=version.source_document,
            section=version.source_section,
        ),
    ]
    return lines


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def difference(older: QuestionVersion | None, newer: QuestionVersion) -> list[DiffLine]:
    """Line by line, what `newer` changed from `older` (everything is added for the first)."""
    before = version_lines(older) if older else []
    after = version_lines(newer)
    lines = []
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
        if op == "equal":
            lines += [DiffLine("same", text) for text in before[a0:a1]]
            continue
        lines += [DiffLine("removed", text) for text in before[a0:a1]]
        lines += [DiffLine("added", text) for text in after[b0:b1]]
    return lines
