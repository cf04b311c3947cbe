"""GIFT, Moodle's plain-text question format: read and write.

One question per block of lines (blocks are separated by blank lines):

    // hoithi: {"level": "recall", "points": 10}
    ::title::[markdown]Question text{
        =right answer#feedback
        ~wrong answer
        ####explanation
    }

What GIFT has no syntax for (level, points, time, themes, tags, source, the key, and content
details such as the unit of a number) travels in ONE `// hoithi: {JSON}` comment line directly
before the question: Moodle ignores comment lines and this reader reads it back. The mapping is
described in docs/formats/gift.md.

Special characters are handled like Moodle does: `\\~ \\= \\# \\{ \\} \\:` are literal characters,
`\\\\` is a backslash and `\\n` a line break. The reader works on the escaped text and unescapes
each piece last, so an escaped `=` can never split an answer.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from typing import Any

import nh3
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
    decode_text,
)

NAME = "gift"
EXTENSIONS = (".gift", ".txt")
LABEL = _l("GIFT (Moodle)")

BLANK = "_____"  # what Moodle puts where a missing-word answer block was
TEXT_FORMATS = ("moodle", "html", "plain", "markdown")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
META_PREFIX = "hoithi:"
ESCAPED = "~=#{}:"
WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)%")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
CONTEXT = re.compile(r"\$\w+\$")  # $course$, $system$, $module$ … in a category path


# ---- escaped text -----------------------------------------------------------------------------


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in ESCAPED:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


_ESCAPE_PAIR = re.compile(r"\\(.)", re.DOTALL)


def _unescape_pair(match: re.Match) -> str:
    following = match.group(1)
    if following == "\\" or following in ESCAPED:
        return following
    if following == "n":
        return "\n"
    return match.group(0)  # not a GIFT escape: Moodle keeps the backslash


def _unescape(text: str) -> str:
    # A regular expression, not a loop over characters: 14 MB of GIFT took seconds that way.
    return _ESCAPE_PAIR.sub(_unescape_pair, text) if "\\" in text else text


def _positions(text: str, target: str):
    """Where `target` starts outside escapes (a backslash hides the character after it)."""
    if "\\" not in text:  # the common case: nothing escaped
        start = text.find(target)
        while start >= 0:
            yield start
            start = text.find(target, start + 1)
        return
    # An escape pair is skipped whole; the look-ahead finds overlapping targets like the
    # character-by-character scan it replaces.
    for match in re.finditer(r"\\.|(?=" + re.escape(target) + ")", text, re.DOTALL):
        if not match.group():
            yield match.start()


def _find(text: str, target: str, start: int = 0) -> int:
    for position in _positions(text[start:], target):
        return start + position
    return -1


def _rfind(text: str, target: str) -> int:
    last = -1
    for position in _positions(text, target):
        last = position
    return last


def _split_answers(text: str, markers: str) -> list[tuple[str, str]]:
    """'~a =b' -> [('', ''), ('~', 'a '), ('=', 'b')]: each answer with the marker before it."""
    pieces, marker, start = [], "", 0
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in markers:
            pieces.append((marker, text[start:i]))
            marker, start = text[i], i + 1
        i += 1
    pieces.append((marker, text[start:]))
    return pieces


def _split_feedback(text: str) -> tuple[str, str]:
    at = _find(text, "#")
    return (text, "") if at < 0 else (text[:at], text[at + 1 :])


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
    text = _unescape(raw).strip()
    return _html_to_text(text) if text_format == "html" else text


def _html_to_text(text: str) -> str:
    """HTML as plain text: no tags survive (nh3 with none allowed); <br> and <p> keep lines."""
    text = " ".join(text.split())  # newlines in HTML source are just spaces
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)</(p|div|li|h\d)\s*>", "\n\n", text)
    text = re.sub(r"(?i)<li(\s[^>]*)?>", "- ", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _number(text: str) -> int | float | None:
    """'1822' -> 1822, '3.14' -> 3.14; None for anything else (including '99,7', 'inf')."""
    text = text.strip()
    if not NUMBER.fullmatch(text):
        return None
    try:
        value = int(text) if text.lstrip("+-").isdigit() else float(text)
        float(value)  # an integer too big for a float would break every later check
    except (ValueError, OverflowError):
        return None
    return value if question_content.is_number(value) else None


def _format_number(value: int | float) -> str:
    # repr keeps every float exactly ('1e+300', '17.0'); a dot or exponent marks it as a float.
    return str(value) if isinstance(value, int) else repr(float(value))


# ---- reading ----------------------------------------------------------------------------------


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
            end = _find(text, "::", 2)
            if end < 0:
                self.issue(line, "title", _("The title is not closed with “::”."))
                return None
            title = clean_line(_unescape(text[2:end]))
            text = text[end + 2 :].strip()
        start, end = _find(text, "{"), _find(text, "}")
        if start < 0 and end < 0:
            self.issue(line, "answers", _("Text without an answer block “{…}” is not a question."))
            return None
        if start < 0 or end < start:
            self.issue(
                line, "answers", _("The braces “{” and “}” of the answer block do not match.")
            )
            return None
        after = text[end + 1 :]
        if _find(after, "{") >= 0 or _find(after, "}") >= 0:
            self.issue(line, "answers", _("A question can have only one answer block “{…}”."))
            return None
        # An answer block in the middle of the sentence is a missing word: Moodle puts a blank.
        stem_raw = text[:start] + (BLANK + after if after.strip() else "")
        text_format = _format_prefix(stem_raw, "moodle")[0]
        stem = _text(stem_raw)
        answers = text[start + 1 : end]
        explanation = ""
        general = _rfind(answers, "####")
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
        if _find(answers, "~") >= 0:
            return self.choice(answers, text_format)
        if _find(answers, "=") >= 0 and _find(answers, "->") >= 0:
            # Left out, and said so in the preview; the rest of the file can still be imported.
            message = _("Matching questions (“->”) cannot be held by the question bank: left out.")
            self.result.issues.append(ImportIssue(line, "answers", message, warning=True))
            return None
        head, rest = _split_feedback(answers)
        if head.strip().upper() in TRUE_FALSE:
            # {T#feedback if wrong#feedback if right}: both are shown after answering.
            feedback = [_text(part, text_format) for _mark, part in _split_answers(rest, "#")]
            return {
                "type": "true_false",
                "answer": TRUE_FALSE[head.strip().upper()],
                "_feedback": feedback,
            }
        return self.short_text(answers, text_format, line)

    def choice(self, answers: str, text_format: str) -> dict:
        options, weighted, equals = [], False, 0
        for marker, piece in _split_answers(answers, "~="):
            piece = piece.strip()
            if not marker and not piece:
                continue
            weight: int | float | None = 100 if marker == "=" else None
            equals += marker == "="
            match = WEIGHT.match(piece)
            if match and _number(match.group(1)) is not None:
                weight, weighted = _number(match.group(1)), True
                piece = piece[match.end() :]
            text, feedback = _split_feedback(piece)
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
        for _marker, piece in _split_answers(answers, "="):
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
        wrong = _find(answers, "~")  # feedback for any other answer: the bank has no place for it
        if wrong >= 0:
            answers = answers[:wrong]
        found: list[tuple[int | float, int | float, str]] = []
        for _marker, piece in _split_answers(answers, "="):
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
            if _number(low) is not None and _number(high) is not None:
                # Decimal arithmetic: 3.141..3.142 gives 3.1415 ± 0.0005, not 3.1414999…
                low_d, high_d = Decimal(low.strip()), Decimal(high.strip())
                value, tolerance = float((low_d + high_d) / 2), float((high_d - low_d) / 2)
                if value.is_integer() and isinstance(_number(low), int):
                    value = int(value)
                if tolerance.is_integer():
                    tolerance = int(tolerance)
        elif text.find(":") > 0:
            value, tolerance = (_number(part) for part in text.split(":", 1))
        else:
            value, tolerance = _number(text), 0
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
        if match and _number(match.group(1)) is not None:
            weight = _number(match.group(1))
            piece = piece[match.end() :]
        text, note = _split_feedback(piece)
        return weight, clean_line(_text(text, text_format)), _text(note, text_format)

    def partial_credit(self, line: int, answer: str, weight: float) -> None:
        # The rest of the question imports: a warning, not a refusal of the whole file.
        message = _(
            "The answer “%(answer)s” earns only part of the points (%(weight)s of 100); "
            "the question bank scores an answer right or wrong, so it was left out.",
            answer=answer,
            weight=_format_number(weight),
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
            if not _apply(record, key, value):
                self.issue(
                    line,
                    "hoithi",
                    _("In the “// hoithi:” comment, “%(key)s” has a wrong value.", key=key),
                )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# What each key of the hoithi comment may hold.
META_CHECKS = {
    "key": lambda value: isinstance(value, str),
    "level": lambda value: isinstance(value, str),
    "points": _is_int,
    "time_limit_s": _is_int,
    "themes": _is_texts,
    "tags": _is_texts,
    "source": lambda value: isinstance(value, dict) and _is_texts(list(value.values())),
    "scoring": lambda value: isinstance(value, str),
    "unweighted": lambda value: isinstance(value, bool),
    "correct": lambda value: isinstance(value, list) and all(_is_int(item) for item in value),
    "ignore_diacritics": lambda value: isinstance(value, bool),
    "unit": lambda value: isinstance(value, str),
    "guidance": lambda value: isinstance(value, str),
}
# Content keys the comment carries, and the one type each belongs to.
META_CONTENT = {
    "scoring": "multiple",
    "ignore_diacritics": "short_text",
    "unit": "numeric",
    "guidance": "open",
}


def _apply(record: QuestionRecord, key: str, value: Any) -> bool:
    """Put one key of the hoithi comment into the record; False when the value is unusable.

    Unknown keys are ignored: they would come from a newer writer.
    """
    if key not in META_CHECKS:
        return True
    if not META_CHECKS[key](value):
        return False
    content = record.content
    options = content.get("options", [])
    if key in META_CONTENT:
        if content["type"] == META_CONTENT[key]:
            content[key] = value
    elif key == "source":
        record.source_document = value.get("document", "")
        record.source_section = value.get("section", "")
        record.source_url = value.get("url", "")
    elif key == "unweighted":
        # The percentages were only written for Moodle: the question itself has no weights.
        for option in options if value else []:
            option.pop("weight", None)
    elif key == "correct":
        if not all(0 <= index < len(options) for index in value):
            return False
        for index, option in enumerate(options):
            option["correct"] = index in value
    else:
        setattr(record, key, list(value) if isinstance(value, list) else value)
    return True


def _category_path(text: str) -> list[str]:
    """'$course$/top/A/B//C' -> ['A', 'B/C']: Moodle's context and root dropped, '//' is '/'."""
    parts = [clean_line(part.replace("\0", "/")) for part in text.replace("//", "\0").split("/")]
    if parts and CONTEXT.fullmatch(parts[0]):
        parts = parts[1:]
        if parts and parts[0] == "top":
            parts = parts[1:]
    return [part for part in parts if part]


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


def read(data: bytes) -> ParseResult:
    """Every question of a GIFT file; issues for what the bank cannot hold, with their lines."""
    reader = _Reader()
    for block in _blocks(decode_text(data).split("\n")):
        reader.block(block)
    return reader.result


def sniff(data: bytes) -> bool:
    """True when the text has a GIFT answer block, a ::title:: or a $CATEGORY line."""
    # A cut multi-byte character or an old encoding still sniffs: read() then explains.
    text = data[:65536].decode("utf-8-sig", errors="replace")
    return bool(
        re.search(r"\{\s*(?:[~=#]|(?:T|F|TRUE|FALSE)\s*[#}])", text)
        or re.search(r"(?m)^\s*::[^\n]*::", text)
        or re.search(r"(?m)^\s*\$CATEGORY:", text)
    )


# ---- writing ----------------------------------------------------------------------------------


def write(records: list[QuestionRecord]) -> ExportResult:
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
    return ("[markdown]" if text.startswith(("[", "%")) else "") + _escape(text)


def _question(record: QuestionRecord, content: dict) -> str:
    lines = []
    meta = _metadata(record, content)
    if meta:
        lines.append("// hoithi: " + json.dumps(meta, ensure_ascii=False))
    head = f"::{_escape(record.title)}::" if record.title else ""
    head += "[markdown]" + _escape(content["stem"])
    general = "####" + _piece(content["explanation"]) if content["explanation"] else ""
    kind = content["type"]
    if kind in ("single", "multiple", "short_text"):
        lines.append(head + "{")
        lines += ["\t" + answer for answer in _answers(content)]
        if general:
            lines.append("\t" + general)
        lines.append("}")
    elif kind == "true_false":
        lines.append(head + "{" + ("TRUE" if content["answer"] else "FALSE") + general + "}")
    elif kind == "numeric":
        number = _format_number(content["value"]) + ":" + _format_number(content["tolerance"])
        lines.append(head + "{#" + number + general + "}")
    else:
        lines.append(head + "{" + general + "}")
    return "\n".join(lines)


def _answers(content: dict) -> list[str]:
    if content["type"] == "short_text":
        return ["=" + _piece(text) for text in content["accepted"]]
    answers = []
    for option, weight in zip(content["options"], _weights(content), strict=True):
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
    options = content["options"]
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


def _metadata(record: QuestionRecord, content: dict) -> dict[str, Any]:
    """What the hoithi comment carries: the record's fields and content GIFT cannot say."""
    meta: dict[str, Any] = {}
    if record.key is not None:
        meta["key"] = record.key
    for name in ("level", "points", "time_limit_s"):
        if getattr(record, name) is not None:
            meta[name] = getattr(record, name)
    for name in ("themes", "tags"):
        if getattr(record, name):
            meta[name] = list(getattr(record, name))
    source = {
        "document": record.source_document,
        "section": record.source_section,
        "url": record.source_url,
    }
    if any(source.values()):
        meta["source"] = {name: value for name, value in source.items() if value}
    kind = content["type"]
    if kind == "multiple":
        if content["scoring"] != "partial":
            meta["scoring"] = content["scoring"]
        options = content["options"]
        if not any("weight" in option for option in options):
            meta["unweighted"] = True
        weights = _weights(content)
        if [w is not None and w > 0 for w in weights] != [o["correct"] for o in options]:
            meta["correct"] = [index for index, option in enumerate(options) if option["correct"]]
    elif kind == "short_text" and content["ignore_diacritics"]:
        meta["ignore_diacritics"] = True
    elif kind == "numeric" and content.get("unit"):
        meta["unit"] = content["unit"]
    elif kind == "open" and content.get("guidance"):
        meta["guidance"] = content["guidance"]
    return meta
