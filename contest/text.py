"""Text folding for search that ignores Vietnamese diacritics, đ/Đ, case and extra spaces.

Both functions run over every text of an import (10,000 questions: millions of characters), so
they avoid a Python-level loop per character: the work is done by str.translate and regular
expressions in C, and the per-character path is kept only for the rare text that needs it.
"""

import re
import unicodedata

# Unicode's Combining Diacritical Marks block: every one is a nonspacing mark (Mn), and it holds
# all the marks Vietnamese decomposes into (grave, acute, tilde, hook, dot below, circumflex,
# breve, horn).
_COMBINING_DIACRITICS = re.compile("[\u0300-\u036f]+")
# Outside these ranges a nonspacing mark may hide (tests/app/test_text.py checks that none is
# inside): Latin, Greek, general punctuation, currency, letterlike symbols, arrows, maths, boxes,
# CJK punctuation, full-width forms. Typical Vietnamese text, curly quotes and dashes included,
# never leaves them, so it never takes the slow path.
_NO_MARKS = "\x00-\u02ff\u0370-\u0482\u2000-\u20cf\u2100-\u2bff\u3000-\u3029\uff00-\uffef"
_MAYBE_MARK = re.compile(f"[^{_NO_MARKS}]")

# clean_line turns control characters (Cc) and space separators (Zs) into spaces, then splits on
# whitespace. str.split already splits on every Zs and on most Cc; these are the Cc it keeps
# (tests/app/test_text.py checks the whole definition against unicodedata).
_CONTROLS_SPLIT_KEEPS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def fold(text: str | None) -> str:
    """'Chỉ thị  05' -> 'chi thi 05'; 'Đảng ủy' -> 'dang uy'."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = _COMBINING_DIACRITICS.sub("", unicodedata.normalize("NFD", text))
    if _MAYBE_MARK.search(stripped):  # marks of other scripts, outside the block above
        stripped = "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())


def clean_line(value: object) -> str:
    """The one stored form of a line of text: NFC, no control characters, single spaces.

    Some Vietnamese keyboards send decomposed diacritics; without NFC the same name typed
    twice would look different to a uniqueness check.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if _CONTROLS_SPLIT_KEEPS.search(text):
        text = _CONTROLS_SPLIT_KEEPS.sub(" ", text)
    return " ".join(text.split())
