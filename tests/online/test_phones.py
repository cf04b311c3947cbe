"""Vietnamese mobile numbers: every usual way of writing one becomes the same stored text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from online.phones import mask, normalise


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "(+84) 912.345.678",
        "+84 (0) 912 345 678",
        "+84 0912 345 678",
        "84 0912 345 678",
        "0084 912 345 678",
        "  0912 345 678  ",
        "0912\u00a0345\u00a0678",  # no-break spaces from a copied web page
        "０９１２３４５６７８",  # full-width digits from some keyboards
        "912345678",  # what a spreadsheet keeps of 0912345678
    ],
)
def test_the_usual_ways_of_writing_a_mobile_number_give_one_stored_form(typed):
    assert normalise(typed) == "0912345678"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0321 234 567", "0321234567"),  # Viettel's 03x block
        ("0562 345 678", "0562345678"),  # 05x
        ("0778 123 456", "0778123456"),  # 07x
        ("0849 123 456", "0849123456"),  # 084 is a block of its own, not the country code
        ("849 123 456", "0849123456"),
        ("84 849 123 456", "0849123456"),
        ("0987654321", "0987654321"),
    ],
)
def test_every_mobile_block_is_accepted(typed, stored):
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "024 3825 1234",  # a Hà Nội landline
        "028 3829 1234",  # a Hồ Chí Minh City landline
        "0243 825 123",  # 10 digits, but a landline prefix
        "0112345678",  # 01x is no longer a mobile block
        "0612345678",  # nor 06x
        "091234567",  # too short
        "09123456789",  # too long
        "0912 345 67a",  # a letter
        "O912345678",  # the letter O for a zero
        "+1 912 345 678",  # another country
        "+85 912 345 678",
        "+84 +912345678",
        "0912+345678",
        "09123456/78",
        "84 912 345 67",
        None,
        912345678,  # a number, not text: the caller must say where it came from
    ],
)
def test_landlines_wrong_lengths_letters_and_foreign_numbers_are_refused(typed):
    assert normalise(typed) is None


def test_mask_shows_the_first_two_and_the_last_three_digits():
    assert mask("0912345678") == "09xx xxx 678"
    assert mask("+84 987 654 321") == "09xx xxx 321"


def test_mask_refuses_what_is_not_a_number_without_repeating_it():
    with pytest.raises(ValueError) as raised:
        mask("024 3825 1234")
    assert "3825" not in str(raised.value)


mobile = st.builds(
    lambda second, rest: "0" + second + rest,
    st.sampled_from("35789"),
    st.text("0123456789", min_size=8, max_size=8),
)


@given(mobile, st.sampled_from([" ", ".", "-", ""]), st.sampled_from(["0", "+84", "84", "+84 0"]))
def test_any_mobile_number_survives_any_usual_formatting(number, separator, prefix):
    body = number[1:]
    typed = prefix + separator + separator.join([body[:3], body[3:6], body[6:]])
    assert normalise(typed) == number
    assert normalise(normalise(typed)) == number
    assert mask(typed) == number[:2] + "xx xxx " + number[-3:]


@given(st.text(max_size=20))
def test_whatever_is_typed_the_result_is_none_or_a_ten_digit_mobile_number(text):
    result = normalise(text)
    if result is not None:
        assert len(result) == 10 and result.isascii() and result.isdigit()
        assert result[:2] in {"03", "05", "07", "08", "09"}
