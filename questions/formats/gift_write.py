"""Writing GIFT that Moodle imports, and that `gift_read` reads back to the same questions.

Every text is written as `[markdown]` with GIFT's escapes; what GIFT cannot say goes into the
`// hoithi:` comment line before the question (`gift_meta`).
"""

from __future__ import annotations

import json

from flask_babel import gettext as _

from contest.text import clean_line
from questions import content as question_content
from questions.formats.base import ExportResult, QuestionRecord, Skipped
from questions.formats.gift import escape, format_number
from questions.formats.gift_meta import metadata


def write_gift(records: list[QuestionRecord]) -> ExportResult:
    """GIFT that Moodle imports; ordering questions (no GIFT type) are skipped with a reason."""
    blocks: list[str] = []
    skipped: list[Skipped] = []
    categories: list[str] = []
    for index, record in enumerate(records):
        stem = clean_line(record.content.get("stem")) if isinstance(record.content, dict) else ""
        try:
            content = question_content.normalised(record.content)
        except question_content.InvalidContent as error:
            problem = question_content.describe(error.issues[0])
            skipped.append(
                Skipped(index, stem, _("The question is not valid: %(problem)s", problem=problem))
            )
            continue
        reason = _cannot_write(content)
        if reason:
            skipped.append(Skipped(index, stem, reason))
            continue
        if record.categories != categories:
            # "$course$/top" alone brings a reader back to "no category".
            path = "/".join(
                part.replace("/", "//") for part in ["$course$", "top", *record.categories]
            )
            blocks.append(f"$CATEGORY: {path}")
            categories = list(record.categories)
        blocks.append(_question(record, content))
    data = "\n\n".join(blocks) + "\n" if blocks else ""
    return ExportResult(data.encode("utf-8"), skipped)


def _cannot_write(content: dict) -> str:
    if content["type"] == "ordering":
        return _("GIFT has no question type for putting items in order.")
    if content["type"] == "short_text" and any("->" in text for text in content["accepted"]):
        return _("An accepted answer contains “->”, which GIFT reads as a matching question.")
    return ""


def _piece(text: str) -> str:
    """Text after a marker: a leading '[' or '%' would read as a format or a weight."""
    return ("[markdown]" if text.startswith(("[", "%")) else "") + escape(text)


def _question(record: QuestionRecord, content: dict) -> str:
    lines = []
    weights = _weights(content)
    meta = metadata(record, content, weights)
    if meta:
        lines.append("// hoithi: " + json.dumps(meta, ensure_ascii=False))
    head = f"::{escape(record.title)}::" if record.title else ""
    head += "[markdown]" + escape(content["stem"])
    general = "####" + _piece(content["explanation"]) if content["explanation"] else ""
    kind = content["type"]
    if kind in ("single", "multiple", "short_text"):
        lines.append(head + "{")
        lines += ["\t" + answer for answer in _answers(content, weights)]
        if general:
            lines.append("\t" + general)
        lines.append("}")
    elif kind == "true_false":
        lines.append(head + "{" + ("TRUE" if content["answer"] else "FALSE") + general + "}")
    elif kind == "numeric":
        number = format_number(content["value"]) + ":" + format_number(content["tolerance"])
        lines.append(head + "{#" + number + general + "}")
    else:
        lines.append(head + "{" + general + "}")
    return "\n".join(lines)


def _answers(content: dict, weights: list[float | None]) -> list[str]:
    if content["type"] == "short_text":
        return ["=" + _piece(text) for text in content["accepted"]]
    answers = []
    for option, weight in zip(content["options"], weights, strict=True):
        if content["type"] == "single":
            marker = "=" if option["correct"] else "~"
        else:
            marker = "~" if weight is None else f"~%{_format_weight(weight)}%"
        feedback = "#" + _piece(option["feedback"]) if option.get("feedback") else ""
        answers.append(marker + _piece(option["text"]) + feedback)
    return answers


def _weights(content: dict) -> list[float | None]:
    """The percentage written before each option of a multiple-answer question.

    Stored weights are written as they are. Without them the percentages are made for Moodle
    (each right option 100/k, each wrong one -100/k, or -100 under all-or-nothing) and the
    hoithi comment says `"unweighted": true` so that they are not read back as weights.
    """
    options = content.get("options", [])  # none for true/false, numeric, open …
    if content["type"] != "multiple":
        return [None] * len(options)
    if any("weight" in option for option in options):
        return [option.get("weight") for option in options]
    right = sum(option["correct"] for option in options)
    # Five decimals, as Moodle's own exports write 1/3: it matches Moodle's list of grades.
    share = round(100 / right, 5)
    wrong = -100 if content["scoring"] == "all_or_nothing" else -share
    return [share if option["correct"] else wrong for option in options]


def _format_weight(weight: float) -> str:
    return str(int(weight)) if float(weight).is_integer() else repr(float(weight))
