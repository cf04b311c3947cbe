"""Text folding for search that ignores Vietnamese diacritics, đ/Đ, case and extra spaces."""

import unicodedata


def fold(text: str | None) -> str:
    """'Chỉ thị  05' -> 'chi thi 05'; 'Đảng ủy' -> 'dang uy'."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())


def clean_line(value: object) -> str:
    """The one stored form of a line of text: NFC, no control characters, single spaces.

    Some Vietnamese keyboards send decomposed diacritics; without NFC the same name typed
    twice would look different to a uniqueness check.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zs") else ch for ch in text)
    return " ".join(text.split())
