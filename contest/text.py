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
