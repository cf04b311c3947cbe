"""Reading GIFT: blocks of lines, each a question, with Moodle's escapes and answer markers.

The reader works on the escaped text — markers are found with `gift.find` and friends, which
skip escaped characters — and unescapes each piece last, so an escaped `=` can never split an
answer. `// hoithi:` comments are put back into the record by `gift_meta`.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from contest.text import clean_line
from questions import content as question_content
from questions.formats import gift_meta, html_text
from questions.formats.base import ImportIssue, ParseResult, QuestionRecord, decode_text
from questions.formats.gift import (
    META_PREFIX,
    NAME,
    find,
    format_number,
    read_number,
    rfind,
    split_answers,
    split_feedback,
    unescape,
)

BLANK = "_____"  # what Moodle puts where a missing-word answer block was
TEXT_FORMATS = ("moodle", "html", "plain", "markdown")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)%")
CONTEXT = re.compile(r"\$\w+\$")  # $course$, $system$, $module$ … in a category path


def read_gift(data: bytes) -> ParseResult:
    """Every question of a GIFT file; issues for what the bank cannot hold, with their lines."""
    reader = _Reader()
    for block in _blocks(decode_text(data).split("\n")):
        reader.block(block)
    return reader.result


def _blocks(lines: list[str]):
    """Runs of non-blank lines, with their 1-based line numbers."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


class _Reader:
    """Reads blocks one after another; `categories` carries over like Moodle's $CATEGORY."""

    def __init__(self) -> None:
        self.result = ParseResult(format=NAME)
        self.categories: list[str] = []

    def issue(self, line: int, field: str, message: str) -> None:
        self.result.issues.append(ImportIssue(line, field, message))

    def block(self, lines: list[tuple[int, str]]) -> None:
        meta: tuple[int, str] | None = None
        body: list[tuple[int, str]] = []
        for number, line in lines:
            stripped = line.strip()
            if stripped.startswith("//"):
                comment = stripped[2:].strip()
                if comment.startswith(META_PREFIX) and not body:
                    meta = (number, comment[len(META_PREFIX) :])
                continue
            if not body and stripped.startswith("$CATEGORY:"):
                self.categories = _category_path(stripped[len("$CATEGORY:") :])
                continue
            body.append((number, line))
        if not body:
            return
        line = body[0][0]
        record = self.question("\n".join(text for _number, text in body), line)
        if record is None:
            return
        if meta is not None:
            self.apply_meta(record, *meta)
        self.result.records.append(record)

    def question(self, text: str, line: int) -> QuestionRecord | None:
        text = text.strip()
        title = ""
        if text.startswith("::"):
            end = find(text, "::", 2)
            if end < 0:
                self.issue(line, "title", _("The title is not closed with “::”."))
                return None
            title = clean_line(unescape(text[2:end]))
            text = text[end + 2 :].strip()
        start, end = find(text, "{"), find(text, "}")
        if start < 0 and end < 0:
            self.issue(line, "answers", _("Text without an answer block “{…}” is not a question."))
            return None
        if start < 0 or end < start:
            self.issue(
                line, "answers", _("The braces “{” and “}” of the answer block do not match.")
            )
            return None
        after = text[end + 1 :]
        if find(after, "{") >= 0 or find(after, "}") >= 0:
            self.issue(line, "answers", _("A question can have only one answer block “{…}”."))
            return None
        # An answer block in the middle of the sentence is a missing word: Moodle puts a blank.
        stem_raw = text[:start] + (BLANK + after if after.strip() else "")
        text_format = _format_prefix(stem_raw, "moodle")[0]
        stem = _text(stem_raw)
        answers = text[start + 1 : end]
        explanation = ""
        general = rfind(answers, "####")
        if general >= 0:
            explanation = _text(answers[general + 4 :], text_format)
            answers = answers[:general]
        content = self.content(answers.strip(), text_format, line)
        if content is None:
            return None
        feedback = content.pop("_feedback", [])
        parts = [part for part in [explanation, *feedback] if part]
        content = {"type": content.pop("type"), "stem": stem, **content}
        content["explanation"] = "\n\n".join(dict.fromkeys(parts))
        return QuestionRecord(
            content=content, line=line, title=title, categories=list(self.categories)
        )

    def content(self, answers: str, text_format: str, line: int) -> dict | None:
        """The type-specific part of the content; `_feedback` collects answer feedback that the
        type has no place for, which goes to the explanation."""
        if not answers:
            return {"type": "open"}
        if answers.startswith("#"):
            return self.numeric(answers[1:], text_format, line)
        if find(answers, "~") >= 0:
            return self.choice(answers, text_format)
        if find(answers, "=") >= 0 and find(answers, "->") >= 0:
            # Left out, and said so in the preview; the rest of the file can still be imported.
            message = _("Matching questions (“->”) cannot be held by the question bank: left out.")
            self.result.issues.append(ImportIssue(line, "answers", message, warning=True))
            return None
        head, rest = split_feedback(answers)
        if head.strip().upper() in TRUE_FALSE:
            # {T#feedback if wrong#feedback if right}: both are shown after answering.
            feedback = [_text(part, text_format) for _mark, part in split_answers(rest, "#")]
            return {
                "type": "true_false",
                "answer": TRUE_FALSE[head.strip().upper()],
                "_feedback": feedback,
            }
        return self.short_text(answers, text_format, line)

    def choice(self, answers: str, text_format: str) -> dict:
        options, weighted, equals = [], False, 0
        for marker, piece in split_answers(answers, "~="):
            piece = piece.strip()
            if not marker and not piece:
                continue
            weight: int | float | None = 100 if marker == "=" else None
            equals += marker == "="
            match = WEIGHT.match(piece)
            if match and read_number(match.group(1)) is not None:
                weight, weighted = read_number(match.group(1)), True
                piece = piece[match.end() :]
            text, feedback = split_feedback(piece)
            option: dict[str, Any] = {"text": clean_line(_text(text, text_format))}
            option["correct"] = weight is not None and weight > 0
            if feedback.strip():
                option["feedback"] = _text(feedback, text_format)
            option["weight"] = weight
            options.append(option)
        if not weighted and equals == 1:
            for option in options:
                del option["weight"]
            return {"type": "single", "options": options}
        # Several right answers, or percentages: Moodle's "multiple answers" question.
        for option in options:
            if not weighted or option["weight"] is None:
                del option["weight"]
        return {
            "type": "multiple",
            "options": options,
            "scoring": "partial" if weighted else "all_or_nothing",
        }

    def short_text(self, answers: str, text_format: str, line: int) -> dict:
        accepted, feedback = [], []
        for _marker, piece in split_answers(answers, "="):
            weight, text, note = self.weighted(piece, text_format)
            if not text and not note:
                continue
            if weight >= 100:
                accepted.append(text)
                feedback.append(note)
            elif weight > 0:
                self.partial_credit(line, text, weight)
        return {"type": "short_text", "accepted": accepted, "_feedback": feedback}

    def numeric(self, answers: str, text_format: str, line: int) -> dict | None:
        wrong = find(answers, "~")  # feedback for any other answer: the bank has no place for it
        if wrong >= 0:
            answers = answers[:wrong]
        found: list[tuple[int | float, int | float, str]] = []
        for _marker, piece in split_answers(answers, "="):
            weight, text, note = self.weighted(piece, text_format)
            if not text or text == "*" or weight <= 0:
                continue
            number = self.number_answer(text, line)
            if number is None:
                return None
            if weight < 100:
                self.partial_credit(line, text, weight)
            elif found:
                self.issue(
                    line,
                    "value",
                    _(
                        "Only one correct number can be kept; “%(answer)s” was left out.",
                        answer=text,
                    ),
                )
            else:
                found.append((*number, note))
        if not found:
            self.issue(line, "value", _("No number is given as the full-credit answer."))
            return None
        value, tolerance, note = found[0]
        return {"type": "numeric", "value": value, "tolerance": tolerance, "_feedback": [note]}

    def number_answer(self, text: str, line: int) -> tuple[int | float, int | float] | None:
        """'3:2' -> (3, 2); '1..5' -> (3, 2), the middle and half the width; '1822' -> (1822, 0)."""
        if text.find("..") > 0:
            value = tolerance = None
            low, high = text.split("..", 1)
            if read_number(low) is not None and read_number(high) is not None:
                # Decimal arithmetic: 3.141..3.142 gives 3.1415 ± 0.0005, not 3.1414999…
                low_d, high_d = Decimal(low.strip()), Decimal(high.strip())
                value, tolerance = float((low_d + high_d) / 2), float((high_d - low_d) / 2)
                if value.is_integer() and isinstance(read_number(low), int):
                    value = int(value)
                if tolerance.is_integer():
                    tolerance = int(tolerance)
        elif text.find(":") > 0:
            value, tolerance = (read_number(part) for part in text.split(":", 1))
        else:
            value, tolerance = read_number(text), 0
        if not (question_content.is_number(value) and question_content.is_number(tolerance)):
            self.issue(
                line,
                "value",
                _("“%(text)s” is not a number; write numbers like 1822 or 99.7.", text=text),
            )
            return None
        return value, tolerance

    def weighted(self, piece: str, text_format: str) -> tuple[float, str, str]:
        """An answer of a short-answer or numeric question: (percent of the points, text, note)."""
        piece = piece.strip()
        weight: int | float = 100
        match = WEIGHT.match(piece)
        if match and read_number(match.group(1)) is not None:
            weight = read_number(match.group(1))
            piece = piece[match.end() :]
        text, note = split_feedback(piece)
        return weight, clean_line(_text(text, text_format)), _text(note, text_format)

    def partial_credit(self, line: int, answer: str, weight: float) -> None:
        # The rest of the question imports: a warning, not a refusal of the whole file.
        message = _(
            "The answer “%(answer)s” earns only part of the points (%(weight)s of 100); "
            "the question bank scores an answer right or wrong, so it was left out.",
            answer=answer,
            weight=format_number(weight),
        )
        self.result.issues.append(ImportIssue(line, "answers", message, warning=True))

    def apply_meta(self, record: QuestionRecord, line: int, raw: str) -> None:
        try:
            meta = json.loads(raw)
        except (ValueError, RecursionError):
            meta = None
        if not isinstance(meta, dict):
            self.issue(line, "hoithi", _("The “// hoithi:” comment is not a JSON object."))
            return
        for key, value in meta.items():
            if not gift_meta.apply(record, key, value):
                self.issue(
                    line,
                    "hoithi",
                    _("In the “// hoithi:” comment, “%(key)s” has a wrong value.", key=key),
                )


def _format_prefix(raw: str, default: str) -> tuple[str, str]:
    """'[html]<p>x</p>' -> ('html', '<p>x</p>'); text without a known prefix keeps `default`."""
    raw = raw.strip()
    if raw.startswith("["):
        end = raw.find("]")
        if end > 0 and raw[1:end] in TEXT_FORMATS:
            return raw[1:end], raw[end + 1 :]
    return default, raw


def _text(raw: str, default: str = "moodle") -> str:
    """A piece of GIFT as stored Markdown: format prefix read, escapes resolved, HTML flattened."""
    text_format, raw = _format_prefix(raw, default)
    text = unescape(raw).strip()
    if text_format != "html":
        return text
    # The same sanitiser and layout as Moodle XML's HTML, but bare words, not Markdown: GIFT's
    # [html] has always been flattened (docs/formats/gift.md), and GIFT texts keep a typed `*`
    # or `_` as it is where Markdown mode would escape it. List items keep their "- " or "1. ",
    # which still make a list in a stem. Pictures go without a word, as they always did here.
    flattened, _dropped_images = html_text.convert(text, markdown=False, list_markers=True)
    return flattened


def _category_path(text: str) -> list[str]:
    """'$course$/top/A/B//C' -> ['A', 'B/C']: Moodle's context and root dropped, '//' is '/'."""
    parts = [clean_line(part.replace("\0", "/")) for part in text.replace("//", "\0").split("/")]
    if parts and CONTEXT.fullmatch(parts[0]):
        parts = parts[1:]
        if parts and parts[0] == "top":
            parts = parts[1:]
    return [part for part in parts if part]
