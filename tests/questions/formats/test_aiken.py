"""Aiken: single-choice questions in and out, mistakes reported with their line numbers."""

import contextlib
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from contest.text import clean_line
from questions import content as question_content
from questions.content import clean_block, normalised
from questions.formats import FormatError, QuestionRecord, aiken, detect
from questions.formats import read as read_checked

# Our own copy of the two examples in Moodle's Aiken documentation: "." and ")" after letters.
MOODLE_EXAMPLES = """\
Which answer is the right one?
A. This one?
B. Maybe this one?
C. Possibly this one?
D. Surely this one!
ANSWER: D

Which platform imports the most quiz formats?
A) Moodle
B) ATutor
C) Claroline
D) Blackboard
E) WebCT
F) Ilias
ANSWER: A
"""


def test_moodle_examples_give_two_single_choice_questions():
    result = aiken.read(MOODLE_EXAMPLES.encode())
    assert result.issues == []
    first, second = result.records
    assert (first.line, second.line) == (1, 8)
    assert first.content == {
        "type": "single",
        "stem": "Which answer is the right one?",
        "options": [
            {"text": "This one?", "correct": False},
            {"text": "Maybe this one?", "correct": False},
            {"text": "Possibly this one?", "correct": False},
            {"text": "Surely this one!", "correct": True},
        ],
    }
    assert [option["text"] for option in second.content["options"]] == [
        "Moodle",
        "ATutor",
        "Claroline",
        "Blackboard",
        "WebCT",
        "Ilias",
    ]
    assert [option["correct"] for option in second.content["options"]].index(True) == 0


def test_a_stem_may_take_several_lines_and_vietnamese_answer_lines_count():
    text = (
        "Chỉ thị 05-CT/TW do cơ quan nào ban hành?\n"
        "(chọn một đáp án)\n"
        "A. Ban Bí thư\n"
        "\n"
        "B. Bộ Chính trị\n"
        "C) Quốc hội\n"
        "Đáp án: b\n"
    )
    (record,) = aiken.read(text.encode()).records
    assert record.content["stem"] == "Chỉ thị 05-CT/TW do cơ quan nào ban hành?\n(chọn một đáp án)"
    assert [option["correct"] for option in record.content["options"]] == [False, True, False]


BROKEN = """\
No answer line
A. x
B. y

Answer letter out of range
A. x
B. y
ANSWER: E

Only one option
A. only
ANSWER: A

A. an option with no question
B. another
ANSWER: A

Wrapped option
A. first
continues on the next line
B. second
ANSWER: B

Skipped letter
A. a
C. c
ANSWER: A

Two answers
A. a
B. b
ANSWER: A, B

A good question after all that
A. yes
B. no
ANSWER: A

ANSWER: B

Question text at the end with no options
"""


def test_mistakes_are_reported_with_their_line_numbers():
    result = aiken.read(BROKEN.encode())
    assert [(issue.line, issue.field) for issue in result.issues] == [
        (1, "answer"),  # no ANSWER line after the options
        (8, "answer"),  # ANSWER: E, but the options are A to B
        (10, "options"),  # fewer than 2 options
        (14, "options"),  # an option before any question text
        (20, "options"),  # an option that runs onto a second line
        (26, "options"),  # C where B was expected
        (32, "answer"),  # two letters
        (39, "answer"),  # an ANSWER line with no question
        (41, "options"),  # text at the end with no options
    ]
    messages = [issue.message for issue in result.issues]
    assert "ANSWER" in messages[0]
    assert "A to B" in messages[1]
    assert "has 1" in messages[2]
    assert "Option C" in messages[5]
    # The one good question is still read, from its own line.
    (record,) = result.records
    assert (record.line, record.content["stem"]) == (34, "A good question after all that")


def test_a_legacy_encoded_file_is_refused_with_a_clear_message():
    tone_marks = "\u0300\u0301\u0303\u0309\u0323"
    chars = []
    for char in "Câu hỏi số 1\nA. Đúng\nB. Sai\nANSWER: A\n":
        decomposed = unicodedata.normalize("NFD", char)
        letter = "".join(mark for mark in decomposed if mark not in tone_marks)
        tones = "".join(mark for mark in decomposed if mark in tone_marks)
        chars.append(unicodedata.normalize("NFC", letter) + tones)
    with pytest.raises(FormatError) as refused:
        aiken.read("".join(chars).encode("cp1258"))
    assert refused.value.line == 1
    assert "UTF-8" in refused.value.message and "1258" in refused.value.message


def test_sniff_and_detect_recognise_aiken():
    assert aiken.sniff(MOODLE_EXAMPLES.encode())
    assert not aiken.sniff(b"Who?{=no one}\n")
    assert detect("de-thi.txt", MOODLE_EXAMPLES.encode()) == "aiken"


# ---- writing and the round trip ----------------------------------------------------------------


def aiken_view(content: dict) -> dict:
    """What Aiken holds of a single-choice question: no explanation, no feedback."""
    content = normalised(content)
    options = [{"text": o["text"], "correct": o["correct"]} for o in content["options"]]
    return {**content, "explanation": "", "options": options}


def test_the_single_choice_samples_round_trip_and_the_rest_are_skipped(samples):
    exported = aiken.write(samples)
    others = [i for i, record in enumerate(samples) if record.content["type"] != "single"]
    assert [item.index for item in exported.skipped] == others
    assert all("single-choice" in item.reason for item in exported.skipped)
    assert exported.skipped[0].stem == clean_line(samples[others[0]].content["stem"])
    result = read_checked(exported.data, "bank.txt", format="aiken")
    assert result.issues == []
    singles = [record for record in samples if record.content["type"] == "single"]
    assert len(result.records) == len(singles) == 54
    for original, back in zip(singles, result.records, strict=True):
        assert normalised(back.content) == aiken_view(original.content)


def test_written_text_is_plain_aiken(samples):
    (date,) = [record for record in samples if record.key == "ct05-date"]
    assert aiken.write([date]).data.decode().splitlines()[1:] == [
        "A. 18/5/2021",
        "B. 15/5/2016",
        "C. 07/11/2006",
        "D. 14/5/2011",
        "ANSWER: B",
    ]


def test_a_stem_line_that_reads_as_an_option_is_skipped_with_a_reason():
    content = {
        "type": "single",
        "stem": "Chọn câu đúng:\nA. là chữ cái đầu",
        "options": [{"text": "Đúng", "correct": True}, {"text": "Sai"}],
    }
    exported = aiken.write([QuestionRecord(content)])
    assert exported.data == b""
    (skipped,) = exported.skipped
    assert "misread" in skipped.reason


# ---- properties --------------------------------------------------------------------------------

ALPHABET = "aAB.)ệĐ: \t09-ANSWERđáp án"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET + "\n", max_size=200) | st.text(max_size=200))
def test_reading_any_text_raises_nothing_but_format_error(text):
    with contextlib.suppress(FormatError):
        result = aiken.read(text.encode())
        assert all(record.content["type"] == "single" for record in result.records)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_reading_any_bytes_raises_nothing_but_format_error(data):
    with contextlib.suppress(FormatError):
        aiken.read(data)


line_text = st.text(alphabet=ALPHABET, min_size=1, max_size=15).map(clean_line).filter(bool)
stem_text = st.text(alphabet=ALPHABET + "\n", min_size=1, max_size=60).map(clean_block)


@st.composite
def singles(draw):
    texts = draw(st.lists(line_text, min_size=2, max_size=8, unique_by=str.casefold))
    right = draw(st.integers(0, len(texts) - 1))
    content = {
        "type": "single",
        "stem": draw(stem_text.filter(bool)),
        "options": [{"text": text, "correct": i == right} for i, text in enumerate(texts)],
    }
    assume(not question_content.validate(content))
    return QuestionRecord(content)


def misread(stem: str) -> bool:
    return any(
        aiken.OPTION.fullmatch(line.strip()) or aiken.ANSWER.fullmatch(line.strip())
        for line in stem.split("\n")
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(singles(), min_size=1, max_size=4))
def test_generated_questions_come_back_equal(generated):
    exported = aiken.write(generated)
    skipped = {item.index for item in exported.skipped}
    assert skipped == {i for i, r in enumerate(generated) if misread(r.content["stem"])}
    result = aiken.read(exported.data)
    assert result.issues == []
    kept = [record for i, record in enumerate(generated) if i not in skipped]
    assert [normalised(record.content) for record in result.records] == [
        aiken_view(record.content) for record in kept
    ]
