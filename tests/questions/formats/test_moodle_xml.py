"""Moodle XML: what Moodle files become in the bank, what the bank's questions become in Moodle."""

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from contest.text import clean_line
from questions import formats
from questions.content import normalised
from questions.formats import moodle_xml
from questions.formats.base import FormatError, QuestionRecord
from questions.formats.html_text import HTML_TAG
from questions.markdown import render

# Moodle's grades (question/format.php refuses any other fraction unless told to round).
MOODLE_GRADES = [
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
    14.28571, 12.5, 11.11111, 10, 5, 0,
]  # fmt: skip


def read(text):
    return moodle_xml.read(text.encode("utf-8"))


def quiz(*questions):
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def round_trip(*records):
    return moodle_xml.read(moodle_xml.write(list(records)).data).records


# ---- Moodle's documentation and Moodle's own exports ----

# The "Multiple choice" example of https://docs.moodle.org/en/Moodle_XML_format, with the name and
# question text from the same page's "Tags common to all question types".
DOCS_MULTICHOICE = """<?xml version="1.0" ?>
<quiz>
<question type="multichoice">
     <name>
         <text>Name of question</text>
     </name>
     <questiontext format="html">
         <text>What is the answer to this question?</text>
     </questiontext>
 <answer fraction="100">
     <text>The correct answer</text>
     <feedback><text>Correct!</text></feedback>
 </answer>
 <answer fraction="0">
     <text>A distractor</text>
     <feedback><text>Ooops!</text></feedback>
 </answer>
 <answer fraction="0">
     <text>Another distractor</text>
     <feedback><text>Ooops!</text></feedback>
 </answer>
 <shuffleanswers>1</shuffleanswers>
 <single>true</single>
 <answernumbering>abc</answernumbering>
</question>
</quiz>
"""


def test_the_multiple_choice_example_of_moodles_documentation():
    result = read(DOCS_MULTICHOICE)

    assert result.issues == []
    assert result.records == [
        QuestionRecord(
            content={
                "type": "single",
                "stem": "What is the answer to this question?",
                "explanation": "",
                "options": [
                    {"text": "The correct answer", "correct": True, "feedback": "Correct!"},
                    {"text": "A distractor", "correct": False, "feedback": "Ooops!"},
                    {"text": "Another distractor", "correct": False, "feedback": "Ooops!"},
                ],
            },
            line=3,
            title="Name of question",
        )
    ]


# Shaped like Moodle's export (question/format/xml/tests/fixtures/truefalse.xml in Moodle's
# code): its comments, a category, HTML in CDATA, seven-decimal grades, a picture from its files.
MOODLE_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
        <text>$course$/top/Default for Lớp bồi dưỡng/Chỉ thị 05-CT//TW</text>
    </category>
  </question>

<!-- question: 2284  -->
  <question type="truefalse">
    <name>
      <text>Cơ quan ban hành</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Chỉ thị 05-CT/TW do <span style="font-style: italic;">Bộ Chính trị</span>
 ban hành.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p><img src="@@PLUGINFILE@@/infos.jpg" alt="i" />Xem
 <a href="https://tulieuvankien.dangcongsan.vn">văn kiện</a>.</p>]]></text>
    </generalfeedback>
    <defaultgrade>10.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <idnumber>ct05-issuer</idnumber>
    <answer fraction="100" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <tags>
      <tag><text>văn bản</text></tag>
    </tags>
  </question>
</quiz>
"""


def test_a_moodle_export_with_its_category_grade_idnumber_and_tags():
    result = read(MOODLE_EXPORT)
    [record] = result.records

    assert record.content == {
        "type": "true_false",
        "stem": "Chỉ thị 05-CT/TW do Bộ Chính trị ban hành.",
        "explanation": "Xem [văn kiện](https://tulieuvankien.dangcongsan.vn).",
        "answer": True,
    }
    assert (record.line, record.title, record.key) == (11, "Cơ quan ban hành", "ct05-issuer")
    assert (record.points, record.tags) == (10, ["văn bản"])
    # "$course$", "top" and Moodle's own "Default for …" go; "//" is a slash inside a name.
    assert (record.categories, record.themes) == (["Chỉ thị 05-CT/TW"], [])
    # The picture cannot come along: said, not dropped silently.
    assert [(issue.line, issue.field) for issue in result.issues] == [(11, "stem")]


def test_moodles_ordering_export_gives_the_items_in_their_numbered_order():
    # question/type/ordering/tests/fixtures/testexport.moodle.xml numbers the items 1, 2, 3 …;
    # here the file lists them out of order.
    text = quiz(
        """<question type="ordering">
    <name><text>Moodle</text></name>
    <questiontext format="html"><text>Put these words in order.</text></questiontext>
    <layouttype></layouttype><selecttype></selecttype><selectcount>2</selectcount>
    <answer fraction="3.0000000" format="html"><text>Oriented</text></answer>
    <answer fraction="1.0000000" format="html"><text>Modular</text></answer>
    <answer fraction="2.0000000" format="html"><text>Object</text></answer>
  </question>"""
    )
    result = read(text)

    assert result.records[0].content["items"] == ["Modular", "Object", "Oriented"]
    assert result.issues == []


# ---- each Moodle type ----


def multichoice(answers, single="false", extra=""):
    rows = "\n".join(
        f'  <answer fraction="{fraction}"><text>{text}</text></answer>'
        for text, fraction in answers
    )
    return quiz(
        f"""<question type="multichoice">
  <name><text>q</text></name>
  <questiontext format="html"><text>Chọn các ý đúng</text></questiontext>
  <single>{single}</single>{extra}
{rows}
</question>"""
    )


def test_fractions_that_are_not_an_even_split_become_weights():
    text = multichoice([("A", 60), ("B", 40), ("C", -100), ("D", 0)])
    content = read(text).records[0].content

    assert content["scoring"] == "partial"
    assert content["options"] == [
        {"text": "A", "correct": True, "weight": 60},
        {"text": "B", "correct": True, "weight": 40},
        {"text": "C", "correct": False, "weight": -100},
        {"text": "D", "correct": False},
    ]


def test_all_positive_equal_splits_are_partial_with_weights():
    content = read(multichoice([("A", 50), ("B", 50), ("C", 0)])).records[0].content

    assert content["scoring"] == "partial"
    assert [option.get("weight") for option in content["options"]] == [50, 50, None]


def test_an_even_split_with_equal_penalties_is_the_banks_own_partial_scoring():
    # 50/50/−50: each right answer +1/2, each wrong one −1/2 — what "partial" without weights does.
    content = read(multichoice([("A", 50), ("B", 50), ("C", -50)])).records[0].content

    assert content["scoring"] == "partial"
    assert [option["correct"] for option in content["options"]] == [True, True, False]
    assert all("weight" not in option for option in content["options"])


def test_partial_credit_on_a_single_choice_answer_is_reported():
    result = read(multichoice([("A", 100), ("B", 50), ("C", 0)], single="true"))

    assert [option["correct"] for option in result.records[0].content["options"]] == [
        True,
        False,
        False,
    ]
    assert [(issue.line, issue.field, issue.warning) for issue in result.issues] == [
        (3, "options.1", True)
    ]


def test_a_multichoice_without_single_is_single_as_in_moodle():
    text = DOCS_MULTICHOICE.replace(" <single>true</single>\n", "")

    assert read(text).records[0].content["type"] == "single"


def test_the_all_or_nothing_plugin_is_all_or_nothing():
    text = quiz(
        """<question type="multichoiceset">
  <questiontext format="html"><text>Chọn</text></questiontext>
  <answer fraction="100"><text>A</text></answer>
  <answer fraction="100"><text>B</text></answer>
  <answer fraction="0"><text>C</text></answer>
</question>"""
    )
    content = read(text).records[0].content

    assert content["scoring"] == "all_or_nothing"
    assert [option["correct"] for option in content["options"]] == [True, True, False]


def test_short_answers_keep_the_full_mark_answers_and_report_the_rest():
    text = quiz(
        """<question type="shortanswer">
  <questiontext format="html"><text>Số hiệu?</text></questiontext>
  <usecase>1</usecase>
  <answer fraction="100"><text>05-CT/TW</text></answer>
  <answer fraction="100"><text>Chỉ thị*05</text></answer>
  <answer fraction="100"><text>5\\*</text></answer>
  <answer fraction="50"><text>05</text></answer>
  <answer fraction="0"><text>06</text><feedback><text>Đó là năm 2006.</text></feedback></answer>
</question>"""
    )
    result = read(text)

    assert result.records[0].content["accepted"] == ["05-CT/TW", "Chỉ thị*05", "5*"]
    # All at the question's line, all warnings: the question imports without them.
    assert [(issue.line, issue.field, issue.warning) for issue in result.issues] == [
        (3, "accepted", True),  # case-sensitive in Moodle
        (3, "accepted", True),  # the * wildcard
        (3, "accepted", True),  # 50 % credit
        (3, "explanation", True),  # feedback on one answer
    ]
    assert "Chỉ thị*05" in result.issues[1].message


def test_a_number_keeps_its_tolerance_and_unit():
    text = quiz(
        """<question type="numerical">
  <questiontext format="html"><text>Tỷ lệ?</text></questiontext>
  <answer fraction="100"><text>99.7</text><tolerance>0.05</tolerance></answer>
  <answer fraction="100"><text>100</text><tolerance>0</tolerance></answer>
  <answer fraction="0"><text>*</text></answer>
  <units>
    <unit><multiplier>1</multiplier><unit_name>%</unit_name></unit>
    <unit><multiplier>0.01</multiplier><unit_name>phần</unit_name></unit>
  </units>
</question>"""
    )
    result = read(text)
    content = result.records[0].content

    assert (content["value"], content["tolerance"], content["unit"]) == (99.7, 0.05, "%")
    # The second right number; the unit with multiplier 0.01.
    assert [(issue.field, issue.warning) for issue in result.issues] == [
        ("value", True),
        ("unit", True),
    ]


def test_an_essay_becomes_an_open_question_with_the_graders_notes():
    text = quiz(
        """<question type="essay">
  <questiontext format="html">
    <text><![CDATA[<p>Trình bày ý nghĩa của nêu gương.</p>]]></text>
  </questiontext>
  <graderinfo format="html">
    <text><![CDATA[<ul><li>Nội dung</li><li>Liên hệ</li></ul>]]></text>
  </graderinfo>
</question>"""
    )
    content = read(text).records[0].content

    assert content == {
        "type": "open",
        "stem": "Trình bày ý nghĩa của nêu gương.",
        "explanation": "",
        "guidance": "- Nội dung\n- Liên hệ",
    }


def test_other_moodle_types_are_reported_at_their_line_and_the_rest_read():
    text = quiz(
        '<question type="matching"><name><text>m</text></name></question>',
        '<question type="ddwtos"><name><text>d</text></name></question>',
        '<question type="calculated"><name><text>c</text></name></question>',
        '<question type="cloze"><questiontext><text>{1:SA:=x}</text></questiontext></question>',
        '<question type="description"><questiontext><text>Phần II</text></questiontext></question>',
        DOCS_MULTICHOICE.split("<quiz>")[1].split("</quiz>")[0].strip(),
    )
    result = read(text)

    assert [(issue.line, issue.field, issue.warning) for issue in result.issues] == [
        (3, "type", True),
        (4, "type", True),
        (5, "type", True),
        (6, "type", True),
        (7, "type", True),
    ]
    assert "matching" in result.issues[0].message
    assert result.ok  # left out and said so: the rest of the file still imports
    assert [record.title for record in result.records] == ["Name of question"]


def test_category_questions_name_the_categories_of_the_questions_after_them():
    text = quiz(
        '<question type="category"><category><text>$course$/top/Lịch sử Đảng/Chỉ thị</text>'
        "</category></question>",
        DOCS_MULTICHOICE.split("<quiz>")[1].split("</quiz>")[0].strip(),
        '<question type="category"><category><text>$system$/Kết luận 01</text></category>'
        "</question>",
        DOCS_MULTICHOICE.split("<quiz>")[1].split("</quiz>")[0].strip(),
    )
    records = read(text).records

    assert [record.categories for record in records] == [
        ["Lịch sử Đảng", "Chỉ thị"],
        ["Kết luận 01"],
    ]


# ---- HTML, and files that try something ----


def test_html_becomes_markdown_and_nothing_active_survives():
    stem = (
        '<p>Chỉ thị <b>05-CT/TW</b> và <i>Kết luận 01</i><script>alert("x")</script></p>'
        '<p onclick="alert(1)">Dòng một<br/>dòng hai <img src="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)">bấm</a> <a href="https://dangcongsan.vn">nguồn</a></p>'
        "<style>p {color: red}</style><iframe src='https://evil.example'></iframe>"
        "<p>5 * 3 = [15]</p>"
    )
    text = quiz(
        f"""<question type="essay">
  <questiontext format="html"><text><![CDATA[{stem}]]></text></questiontext>
</question>"""
    )
    result = read(text)
    [record] = result.records

    assert record.content["stem"] == (
        "Chỉ thị **05-CT/TW** và *Kết luận 01*\n\n"
        "Dòng một\ndòng hai bấm [nguồn](https://dangcongsan.vn)\n\n"
        "5 \\* 3 = \\[15\\]"
    )
    for bad in ("script", "alert", "onerror", "onclick", "javascript", "iframe", "color", "evil"):
        assert bad not in record.content["stem"]
    assert [issue.field for issue in result.issues] == ["stem"]  # the picture left out


def test_html_in_option_texts_becomes_plain_words():
    text = multichoice(
        [("&lt;p&gt;&lt;b&gt;A&lt;/b&gt; &amp;amp; B&lt;/p&gt;", 100), ("C", 0)], "true"
    )

    assert read(text).records[0].content["options"][0]["text"] == "A & B"


def test_markdown_texts_are_kept_but_raw_html_in_them_is_cut():
    raw = "**Đậm** và <script>alert(1)</script><b>x</b>"
    escaped = raw.replace("<", "&lt;")
    text = quiz(
        f"""<question type="essay">
  <questiontext format="markdown"><text>{escaped}</text></questiontext>
</question>"""
    )

    assert read(text).records[0].content["stem"] == "**Đậm** và x"


def test_an_external_entity_is_refused_before_anything_is_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu")
    text = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<quiz><question type="essay"><questiontext><text>&xxe;</text></questiontext>'
        "</question></quiz>"
    )
    with pytest.raises(FormatError) as raised:
        read(text)

    assert "DOCTYPE" in raised.value.message
    assert "mật khẩu" not in raised.value.message


def test_a_billion_laughs_is_refused_at_once():
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    ]
    text = f'<?xml version="1.0"?>\n<!DOCTYPE quiz [{"".join(entities)}]>\n<quiz>&lol9;</quiz>'
    started = time.monotonic()

    with pytest.raises(FormatError):
        read(text)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('<?xml version="1.0"?>\n<quiz>\n<question type="essay">\n<name></question>\n</quiz>', 4),
        ("<quiz>\n<question>&nbsp;</question>\n</quiz>", 2),
        ("", 1),
    ],
)
def test_broken_xml_is_refused_naming_its_line(text, line):
    with pytest.raises(FormatError) as raised:
        read(text)

    assert raised.value.line == line
    assert str(line) in raised.value.message


def test_an_xml_file_that_is_not_a_quiz_is_refused():
    with pytest.raises(FormatError) as raised:
        read("<html><body>Câu hỏi</body></html>")

    assert "<quiz>" in raised.value.message


def test_a_legacy_encoding_is_refused_unless_the_file_names_it():
    body = (
        '<quiz><question type="essay"><questiontext><text>Đà</text></questiontext>'
        "</question></quiz>"
    )

    with pytest.raises(FormatError):
        moodle_xml.read(body.encode("cp1258"))
    named = '<?xml version="1.0" encoding="windows-1258"?>' + body
    assert moodle_xml.read(named.encode("cp1258")).records[0].content["stem"] == "Đà"


# ---- writing ----


def test_the_sample_bank_comes_back_with_its_content_and_details(samples):
    exported = moodle_xml.write(samples)
    result = moodle_xml.read(exported.data)

    assert exported.skipped == []
    assert result.issues == []
    assert len(result.records) == len(samples)
    for original, again in zip(samples, result.records, strict=True):
        assert normalised(again.content) == normalised(original.content)
        again.line = original.line = None
        assert again == original


def test_an_export_is_what_moodle_imports(samples):
    root = etree.fromstring(moodle_xml.write(samples).data)
    questions = root.findall("question")
    kinds = {question.get("type") for question in questions}

    assert root.tag == "quiz"
    assert kinds == {
        "category",
        "multichoice",
        "truefalse",
        "shortanswer",
        "numerical",
        "ordering",
        "essay",
    }
    assert questions[0].findtext("category/text") == "$course$/top/Chỉ thị 05-CT//TW"
    for question in questions:
        if question.get("type") == "category":
            continue
        assert question.findtext("name/text")
        assert question.find("questiontext").get("format") == "markdown"
        if question.get("type") in ("multichoice", "truefalse", "shortanswer", "numerical"):
            for answer in question.findall("answer"):
                fraction = abs(float(answer.get("fraction")))
                assert any(abs(fraction - grade) < 1e-5 for grade in MOODLE_GRADES)
    first = questions[1]
    assert [tag.findtext("text") for tag in first.findall("tags/tag")] == [
        "mốc thời gian",
        "văn bản",
        "hoithi-level:recall",
        "hoithi-time:30",
    ]
    assert first.findtext("idnumber") == "ct05-date"
    assert first.findtext("defaultgrade") == "10"


def record(content, **details):
    return QuestionRecord(content=content, title=details.pop("title", "t"), **details)


def test_weights_all_or_nothing_feedback_and_escaped_wildcards_come_back():
    originals = [
        record(
            {
                "type": "multiple",
                "stem": "Chọn",
                "options": [
                    {"text": "A", "correct": True, "weight": 70, "feedback": "Đúng *một phần*"},
                    {"text": "B", "correct": True, "weight": 30},
                    {"text": "C", "correct": False, "weight": -50},
                ],
                "scoring": "partial",
            }
        ),
        record(
            {
                "type": "multiple",
                "stem": "Chọn",
                "options": [{"text": "A", "correct": True}, {"text": "B", "correct": False}],
                "scoring": "all_or_nothing",
            }
        ),
        record(
            {
                "type": "short_text",
                "stem": "Gõ",
                "accepted": ["5*3", "Đảng"],
                "ignore_diacritics": True,
            }
        ),
        record({"type": "numeric", "stem": "Số", "value": 2.5, "tolerance": 0.1}),
        record({"type": "open", "stem": "Viết"}),
    ]
    again = round_trip(*originals)

    assert [normalised(one.content) for one in again] == [
        normalised(one.content) for one in originals
    ]


def test_a_question_without_title_key_or_theme_still_comes_back_as_it_was(samples):
    bare = QuestionRecord(content=samples[0].content)
    first, second = round_trip(samples[0], bare)

    assert first.themes == samples[0].themes
    assert (second.title, second.key, second.themes, second.categories) == ("", None, [], [])
    assert (second.level, second.points, second.time_limit_s) == (None, None, None)


def test_a_category_path_and_a_theme_travel_separately():
    content = {"type": "true_false", "stem": "x", "answer": True}
    one = record(content, themes=["Chỉ thị 05-CT/TW", "Kết luận 01"], categories=["Lịch sử", "A/B"])
    data = moodle_xml.write([one]).data
    [again] = moodle_xml.read(data).records

    assert "$course$/top/Lịch sử/A//B" in data.decode("utf-8")
    assert (again.themes, again.categories) == (one.themes, one.categories)


def test_without_the_hoithi_comment_moodles_own_fields_still_say_a_lot(samples):
    text = moodle_xml.write(samples[:1]).data.decode()
    start, end = text.index("<!-- hoithi:"), text.index("-->") + 3
    [again] = read(text[:start] + text[end:]).records

    assert again.categories == samples[0].themes  # the theme came back as a category
    assert (again.level, again.time_limit_s, again.points) == ("recall", 30, 10)


def test_a_fraction_that_is_no_number_refuses_the_file():
    result = read(multichoice([("A", "một trăm"), ("B", 0)], "true"))

    assert [(issue.line, issue.field, issue.warning) for issue in result.issues] == [
        (3, "options", False)
    ]
    assert not result.ok


def test_invalid_content_is_skipped_with_a_reason():
    exported = moodle_xml.write([QuestionRecord(content={"type": "single", "stem": "Câu?"})])

    assert [(skip.index, skip.stem) for skip in exported.skipped] == [(0, "Câu?")]
    assert etree.fromstring(exported.data).findall("question") == []


def test_messages_are_in_vietnamese(vietnamese):
    result = read(quiz('<question type="matching"><name><text>m</text></name></question>'))

    assert result.issues[0].message == (
        "Câu hỏi Moodle loại “matching” không có loại tương ứng trong ngân hàng; "
        "câu này đã bị bỏ qua."
    )


def test_sniff_and_detect():
    assert moodle_xml.sniff(DOCS_MULTICHOICE.encode())
    assert moodle_xml.sniff(b"\xef\xbb\xbf<quiz/>")
    assert not moodle_xml.sniff(b"::T:: C\xc3\xa2u h\xe1\xbb\x8fi {=A ~B}")
    assert formats.detect("ngan-hang.txt", DOCS_MULTICHOICE.encode()) == "moodle_xml"


def test_read_through_the_formats_package_adds_content_checks():
    text = multichoice([("A", 0), ("B", 0)], "true")
    result = formats.read(text.encode(), "moodle.xml")

    assert [(issue.line, issue.field) for issue in result.issues] == [(3, "options")]


# ---- nothing but FormatError, whatever the file ----


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_result_or_a_format_error(data):
    with contextlib.suppress(FormatError):
        moodle_xml.read(data)


html_bits = st.sampled_from(
    ["<p>", "</p>", "<b>", "</b>", "<i>", "<br>", "<ul>", "<li>", "</ol>", "<a href='x'>", "</a>",
     "<img src='https://a/b.png' alt='[x]'>", "<script>", "&amp;", "*", "_", "\n", " ", "Đảng",
     "<table><tr><td>", "<h2>", "</h2>", "<!--", "]]", "<![CDATA["]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(html_bits, max_size=20).map("".join),
    st.sampled_from(
        ["multichoice", "truefalse", "shortanswer", "numerical", "essay", "ordering", "x"]
    ),
    st.sampled_from(["html", "markdown", "plain_text", "moodle_auto_format", "?"]),
    st.sampled_from(["100", "50", "-33.3", "x", "1e400", "nan"]),
)
def test_any_text_in_a_question_gives_a_result_or_a_format_error(html, kind, text_format, fraction):
    escaped = html.replace("&", "&amp;").replace("<", "&lt;")
    text = quiz(
        f"""<question type="{kind}">
  <questiontext format="{text_format}"><text>{escaped}</text></questiontext>
  <defaultgrade>{fraction}</defaultgrade>
  <answer fraction="{fraction}" format="{text_format}"><text>{escaped}</text>
    <feedback><text>{escaped}</text></feedback></answer>
  <tags><tag><text>hoithi-time:{fraction}</text></tag></tags>
</question>"""
    )
    try:
        result = read(text)
    except FormatError:
        return
    for one in result.records:  # typed HTML is shown as text, never run
        assert "<script" not in render(one.content["stem"])


def test_the_example_in_the_documentation_reads_without_issues():
    docs = (Path(__file__).parents[3] / "docs" / "formats.md").read_text(encoding="utf-8")
    example = docs.split("```xml\n", 1)[1].split("```", 1)[0]
    result = read(example)

    assert result.issues == []
    [record] = result.records
    assert (record.key, record.level, record.themes) == (
        "ct05-date",
        "recall",
        ["Chỉ thị 05-CT/TW"],
    )


# ---- any question the bank can hold comes back ----

TRICKY = "aăâđêôơưĐÀỹ 05-/*_&<>[]`#\\\"'.:]!%"
no_tag = HTML_TAG.search  # a typed "<b>" is cut from Markdown, as documented


def text_line():
    return (
        st.text(alphabet=TRICKY, min_size=1, max_size=12)
        .map(clean_line)
        .filter(lambda text: text and not no_tag(text))
    )


def text_block():
    return st.text(alphabet=TRICKY + "\n", min_size=1, max_size=40).filter(
        lambda text: text.strip() and not no_tag(text)
    )


def choice_content(kind):
    options = st.lists(text_line(), min_size=2, max_size=8, unique_by=str.casefold)
    return st.builds(
        lambda stem, explanation, texts, feedback, scoring: {
            "type": kind,
            "stem": stem,
            "explanation": explanation,
            "options": [
                {"text": text, "correct": index == 0 or (kind == "multiple" and index == 1)}
                | ({"feedback": feedback} if index == 0 else {})
                for index, text in enumerate(texts)
            ],
            **({"scoring": scoring} if kind == "multiple" else {}),
        },
        text_block(),
        text_block(),
        options,
        text_block(),
        st.sampled_from(["partial", "all_or_nothing"]),
    )


contents = st.one_of(
    choice_content("single"),
    choice_content("multiple"),
    st.builds(
        lambda stem, accepted, ignore: {
            "type": "short_text",
            "stem": stem,
            "accepted": accepted,
            "ignore_diacritics": ignore,
        },
        text_block(),
        st.lists(text_line(), min_size=1, max_size=4),
        st.booleans(),
    ),
    st.builds(
        lambda stem, value, tolerance, unit: {
            "type": "numeric",
            "stem": stem,
            "value": value,
            "tolerance": tolerance,
            **({"unit": unit} if unit else {}),
        },
        text_block(),
        st.integers(-(10**12), 10**12) | st.floats(-1e9, 1e9, allow_nan=False),
        st.sampled_from([0, 0.5, 2]),
        st.none() | text_line(),
    ),
    st.builds(
        lambda stem, items: {"type": "ordering", "stem": stem, "items": items},
        text_block(),
        st.lists(text_line(), min_size=2, max_size=8, unique_by=str.casefold),
    ),
    st.builds(
        lambda stem, guidance: {"type": "open", "stem": stem, "guidance": guidance},
        text_block(),
        text_block(),
    ),
)
records = st.builds(
    QuestionRecord,
    content=contents,
    title=st.just("") | text_line(),
    key=st.none() | text_line(),
    level=st.none() | st.sampled_from(["recall", "application"]),
    points=st.none() | st.integers(0, 1000),
    time_limit_s=st.none() | st.integers(5, 3600),
    themes=st.lists(text_line(), max_size=2),
    categories=st.lists(text_line(), max_size=2),
    tags=st.lists(text_line().filter(lambda tag: not tag.startswith("hoithi-")), max_size=2),
    source_document=st.just("") | text_line(),
    source_url=st.just("") | text_line(),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(records, min_size=1, max_size=3))
def test_any_question_the_bank_holds_comes_back_from_moodle_xml(originals):
    exported = moodle_xml.write(originals)
    again = moodle_xml.read(exported.data).records

    assert exported.skipped == []
    assert len(again) == len(originals)
    for original, one in zip(originals, again, strict=True):
        assert normalised(one.content) == normalised(original.content)
        one.content = original.content
        one.line = original.line
        assert one == original
