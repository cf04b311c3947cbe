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
before the question: Moodle ignores comment lines and this reader reads it back (`gift_meta`).
The mapping is described in docs/formats/gift.md.

Special characters are handled like Moodle does: `\\~ \\= \\# \\{ \\} \\:` are literal characters,
`\\\\` is a backslash and `\\n` a line break. The reader (`gift_read`) works on the escaped text
and unescapes each piece last, so an escaped `=` can never split an answer. This module holds the
contract and what reader and writer (`gift_write`) share: escapes and numbers, so that what the
writer prints the reader reads back.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from questions import content as question_content
from questions.formats.base import ExportResult, ParseResult, QuestionRecord

NAME = "gift"
EXTENSIONS = (".gift", ".txt")
LABEL = _l("GIFT (Moodle)")

META_PREFIX = "hoithi:"
ESCAPED = "~=#{}:"
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def sniff(data: bytes) -> bool:
    """True when the text has a GIFT answer block, a ::title:: or a $CATEGORY line."""
    # A cut multi-byte character or an old encoding still sniffs: read() then explains.
    text = data[:65536].decode("utf-8-sig", errors="replace")
    return bool(
        re.search(r"\{\s*(?:[~=#]|(?:T|F|TRUE|FALSE)\s*[#}])", text)
        or re.search(r"(?m)^\s*::[^\n]*::", text)
        or re.search(r"(?m)^\s*\$CATEGORY:", text)
    )


# The reader and writer import the helpers below, so they are imported when first used.


def read(data: bytes) -> ParseResult:
    """Every question of a GIFT file; issues for what the bank cannot hold, with their lines."""
    from questions.formats.gift_read import read_gift

    return read_gift(data)


def write(records: list[QuestionRecord]) -> ExportResult:
    """GIFT that Moodle imports; ordering questions (no GIFT type) are skipped with a reason."""
    from questions.formats.gift_write import write_gift

    return write_gift(records)


# ---- escaped text -----------------------------------------------------------------------------


def escape(text: str) -> str:
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


def unescape(text: str) -> str:
    # A regular expression, not a loop over characters: 14 MB of GIFT took seconds that way.
    return _ESCAPE_PAIR.sub(_unescape_pair, text) if "\\" in text else text


def positions(text: str, target: str):
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


def find(text: str, target: str, start: int = 0) -> int:
    for position in positions(text[start:], target):
        return start + position
    return -1


def rfind(text: str, target: str) -> int:
    last = -1
    for position in positions(text, target):
        last = position
    return last


def split_answers(text: str, markers: str) -> list[tuple[str, str]]:
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


def split_feedback(text: str) -> tuple[str, str]:
    at = find(text, "#")
    return (text, "") if at < 0 else (text[:at], text[at + 1 :])


# ---- numbers ----------------------------------------------------------------------------------


def read_number(text: str) -> int | float | None:
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


def format_number(value: int | float) -> str:
    # repr keeps every float exactly ('1e+300', '17.0'); a dot or exponent marks it as a float.
    return str(value) if isinstance(value, int) else repr(float(value))
