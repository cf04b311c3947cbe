"""Text as stored and as searched, the same for every domain package."""

import pytest

from contest.text import clean_line, fold


@pytest.mark.parametrize(
    "typed, searched",
    [
        ("Chỉ thị 05-CT/TW", "chi thi 05-ct/tw"),
        ("ĐẢNG ỦY  khối", "dang uy khoi"),
        ("Tỉnh ủy Hậu Giang", "tinh uy hau giang"),
        ("", ""),
    ],
)
def test_search_ignores_diacritics_d_bar_case_and_spacing(typed, searched):
    assert fold(typed) == searched


def test_the_same_name_typed_with_decomposed_accents_is_stored_the_same():
    composed = "Chi bộ ấp 1"
    decomposed = "Chi bo\u0302\u0323  a\u0302\u0301p\t1 "
    assert clean_line(decomposed) == composed


def test_control_characters_and_odd_spaces_become_single_spaces():
    assert clean_line("Đảng bộ\u00a0phường\x0bI") == "Đảng bộ phường I"
    assert clean_line(None) == "" and clean_line(1200) == "1200"


def test_the_fast_character_tables_match_unicode_categories():
    # clean_line must turn exactly the control characters and space separators into spaces.
    import sys
    import unicodedata

    from contest import text

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in ("Cc", "Zs"):
            assert clean_line(f"a{char}b") == "a b", hex(code)
        elif text._CONTROLS_SPLIT_KEEPS.match(char):
            raise AssertionError(f"{code:#x} is not a control character")
    # fold's fast path removes only nonspacing marks, and skips the slow path only for text
    # that holds none.
    assert all(unicodedata.category(chr(code)) == "Mn" for code in range(0x300, 0x370))
    hidden = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Mn" and not text._MAYBE_MARK.match(chr(code))
    ]
    assert hidden == []


@pytest.mark.parametrize(
    "typed",
    [
        "Tiếng Việt có dấu ở mọi chữ",
        "x\u0301\u0952 Devanagari mark",
        "Ωμέγα ἀρχή",
        "Ｆｕｌｌ width",
    ],
)
def test_fold_equals_the_character_by_character_definition(typed):
    import unicodedata

    text = typed.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    slow = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    assert fold(typed) == " ".join(slow.casefold().split())
