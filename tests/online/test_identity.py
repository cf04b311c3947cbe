"""National IDs kept as a keyed hash and four digits; ages in full years for a minimum age."""

import hashlib
import hmac
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from online.identity import (
    age_on,
    eligible,
    hash_national_id,
    mask_national_id,
    normalise_national_id,
)

SECRET = "khoa-bi-mat-cua-ung-dung"
CCCD = "001203004567"  # the shape of a CCCD: province 001 (Hà Nội), then 9 digits


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (CCCD, CCCD),
        ("001 203 004 567", CCCD),
        ("001.203.004.567", CCCD),
        ("001-203-004-567", CCCD),
        (" 001203004567 ", CCCD),
        ("００１２０３００４５６７", CCCD),  # full-width digits
        ("123456789", "123456789"),  # an old 9-digit CMND
        ("012 345 678", "012345678"),
    ],
)
def test_a_cccd_or_an_old_cmnd_is_kept_as_its_digits_with_leading_zeros(typed, stored):
    assert normalise_national_id(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345678",  # 8 digits
        "1234567890",  # 10: a CCCD that lost its leading zeros in a spreadsheet
        "12345678901",
        "0012030045678",  # 13
        "00120300456a",
        "٠٠١٢٠٣٠٠٤٥٦٧",  # digits of another script
        "001/203/004/567",
        None,
        1203004567,  # a number: its leading zeros are already gone
    ],
)
def test_other_lengths_letters_and_numbers_instead_of_text_are_refused(typed):
    assert normalise_national_id(typed) is None


def test_the_hash_is_hmac_sha256_of_the_digits_keyed_with_the_secret():
    expected = hmac.new(SECRET.encode(), CCCD.encode(), hashlib.sha256).hexdigest()
    assert hash_national_id(CCCD, SECRET) == expected
    assert len(expected) == 64 and CCCD not in expected


def test_the_same_id_typed_differently_gives_the_same_hash_so_duplicates_are_found():
    assert hash_national_id("001 203 004 567", SECRET) == hash_national_id(CCCD, SECRET)


def test_another_id_or_another_secret_gives_another_hash():
    assert hash_national_id("001203004568", SECRET) != hash_national_id(CCCD, SECRET)
    assert hash_national_id(CCCD, SECRET + "x") != hash_national_id(CCCD, SECRET)


def test_the_hash_is_not_the_plain_unkeyed_hash_that_anyone_could_recompute():
    assert hash_national_id(CCCD, SECRET) != hashlib.sha256(CCCD.encode()).hexdigest()


def test_hashing_an_invalid_id_or_without_a_secret_is_refused_without_repeating_the_id():
    with pytest.raises(ValueError) as raised:
        hash_national_id("00120300456", SECRET)
    assert "00120300456" not in str(raised.value)
    with pytest.raises(ValueError):
        hash_national_id(CCCD, "")


def test_the_mask_shows_only_the_last_four_digits():
    assert mask_national_id(CCCD) == "********4567"
    assert mask_national_id("001 203 004 567") == "********4567"
    assert mask_national_id("123456789") == "*****6789"


def test_masking_an_invalid_id_is_refused_without_repeating_it():
    with pytest.raises(ValueError) as raised:
        mask_national_id("0012030045")
    assert "0012030045" not in str(raised.value)


# ---- ages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2010, 5, 13), date(2024, 5, 13), 14),  # the 14th birthday itself
        (date(2010, 5, 14), date(2024, 5, 13), 13),  # one day short
        (date(2010, 12, 31), date(2024, 1, 1), 13),
        (date(2024, 5, 13), date(2024, 5, 13), 0),
        (date(2008, 2, 29), date(2022, 2, 28), 13),  # no 29 February in 2022: not yet
        (date(2008, 2, 29), date(2022, 3, 1), 14),
        (date(2008, 2, 29), date(2024, 2, 29), 16),
        (date(1890, 5, 19), date(1911, 6, 5), 21),  # Bác Hồ on 5 June 1911
    ],
)
def test_age_counts_full_years(born, day, age):
    assert age_on(born, day) == age


def test_a_birth_date_after_the_day_is_refused_by_age_and_not_eligible():
    with pytest.raises(ValueError):
        age_on(date(2024, 5, 14), date(2024, 5, 13))
    assert not eligible(date(2024, 5, 14), date(2024, 5, 13), 0)


def test_eligible_from_the_birthday_on_which_the_minimum_age_is_reached():
    assert eligible(date(2010, 5, 13), date(2024, 5, 13), 14)
    assert not eligible(date(2010, 5, 14), date(2024, 5, 13), 14)
    assert eligible(date(1960, 1, 1), date(2024, 5, 13), 0)


def naive_age(born: date, day: date) -> int:
    """Count birthdays one by one; a 29 February birthday falls on 1 March in common years."""
    years = 0
    while True:
        year = born.year + years + 1
        try:
            birthday = born.replace(year=year)
        except ValueError:
            birthday = date(year, 3, 1)
        if birthday > day:
            return years
        years += 1


@given(
    st.dates(date(1900, 1, 1), date(2030, 12, 31)), st.integers(0, 120 * 366), st.integers(0, 120)
)
def test_age_and_eligibility_agree_with_counting_birthdays(born, days, minimum):
    day = born + timedelta(days=days)
    assert age_on(born, day) == naive_age(born, day)
    assert eligible(born, day, minimum) == (naive_age(born, day) >= minimum)
