"""The content format: what validates, what each problem is called, and the stored form."""

import pytest

from questions.content import (
    ISSUE_MESSAGES,
    ContentIssue,
    InvalidContent,
    describe,
    normalised,
    validate,
)


def single(**changes):
    content = {
        "type": "single",
        "stem": "Chỉ thị 05-CT/TW được ban hành năm nào?",
        "options": [
            {"text": "2016", "correct": True},
            {"text": "2011", "correct": False},
            {"text": "2021", "correct": False},
        ],
    }
    content.update(changes)
    return content


def multiple(options, **changes):
    content = {"type": "multiple", "stem": "Chọn các ý đúng", "options": options}
    content.update(changes)
    return content


def codes(content):
    return [(issue.field, issue.code) for issue in validate(content)]


VALID = [
    single(),
    multiple([{"text": "A", "correct": True}, {"text": "B", "correct": True}]),
    multiple(
        [
            {"text": "A", "correct": True, "weight": 60},
            {"text": "B", "correct": True, "weight": 40},
        ],
        scoring="partial",
    ),
    {"type": "true_false", "stem": "Đúng hay sai?", "answer": False},
    {"type": "short_text", "stem": "Tên chỉ thị?", "accepted": ["Chỉ thị 05"]},
    {"type": "numeric", "stem": "Bao nhiêu?", "value": 99.7, "tolerance": 0.1, "unit": "%"},
    {"type": "numeric", "stem": "Bao nhiêu?", "value": 7171},
    {"type": "ordering", "stem": "Sắp xếp", "items": ["Học", "Làm theo"]},
    {"type": "open", "stem": "Suy nghĩ của đồng chí?"},
]


@pytest.mark.parametrize("content", VALID, ids=lambda c: c["type"])
def test_well_formed_content_of_every_type_has_no_issues(content):
    assert validate(content) == []


# ---- every issue code -------------------------------------------------------------------------


def test_content_that_is_not_a_dictionary_is_refused_outright():
    assert codes(["single"]) == [("", "not_an_object")]
    assert codes(None) == [("", "not_an_object")]


def test_an_unknown_or_missing_type_is_named():
    assert validate(single(type="essay")) == [
        ContentIssue("type", "unknown_type", {"type": "essay"})
    ]
    content = single()
    del content["type"]
    assert codes(content) == [("type", "unknown_type")]


@pytest.mark.parametrize("stem", ["", "   ", "\n\t", None])
def test_a_blank_stem_is_empty_stem(stem):
    assert codes(single(stem=stem)) == [("stem", "empty_stem")]


def test_text_fields_given_as_other_json_values_are_not_text():
    content = single(stem=12, explanation=["x"])
    content["options"][0]["feedback"] = 3
    assert codes(content) == [
        ("stem", "not_text"),
        ("explanation", "not_text"),
        ("options.0.feedback", "not_text"),
    ]
    content = single()
    content["options"][1]["text"] = 2011
    assert validate(content) == [ContentIssue("options.1.text", "not_text", {"field": "text"})]


def test_options_must_be_a_list_of_objects():
    assert codes(single(options={"a": 1})) == [("options", "not_a_list")]
    content = single()
    content["options"].append("2026")
    assert codes(content) == [("options.3", "bad_option")]


def test_between_two_and_eight_options():
    one = single(options=[{"text": "2016", "correct": True}])
    assert validate(one) == [ContentIssue("options", "too_few_options", {"min": 2, "count": 1})]
    nine = [{"text": str(year), "correct": year == 2016} for year in range(2010, 2019)]
    assert validate(single(options=nine)) == [
        ContentIssue("options", "too_many_options", {"max": 8, "count": 9})
    ]
    eight = nine[:8]
    assert validate(single(options=eight)) == []


def test_an_option_without_text_is_empty_at_its_position():
    content = single()
    content["options"][2]["text"] = "  "
    content["options"][1].pop("text")
    assert codes(content) == [("options.1.text", "empty"), ("options.2.text", "empty")]


def test_options_that_differ_only_in_case_or_spacing_are_duplicates_naming_the_first():
    content = single()
    content["options"][2]["text"] = "  2011 "
    content["options"][0]["text"] = "Năm  HAI NGHÌN"
    content["options"][1]["text"] = "năm hai nghìn"
    assert validate(content) == [
        ContentIssue("options.1.text", "duplicate_option", {"first": 1}),
    ]


def test_a_duplicate_typed_with_decomposed_accents_is_still_a_duplicate():
    content = single()
    content["options"][1]["text"] = "Tư tưởng"
    content["options"][2]["text"] = "Tu\u031b tu\u031bo\u031b\u0309ng"
    assert codes(content) == [("options.2.text", "duplicate_option")]


def test_a_question_with_no_correct_option_is_refused_for_single_and_multiple():
    for content in (single(), multiple([{"text": "A"}, {"text": "B"}])):
        for option in content["options"]:
            option["correct"] = False
        assert codes(content) == [("options", "no_correct_option")]


def test_single_choice_allows_exactly_one_correct_option():
    content = single()
    content["options"][1]["correct"] = True
    assert validate(content) == [ContentIssue("options", "several_correct", {"count": 2})]


def test_correct_must_be_a_real_boolean():
    content = single()
    content["options"][1]["correct"] = "no"
    assert codes(content) == [("options.1.correct", "not_a_bool")]


@pytest.mark.parametrize("weight", [101, -100.5, "50", True, None, float("nan"), float("inf")])
def test_a_weight_must_be_a_number_from_minus_100_to_100(weight):
    options = [{"text": "A", "correct": True, "weight": 100}, {"text": "B", "weight": weight}]
    assert codes(multiple(options, scoring="partial")) == [("options.1.weight", "bad_weight")]


@pytest.mark.parametrize("weight", [-100, 0, 37.5, 100])
def test_weights_at_and_inside_the_bounds_are_fine(weight):
    options = [{"text": "A", "correct": True, "weight": 100}, {"text": "B", "weight": weight}]
    assert validate(multiple(options, scoring="partial")) == []


def test_partial_weights_that_can_never_reach_full_marks_are_refused():
    options = [
        {"text": "A", "correct": True, "weight": 50},
        {"text": "B", "correct": True, "weight": 40},
        {"text": "C", "weight": -50},
    ]
    assert validate(multiple(options, scoring="partial")) == [
        ContentIssue("options", "weights_below_full", {"total": 90})
    ]
    # Under all-or-nothing the weights are not used, so they cannot be short.
    assert validate(multiple(options)) == []


@pytest.mark.parametrize("scoring", ["some", "", None, 1])
def test_scoring_is_all_or_nothing_or_partial(scoring):
    options = [{"text": "A", "correct": True}, {"text": "B"}]
    assert codes(multiple(options, scoring=scoring)) == [("scoring", "bad_scoring")]


@pytest.mark.parametrize("answer", ["true", 1, None, "đúng"])
def test_a_true_false_answer_must_be_a_boolean(answer):
    content = {"type": "true_false", "stem": "?", "answer": answer}
    assert codes(content) == [("answer", "bad_answer")]


def test_a_true_false_question_without_an_answer_is_refused():
    assert codes({"type": "true_false", "stem": "?"}) == [("answer", "bad_answer")]


@pytest.mark.parametrize("accepted", [[], None])
def test_short_text_needs_an_accepted_answer(accepted):
    content = {"type": "short_text", "stem": "?"}
    if accepted is not None:
        content["accepted"] = accepted
    assert codes(content) == [("accepted", "no_accepted_answer")]


def test_each_accepted_answer_must_be_non_blank_text():
    content = {"type": "short_text", "stem": "?", "accepted": ["Đảng", " ", "x", 5]}
    assert codes(content) == [
        ("accepted.1", "empty_accepted_answer"),
        ("accepted.3", "not_text"),
    ]
    content["accepted"] = "Đảng"
    assert codes(content) == [("accepted", "not_a_list")]


def test_ignore_diacritics_must_be_a_boolean():
    content = {"type": "short_text", "stem": "?", "accepted": ["a"], "ignore_diacritics": "yes"}
    assert codes(content) == [("ignore_diacritics", "not_a_bool")]


@pytest.mark.parametrize("value", ["99,7", "99.7", None, True, float("nan")])
def test_a_numeric_value_must_be_a_json_number_not_text(value):
    content = {"type": "numeric", "stem": "?", "value": value}
    assert validate(content) == [ContentIssue("value", "not_a_number", {"field": "value"})]


def test_the_tolerance_must_be_a_number_and_not_negative():
    content = {"type": "numeric", "stem": "?", "value": 1, "tolerance": "0,1"}
    assert codes(content) == [("tolerance", "not_a_number")]
    content["tolerance"] = -0.1
    assert codes(content) == [("tolerance", "negative_tolerance")]


def test_ordering_needs_two_to_eight_items():
    content = {"type": "ordering", "stem": "?", "items": ["Một"]}
    assert validate(content) == [ContentIssue("items", "ordering_too_few", {"min": 2, "count": 1})]
    content["items"] = [f"Bước {n}" for n in range(9)]
    assert codes(content) == [("items", "ordering_too_many")]
    assert codes({"type": "ordering", "stem": "?"}) == [("items", "ordering_too_few")]


def test_ordering_items_must_be_distinct_and_non_blank():
    content = {"type": "ordering", "stem": "?", "items": ["Học tập", "", "học  TẬP", "Làm theo"]}
    assert validate(content) == [
        ContentIssue("items.1", "empty", {}),
        ContentIssue("items.2", "duplicate_item", {"first": 1}),
    ]


def test_several_problems_are_all_reported_at_once():
    content = single(stem="")
    content["options"][0]["correct"] = False
    content["options"][1]["text"] = ""
    assert codes(content) == [
        ("stem", "empty_stem"),
        ("options.1.text", "empty"),
        ("options", "no_correct_option"),
    ]


# ---- the stored form --------------------------------------------------------------------------


def test_normalised_fills_defaults_cleans_lines_and_drops_empty_feedback():
    content = multiple(
        [
            {"text": "  Học\u00a0tập ", "correct": True, "feedback": "  "},
            {"text": "Làm theo", "feedback": "Đúng\r\nmột phần "},
        ],
        stem="  Câu **hỏi**\r\n\r\nDòng hai  ",
        extra="dropped",
    )
    assert normalised(content) == {
        "type": "multiple",
        "stem": "Câu **hỏi**\n\nDòng hai",
        "explanation": "",
        "options": [
            {"text": "Học tập", "correct": True},
            {"text": "Làm theo", "correct": False, "feedback": "Đúng\nmột phần"},
        ],
        "scoring": "all_or_nothing",
    }


def test_normalised_text_is_nfc_whatever_the_keyboard_sent():
    content = {
        "type": "short_text",
        "stem": "Đa\u0309ng\x00",
        "accepted": [" Chi\u0309  thi\u0323 "],
    }
    assert normalised(content) == {
        "type": "short_text",
        "stem": "Đảng",
        "explanation": "",
        "accepted": ["Chỉ thị"],
        "ignore_diacritics": False,
    }


def test_normalised_numeric_has_tolerance_zero_and_no_unit_when_blank():
    assert normalised({"type": "numeric", "stem": "?", "value": 7171, "unit": " "}) == {
        "type": "numeric",
        "stem": "?",
        "explanation": "",
        "value": 7171,
        "tolerance": 0,
    }


def test_normalised_keeps_only_the_keys_of_the_type():
    content = single(scoring="partial", answer=True, explanation="Vì  vậy ")
    content["options"][0]["weight"] = 100
    stored = normalised(content)
    assert list(stored) == ["type", "stem", "explanation", "options"]
    assert stored["explanation"] == "Vì  vậy"  # Markdown spacing inside a block is kept
    assert all(set(option) == {"text", "correct"} for option in stored["options"])


def test_normalised_keeps_multiple_choice_weights_and_open_guidance():
    options = [{"text": "A", "correct": True, "weight": 100}, {"text": "B", "weight": -50}]
    stored = normalised(multiple(options, scoring="partial"))
    assert [option.get("weight") for option in stored["options"]] == [100, -50]
    assert stored["scoring"] == "partial"
    stored = normalised({"type": "open", "stem": "?", "guidance": " Chấm theo\nbarem "})
    assert stored["guidance"] == "Chấm theo\nbarem"
    assert "guidance" not in normalised({"type": "open", "stem": "?", "guidance": ""})


def test_normalising_stored_content_changes_nothing():
    for content in VALID:
        once = normalised(content)
        assert normalised(once) == once


def test_normalised_refuses_invalid_content_with_its_issues():
    with pytest.raises(InvalidContent) as raised:
        normalised(single(stem=""))
    assert raised.value.issues == [ContentIssue("stem", "empty_stem")]


# ---- messages ---------------------------------------------------------------------------------


def test_every_issue_code_the_validator_can_produce_has_a_message():
    produced = {
        "not_an_object", "unknown_type", "empty_stem", "not_text", "not_a_list", "not_a_bool",
        "bad_option", "too_few_options", "too_many_options", "empty", "duplicate_option",
        "no_correct_option", "several_correct", "bad_weight", "weights_below_full", "bad_scoring",
        "bad_answer", "no_accepted_answer", "empty_accepted_answer", "not_a_number",
        "negative_tolerance", "ordering_too_few", "ordering_too_many", "duplicate_item",
    }  # fmt: skip
    assert produced == set(ISSUE_MESSAGES)


@pytest.fixture
def app_config():
    """The message tests below read the English source text."""
    return {"BABEL_DEFAULT_LOCALE": "en"}


def test_describe_speaks_vietnamese_to_vietnamese_users(app):
    from flask_babel import force_locale

    issue = ContentIssue("options.2.text", "duplicate_option", {"first": 1})
    with force_locale("vi"):
        assert describe(issue) == "Phương án 3: Trùng nội dung với phương án 1."


def test_describe_names_the_option_counting_from_one(app):
    issue = ContentIssue("options.2.text", "duplicate_option", {"first": 1})
    assert describe(issue) == "Option 3: The same text as option 1."


def test_describe_fills_the_placeholders_of_every_message(app):
    params = {
        "type": "x", "field": "f", "min": 2, "max": 8, "count": 1, "first": 1, "total": 90,
        "scoring": "s",
    }  # fmt: skip
    for code in ISSUE_MESSAGES:
        text = describe(ContentIssue("items.0", code, params))
        assert text.startswith("Item 1: ") and "%(" not in text


def test_describe_without_a_list_position_is_just_the_message(app):
    assert describe(ContentIssue("stem", "empty_stem")) == "The question text is empty."
    assert describe(ContentIssue("tolerance", "negative_tolerance")).startswith("The tolerance")
    assert describe(ContentIssue("accepted.0", "empty_accepted_answer")).startswith(
        "Accepted answer 1: "
    )


def test_describe_of_an_issue_built_without_its_params_still_gives_a_sentence(app):
    assert describe(ContentIssue("options", "too_few_options")).startswith("At least")
    assert describe(ContentIssue("level", "bad_level")) == "bad_level"


def test_multi_line_texts_lose_every_control_character_but_tab_and_newline():
    import unicodedata

    from questions.content import clean_block

    controls = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"]
    for char in controls:
        expected = f"a{char}b" if char in "\t\n" else ("a\nb" if char == "\r" else "ab")
        assert clean_block(f"a{char}b") == expected, hex(ord(char))
