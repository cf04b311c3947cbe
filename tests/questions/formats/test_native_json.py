"""The bank's own JSON: a lossless round trip, issues at real lines, only FormatError raised."""

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questions import formats
from questions.formats import native_json
from questions.formats.base import FormatError, QuestionRecord


def document(*questions, **top):
    return json.dumps({"format": "hoithi-questions", "version": 1, **top, "questions": questions})


def read_text(text):
    return native_json.read(text.encode("utf-8"))


TRUE_FALSE = {"type": "true_false", "stem": "Chỉ thị 05-CT/TW ban hành năm 2016?", "answer": True}


# ---- the sample bank ----


def test_the_sample_bank_comes_back_exactly(samples):
    result = native_json.read(native_json.write(samples).data)

    assert result.issues == []
    assert len(result.records) == len(samples)
    for original, again in zip(samples, result.records, strict=True):
        again.line = original.line = None
        assert again == original


def test_an_export_is_readable_json_with_its_format_and_version(samples):
    exported = native_json.write(samples)
    data = json.loads(exported.data)

    assert exported.skipped == []
    assert data["format"] == "hoithi-questions"
    assert data["version"] == 1
    first = data["questions"][0]
    assert list(first) == [
        "key",
        "title",
        "level",
        "points",
        "time_limit_s",
        "themes",
        "tags",
        "source",
        "content",
    ]
    assert first["key"] == "ct05-date"
    assert first["content"]["options"][1] == {"text": "15/5/2016", "correct": True}
    assert "Chỉ thị 05-CT/TW" in exported.data.decode("utf-8")  # Vietnamese stays readable


def test_categories_and_unknown_details_come_back():
    record = QuestionRecord(
        content=TRUE_FALSE,
        title="",
        categories=["Lịch sử Đảng", "Chỉ thị"],
        level=None,
        points=None,
        time_limit_s=None,
        key=None,
    )
    again = read_text(native_json.write([record]).data.decode()).records[0]

    assert again.categories == ["Lịch sử Đảng", "Chỉ thị"]
    assert (again.level, again.points, again.time_limit_s, again.key) == (None, None, None, None)


def test_invalid_content_is_written_as_it_is_so_nothing_is_lost():
    record = QuestionRecord(content={"type": "single", "stem": "", "options": []})
    written = json.loads(native_json.write([record]).data)

    assert written["questions"][0]["content"] == {"type": "single", "stem": "", "options": []}


def test_a_question_json_cannot_hold_is_skipped_with_a_reason():
    record = QuestionRecord(content={"type": "numeric", "stem": "x", "value": float("nan")})
    exported = native_json.write([record])

    assert json.loads(exported.data)["questions"] == []
    assert [skip.index for skip in exported.skipped] == [0]
    assert exported.skipped[0].reason


# ---- reading ----


def test_a_bare_list_of_questions_is_read():
    text = json.dumps([{"key": "a", "points": 20, "content": TRUE_FALSE}])
    [record] = read_text(text).records

    assert record.key == "a"
    assert record.points == 20
    assert record.content == TRUE_FALSE


def test_content_keys_may_sit_beside_the_details():
    [record] = read_text(json.dumps([{**TRUE_FALSE, "level": "Nhận biết"}])).records

    assert record.content == TRUE_FALSE
    assert record.level == "recall"


def test_each_record_starts_at_the_line_of_its_question():
    text = (
        '{"format": "hoithi-questions", "version": 1, "questions": [\n'
        '  {"key": "a", "content": {"type": "true_false", "stem": "x", "answer": true}},\n'
        "\n"
        "  {\n"
        '    "key": "b",\n'
        '    "content": {"type": "true_false", "stem": "y", "answer": false}\n'
        "  }\n"
        "]}"
    )
    assert [record.line for record in read_text(text).records] == [2, 4]


def test_a_detail_of_the_wrong_type_refuses_the_file_at_its_questions_line():
    text = "\n".join(
        [
            "[",
            '  {"key": "a", "content": {"type": "true_false", "stem": "x", "answer": true}},',
            "  {",
            '    "key": "b",',
            '    "points": "mười",',
            '    "time_limit_s": 2.5,',
            '    "tags": "lịch sử",',
            '    "source": {"document": 7},',
            '    "content": {"type": "true_false", "stem": "x", "answer": true}',
            "  }",
            "]",
        ]
    )
    result = read_text(text)

    assert [(issue.line, issue.field, issue.warning) for issue in result.issues] == [
        (3, "points", False),
        (3, "time_limit_s", False),
        (3, "tags", False),
        (3, "source.document", False),
    ]
    assert not result.ok
    second = result.records[1]
    assert (second.points, second.time_limit_s, second.tags) == (None, None, [])


def test_unknown_and_unused_keys_are_warnings_not_dropped_silently():
    text = document(
        {"key": "a", "lvel": "recall", "content": {**TRUE_FALSE, "options": [], "stme": "?"}},
        exported_by="someone",
    )
    result = read_text(text)

    assert {(issue.field, issue.warning) for issue in result.issues} == {
        ("exported_by", True),
        ("lvel", True),
        ("content.options", True),
        ("content.stme", True),
    }
    assert result.ok  # the question imports without them; the preview lists them


def test_the_sample_bank_file_itself_reads_with_notes_for_its_review_keys():
    data = (Path(__file__).parents[3] / "questions" / "samples.json").read_bytes()
    result = native_json.read(data)

    assert len(result.records) == 102
    assert result.ok
    assert {issue.field for issue in result.issues} == {"quote", "source.file"}


def test_a_question_that_is_not_an_object_is_reported_and_the_rest_read():
    text = '[\n  {"content": {"type": "true_false", "stem": "x", "answer": true}},\n  "oops"\n]'
    result = read_text(text)

    assert len(result.records) == 1
    assert [(issue.line, issue.field) for issue in result.issues] == [(3, "")]


def test_content_that_is_not_an_object_gives_no_record():
    result = read_text('[{"key": "a", "content": "Đúng"}]')

    assert result.records == []
    assert [issue.field for issue in result.issues] == ["content"]


def test_content_problems_are_reported_by_the_shared_checks_at_the_question_line():
    text = '[\n  {"key": "a",\n   "content": {"type": "single", "stem": "x", "options": []}}\n]'
    result = formats.read(text.encode(), "cau-hoi.json")

    assert result.records[0].line == 2
    assert {issue.line for issue in result.issues} == {2}
    assert "options" in {issue.field for issue in result.issues}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[\n  {"key": "a",}\n]', 2),
        ('{\n"format": "hoithi-questions",\n"questions": [\n{"key": "a"}\n\n', 6),
        ("", 1),
    ],
)
def test_broken_json_is_refused_naming_its_line(text, line):
    with pytest.raises(FormatError) as raised:
        read_text(text)

    assert raised.value.line == line
    assert str(line) in raised.value.message


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "gift", "questions": []}',
        '{"format": "hoithi-questions", "version": 2, "questions": []}',
        '{"format": "hoithi-questions", "version": "1", "questions": []}',
        '{"format": "hoithi-questions"}',
        '"cau hoi"',
        "[" * 50_000,
        "[" + "1" * 5000 + "]",
    ],
)
def test_files_that_are_not_question_files_are_refused(text):
    with pytest.raises(FormatError):
        read_text(text)


def test_a_legacy_encoding_is_refused_with_advice():
    data = '[{"content": {"type": "true_false", "stem": "Đúng", "answer": true}}]'.encode("cp1258")

    with pytest.raises(FormatError) as raised:
        native_json.read(data)
    assert "UTF-8" in raised.value.message


def test_messages_are_in_vietnamese(vietnamese):
    result = read_text('[{"key": "a", "lvel": 1, "content": {}}]')

    assert result.issues[0].message == "Khóa không xác định “lvel”: đã bỏ qua."


def test_sniff_tells_json_from_gift_and_aiken():
    assert native_json.sniff(b'{"format": "hoithi-questions"}')
    assert native_json.sniff(b'\xef\xbb\xbf  [\n {"key": "a"}]')
    assert native_json.sniff(b"[]")
    assert not native_json.sniff(b"[markdown]C\xc3\xa2u h\xe1\xbb\x8fi {=A ~B}")
    assert not native_json.sniff(b"Question?\nA. x\nB. y\nANSWER: A\n")


def test_detect_reads_a_json_export_saved_as_txt(samples):
    data = native_json.write(samples[:2]).data

    assert formats.detect("export.txt", data) == "json"


# ---- nothing but FormatError, whatever the file ----

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from([*native_json.QUESTION_KEYS, "type", "stem", "document", "x"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_result_or_a_format_error(text):
    with contextlib.suppress(FormatError):
        read_text(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values, max_size=4), st.booleans())
def test_any_json_questions_give_a_result_or_a_format_error(questions, wrapped):
    text = json.dumps(
        {"format": "hoithi-questions", "questions": questions} if wrapped else questions
    )
    try:
        result = read_text(text)
    except FormatError:
        return
    assert all(isinstance(record.content, dict) for record in result.records)


def test_the_example_in_the_documentation_reads_without_issues():
    docs = (Path(__file__).parents[3] / "docs" / "formats.md").read_text(encoding="utf-8")
    example = docs.split("### Example\n\n```json\n", 1)[1].split("```", 1)[0]
    result = read_text(example)

    assert result.issues == []
    assert [record.key for record in result.records] == ["ct05-date", None]
    assert result.records[1].categories == ["Lai Châu", "Số liệu"]
