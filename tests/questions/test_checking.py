"""Answer checking with plain values: what each type of response earns."""

import pytest

from questions.checking import check, parse_number, same_text

SINGLE = {
    "type": "single",
    "stem": "?",
    "options": [
        {"text": "2011", "correct": False},
        {"text": "2016", "correct": True},
        {"text": "2021", "correct": False},
    ],
}


def multiple(scoring="all_or_nothing", weights=None):
    # Options 0, 1 and 2 are right; 3 and 4 are wrong.
    options = [{"text": t, "correct": t in "ABC"} for t in "ABCDE"]
    for option, weight in zip(options, weights or [], strict=False):
        if weight is not None:
            option["weight"] = weight
    return {"type": "multiple", "stem": "?", "options": options, "scoring": scoring}


def short_text(*accepted, ignore_diacritics=False):
    return {
        "type": "short_text",
        "stem": "?",
        "accepted": list(accepted),
        "ignore_diacritics": ignore_diacritics,
    }


def numeric(value, tolerance=0, **extra):
    return {"type": "numeric", "stem": "?", "value": value, "tolerance": tolerance, **extra}


ORDERING = {"type": "ordering", "stem": "?", "items": ["Học tập", "Làm theo", "Nêu gương"]}
TRUE_FALSE = {"type": "true_false", "stem": "?", "answer": False}

# Responses that are the wrong shape for every type: none may raise, all earn nothing.
GARBAGE = [None, "", "1", 1.0, True, [], [None], {"0": 1}, object(), [1, "2"], -1, 99]


# ---- single -----------------------------------------------------------------------------------


def test_single_choice_earns_everything_for_the_correct_index_and_nothing_otherwise():
    assert check(SINGLE, 1) == 1.0
    assert check(SINGLE, 0) == 0.0
    assert check(SINGLE, 2) == 0.0


@pytest.mark.parametrize("response", [*GARBAGE, 3, [1], "1", True, False])
def test_single_choice_malformed_responses_earn_nothing(response):
    assert check(SINGLE, response) == 0.0


# ---- multiple ---------------------------------------------------------------------------------


def test_all_or_nothing_needs_exactly_the_correct_options_in_any_order():
    content = multiple()
    assert check(content, [2, 0, 1]) == 1.0
    assert check(content, (0, 1, 2)) == 1.0
    assert check(content, [0, 1]) == 0.0
    assert check(content, [0, 1, 2, 3]) == 0.0
    assert check(content, []) == 0.0


def test_partial_without_weights_adds_and_subtracts_one_over_the_number_of_correct_options():
    content = multiple("partial")
    assert check(content, [0, 1, 2]) == 1.0
    assert check(content, [0]) == pytest.approx(1 / 3)
    assert check(content, [0, 1]) == pytest.approx(2 / 3)
    assert check(content, [0, 1, 3]) == pytest.approx(1 / 3)
    assert check(content, [0, 1, 2, 3]) == pytest.approx(2 / 3)


def test_partial_without_weights_never_goes_below_zero():
    content = multiple("partial")
    assert check(content, [3, 4]) == 0.0
    assert check(content, [0, 3, 4]) == 0.0
    assert check(content, []) == 0.0


def test_partial_with_weights_sums_the_chosen_weights_over_100():
    content = multiple("partial", [50, 30, 20, -40, -100])
    assert check(content, [0, 1, 2]) == 1.0
    assert check(content, [0]) == 0.5
    assert check(content, [1, 2]) == 0.5
    assert check(content, [0, 1, 3]) == pytest.approx(0.4)


def test_partial_with_weights_is_clamped_to_zero_and_one():
    content = multiple("partial", [60, 60, 60, -40, -100])
    assert check(content, [0, 1, 2]) == 1.0
    assert check(content, [0, 4]) == 0.0
    assert check(content, [3]) == 0.0


def test_an_option_without_a_weight_counts_nothing_when_others_have_weights():
    content = multiple("partial", [100, None, None, None, -50])
    assert check(content, [0, 1, 2, 3]) == 1.0
    assert check(content, [1, 2]) == 0.0
    assert check(content, [0, 4]) == 0.5


def test_weights_are_ignored_under_all_or_nothing():
    content = multiple("all_or_nothing", [100, 0, 0, 0, 0])
    assert check(content, [0]) == 0.0
    assert check(content, [0, 1, 2]) == 1.0


def test_thirds_of_weights_add_up_to_exactly_full_marks():
    content = multiple("partial", [33.3, 33.3, 33.4, 0, 0])
    assert check(content, [0, 1, 2]) == 1.0


@pytest.mark.parametrize("scoring", ["all_or_nothing", "partial"])
@pytest.mark.parametrize(
    "response", [*GARBAGE, [0, 0, 1, 2], [0, 1, 5], [0, 1, -1], [True, 1, 2], 1, "0,1,2"]
)
def test_multiple_choice_malformed_responses_earn_nothing(scoring, response):
    assert check(multiple(scoring), response) == 0.0


# ---- true / false -----------------------------------------------------------------------------


def test_true_false_earns_everything_only_for_the_same_boolean():
    assert check(TRUE_FALSE, False) == 1.0
    assert check(TRUE_FALSE, True) == 0.0
    assert check({**TRUE_FALSE, "answer": True}, True) == 1.0


@pytest.mark.parametrize("response", [*GARBAGE, 0, "false", "sai"])
def test_true_false_malformed_responses_earn_nothing(response):
    assert check(TRUE_FALSE, response) == 0.0


# ---- short text -------------------------------------------------------------------------------


def test_short_text_accepts_any_of_the_accepted_answers():
    content = short_text("Chỉ thị 05", "Chỉ thị số 05")
    assert check(content, "chỉ thị số 05") == 1.0
    assert check(content, "Chỉ thị 05.") == 1.0
    assert check(content, "Chỉ thị 06") == 0.0


def test_short_text_respects_the_ignore_diacritics_setting():
    assert check(short_text("Đảng bộ"), "dang bo") == 0.0
    assert check(short_text("Đảng bộ", ignore_diacritics=True), "dang bo") == 1.0


@pytest.mark.parametrize("response", [None, 5, ["Chỉ thị 05"], True, "", "   ", "..."])
def test_short_text_malformed_or_blank_responses_earn_nothing(response):
    assert check(short_text("Chỉ thị 05"), response) == 0.0


@pytest.mark.parametrize(
    "expected, given",
    [
        ("Chỉ thị", "CHỈ THỊ"),
        ("Chỉ thị", "  chỉ   thị "),
        ("Chỉ thị", "Chi\u0309 thi\u0323"),  # decomposed, as some keyboards send it
        ("Chỉ thị", "chỉ thị."),
        ("Chỉ thị", "chỉ thị!"),
        ("Chỉ thị", "chỉ thị?"),
        ("Chỉ thị", "“chỉ thị”"),
        ("Chỉ thị", '"chỉ thị."'),
        ("Chỉ thị", "'Chỉ thị'"),
        ("Đảng", "đảng"),
        ("Đảng", "ĐẢNG"),
        ("Hòa Bình", "Hoà Bình"),  # old and new tone placement
        ("Thúy", "Thuý"),
        ("Chỉ thị 05-CT/TW", "chỉ thị 05-ct/tw"),
        ("Chỉ\tthị", "chỉ thị"),
    ],
)
def test_same_text_forgives_case_spacing_encoding_quotes_and_closing_punctuation(expected, given):
    assert same_text(expected, given, ignore_diacritics=False)
    assert same_text(expected, given, ignore_diacritics=True)


@pytest.mark.parametrize(
    "expected, given",
    [
        ("Chỉ thị", "Chi thi"),
        ("Chỉ thị", "chi thị"),
        ("Đảng", "Dang"),
        ("Đảng", "Đang"),
        ("Hòa", "Hóa"),
        ("bộ", "bố"),
    ],
)
def test_without_ignore_diacritics_a_missing_or_different_mark_is_wrong(expected, given):
    assert not same_text(expected, given, ignore_diacritics=False)
    assert same_text(expected, given, ignore_diacritics=True)


@pytest.mark.parametrize(
    "expected, given",
    [
        ("Chỉ thị 05", "Chỉ thị 5"),
        ("Chỉ thị", "Chỉthị"),
        ("Học tập", "Học tập và làm theo"),
        ("Đảng", ""),
        ("Đảng", "   "),
        ("Đảng", "."),
        ("Đảng", None),
        ("Đảng", 5),
    ],
)
def test_same_text_still_tells_different_answers_apart(expected, given):
    assert not same_text(expected, given, ignore_diacritics=False)
    assert not same_text(expected, given, ignore_diacritics=True)


def test_inner_punctuation_is_not_forgiven():
    assert not same_text("Chỉ thị 05", "Chỉ thị. 05", True)
    assert same_text("Chỉ thị 05", "Chỉ thị 05 .", True)


# ---- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, readings",
    [
        ("99,7", [99.7]),
        ("99.7", [99.7]),
        ("2.594", [2594.0, 2.594]),
        ("7.171", [7171.0, 7.171]),
        ("1.200.000", [1200000.0]),
        ("1,5", [1.5]),
        ("1.234,5", [1234.5]),
        ("1,234.5", [1234.5]),
        (" 7 171 ", [7171.0]),
        ("7\u00a0171", [7171.0]),  # a no-break space, as spreadsheets copy it
        ("12 345 678", [12345678.0]),
        ("7 171,5", [7171.5]),
        ("7 171.5", [7171.5]),
        ("99,7%", [99.7]),
        ("99,7 %", [99.7]),
        ("-3", [-3.0]),
        ("−3", [-3.0]),  # the Unicode minus sign
        ("- 3,5", [-3.5]),
        ("+4", [4.0]),
        ("0", [0.0]),
        ("007", [7.0]),
        ("1,234", [1.234, 1234.0]),
        ("1.000", [1000.0, 1.0]),
        ("0.594", [0.594]),
        ("0,594", [0.594]),
        ("1,234,567", [1234567.0]),
        ("1.234.567,89", [1234567.89]),
        (".5", [0.5]),
        (",5", [0.5]),
        ("１２,５", [12.5]),  # full-width digits
        ("abc", []),
        ("", []),
        ("   ", []),
        ("1..2", []),
        ("1.2.3", []),
        ("1,2.3", []),
        ("1.23.456", []),
        ("12.34.567", []),
        ("1 2", []),
        ("5.", []),
        ("5,", []),
        (".", []),
        ("-", []),
        ("1e5", []),
        ("nan", []),
        ("inf", []),
        ("3 người", []),
        ("--3", []),
        ("1" * 65, []),
    ],
)
def test_parse_number_reads_a_typed_number_every_way_it_could_be_meant(typed, readings):
    assert parse_number(typed) == pytest.approx(readings)
    assert len(parse_number(typed)) == len(readings)


@pytest.mark.parametrize("value", [None, 99.7, 3, ["1"]])
def test_parse_number_reads_only_text(value):
    assert parse_number(value) == []


def test_numeric_is_right_when_any_reading_is_the_value():
    content = numeric(2594)
    assert check(content, "2.594") == 1.0
    assert check(content, "2594") == 1.0
    assert check(content, "2 594") == 1.0
    assert check(numeric(2.594), "2.594") == 1.0
    assert check(numeric(2.594), "2,594") == 1.0
    assert check(content, "2.595") == 0.0


def test_numeric_accepts_the_decimal_comma_and_the_decimal_point():
    content = numeric(99.7)
    assert check(content, "99,7") == 1.0
    assert check(content, "99.7") == 1.0
    assert check(content, "99,7%") == 1.0
    assert check(content, "99,8") == 0.0


def test_numeric_tolerance_is_inclusive_on_both_sides():
    content = numeric(100, tolerance=0.5)
    assert check(content, "100,5") == 1.0
    assert check(content, "99,5") == 1.0
    assert check(content, "100,51") == 0.0
    assert check(content, "99.49") == 0.0


def test_numeric_rounding_noise_does_not_cost_a_point():
    assert check(numeric(0.3), "0,30000000001") == 1.0
    assert check(numeric(0.3, tolerance=0.1), "0,4") == 1.0


def test_numeric_accepts_a_json_number_as_well_as_text():
    assert check(numeric(7171), 7171) == 1.0
    assert check(numeric(99.7), 99.7) == 1.0
    assert check(numeric(7171), 7170) == 0.0


def test_numeric_forgives_the_unit_typed_after_the_number():
    content = numeric(7171, unit="đảng viên")
    assert check(content, "7.171 đảng viên") == 1.0
    assert check(content, "7.171 Dang Vien") == 1.0
    assert check(content, "7.171 người") == 0.0
    assert check(numeric(7171), "7.171 đảng viên") == 0.0


@pytest.mark.parametrize(
    "response", [None, "", "abc", "1..2", True, False, [7171], {"v": 7171}, float("nan"), 10**400]
)
def test_numeric_malformed_responses_earn_nothing(response):
    assert check(numeric(7171, tolerance=10**6), response) == 0.0


# ---- ordering ---------------------------------------------------------------------------------


def test_ordering_earns_everything_only_in_the_stored_order():
    assert check(ORDERING, [0, 1, 2]) == 1.0
    assert check(ORDERING, (0, 1, 2)) == 1.0
    assert check(ORDERING, [1, 0, 2]) == 0.0
    assert check(ORDERING, [2, 1, 0]) == 0.0


@pytest.mark.parametrize(
    "response", [*GARBAGE, [0, 1], [0, 1, 2, 3], [0, 0, 1], [0, 1, 1], [0, 1, 3], [0, True, 2]]
)
def test_ordering_malformed_responses_earn_nothing(response):
    assert check(ORDERING, response) == 0.0


# ---- open and unknown -------------------------------------------------------------------------


@pytest.mark.parametrize("response", ["Một bài viết", "", None, 5])
def test_open_questions_are_not_checked_automatically(response):
    assert check({"type": "open", "stem": "?"}, response) is None


def test_an_unknown_type_is_a_programming_error():
    with pytest.raises(ValueError):
        check({"type": "essay", "stem": "?"}, "x")


@pytest.mark.parametrize("response", GARBAGE)
def test_no_malformed_response_raises_for_any_type(response):
    for content in (SINGLE, multiple("partial"), TRUE_FALSE, short_text("a"), numeric(1)):
        assert check(content, response) in (0.0, 1.0)
    assert check(ORDERING, response) == 0.0
