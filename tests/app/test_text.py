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
