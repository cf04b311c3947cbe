"""Word test papers as Vietnamese organisers type them, and the papers the bank writes."""

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import RGBColor
from hypothesis import given, settings
from hypothesis import strategies as st

from questions.content import normalised
from questions.formats import FormatError, QuestionRecord, word
from questions.formats import read as read_any

# ---- building papers the way people do ---------------------------------------------------------


def run(text, bold=False, underline=False, color=None, highlight=False):
    return {"text": text, "bold": bold, "underline": underline, "color": color, "hl": highlight}


def add(document, paragraph, style=None):
    """A paragraph from a string or a list of strings and `run(...)` pieces."""
    made = document.add_paragraph(style=style)
    for piece in [paragraph] if isinstance(paragraph, str) else paragraph:
        piece = run(piece) if isinstance(piece, str) else piece
        added = made.add_run(piece["text"])  # "\n" becomes a soft return, "\t" a tab
        added.bold = piece["bold"] or None
        added.underline = piece["underline"] or None
        if piece["color"]:
            added.font.color.rgb = RGBColor.from_string(piece["color"])
        if piece["hl"]:
            added.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return made


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def paper(*paragraphs) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        add(document, paragraph)
    return saved(document)


def read(data: bytes):
    """The reader plus the shared content checks, as the import runs them."""
    return read_any(data, filename="de-thi.docx")


def only(data: bytes) -> dict:
    result = read(data)
    assert result.issues == []
    assert len(result.records) == 1
    return result.records[0].content


def correct(content: dict) -> list[str]:
    return [option["text"] for option in content["options"] if option["correct"]]


def list_definition(document, formats: list[str]) -> str:
    """A numbering definition (one format per level) like Word's Bullets and Numbering menu."""
    numbering = document.part.numbering_part.element
    ids = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=0) + 1
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
        f'<w:lvlText w:val="%{level + 1}."/></w:lvl>'
        for level, number_format in enumerate(formats)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{levels}</w:abstractNum>'
    )
    numbering.find(qn("w:num")).addprevious(abstract)  # abstract lists come before nums
    num_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return str(num_id)


def numbered(paragraph, num_id: str, level: int = 0):
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return paragraph


# ---- the correct answer, marked the usual ways --------------------------------------------------


def test_the_bold_option_is_the_correct_one():
    content = only(
        paper(
            "Câu 1: Chỉ thị 05-CT/TW được ban hành năm nào?",
            "A. 2011",
            ["B. ", run("2016", bold=True)],
            "C. 2021",
            "D. 2006",
        )
    )
    assert content["type"] == "single"
    assert content["stem"] == "Chỉ thị 05-CT/TW được ban hành năm nào?"
    assert [o["text"] for o in content["options"]] == ["2011", "2016", "2021", "2006"]
    assert correct(content) == ["2016"]


def test_the_underlined_option_is_the_correct_one():
    content = only(
        paper(
            "Câu 1. Chỉ thị 05-CT/TW do cơ quan nào ban hành?",
            [run("A. Bộ Chính trị", underline=True)],
            "B. Ban Bí thư",
            "C. Quốc hội",
        )
    )
    assert correct(content) == ["Bộ Chính trị"]


@pytest.mark.parametrize("colour", ["FF0000", "C00000", "E00000", "C0504D"])
def test_red_text_marks_the_correct_option(colour):
    content = only(
        paper(
            "Câu 1 - Kết luận 01-KL/TW ban hành năm nào?",
            "A. 2016",
            ["B. ", run("2021", color=colour)],
            "C. 2011",
        )
    )
    assert correct(content) == ["2021"]


def test_orange_or_blue_text_is_not_an_answer_mark():
    result = read(
        paper(
            "Câu 1: Kết luận 01-KL/TW ban hành năm nào?",
            ["A. ", run("2016", color="FF9900")],
            ["B. ", run("2021", color="0070C0")],
            "C. 2011",
        )
    )
    assert result.records == []
    assert [(issue.line, issue.field) for issue in result.issues] == [(1, "options")]


def test_highlighted_option_is_the_correct_one():
    content = only(
        paper(
            "Câu 1: Bác Hồ sinh năm nào?",
            "A. 1890",
            "B. 1911",
            ["C. ", run("1890s", highlight=True)],
        )
    )
    assert correct(content) == ["1890s"]


def test_a_star_before_the_letter_marks_the_correct_option():
    content = only(paper("Câu hỏi 1: Thủ đô của Việt Nam?", "A. Huế", "*B. Hà Nội", "C. Sài Gòn"))
    assert correct(content) == ["Hà Nội"]
    assert [o["text"] for o in content["options"]] == ["Huế", "Hà Nội", "Sài Gòn"]


@pytest.mark.parametrize(
    "line", ["Đáp án: B", "Đáp án đúng: B", "ĐA: B", "ĐÁP ÁN: b", "Đáp án: B."]
)
def test_an_answer_line_names_the_correct_option(line):
    content = only(paper("Câu 1: Thủ đô của Việt Nam?", "A. Huế", "B. Hà Nội", "C. Sài Gòn", line))
    assert content["type"] == "single"
    assert correct(content) == ["Hà Nội"]


def test_an_answer_line_with_several_letters_makes_a_multiple_choice_question():
    content = only(
        paper(
            "Câu 1: Những văn bản nào ban hành vào tháng 5?",
            "A. Chỉ thị 05-CT/TW",
            "B. Chỉ thị 06-CT/TW",
            "C. Kết luận 01-KL/TW",
            "Đáp án: A, C",
        )
    )
    assert content["type"] == "multiple"
    assert correct(content) == ["Chỉ thị 05-CT/TW", "Kết luận 01-KL/TW"]
    assert content["scoring"] == "all_or_nothing"


def test_several_bold_options_make_a_multiple_choice_question():
    content = only(
        paper(
            "Câu 1: Chọn các ý đúng",
            [run("A. Tư tưởng", bold=True)],
            [run("B. Đạo đức", bold=True)],
            "C. Kinh tế",
            [run("D. Phong cách", bold=True)],
        )
    )
    assert content["type"] == "multiple"
    assert correct(content) == ["Tư tưởng", "Đạo đức", "Phong cách"]


def test_bold_letters_on_every_option_are_style_not_an_answer():
    content = only(
        paper(
            "Câu 1: Thủ đô của Việt Nam?",
            [run("A. ", bold=True), "Huế"],
            [run("B. ", bold=True), run("Hà Nội", bold=True)],
            [run("C. ", bold=True), "Sài Gòn"],
        )
    )
    assert correct(content) == ["Hà Nội"]

    result = read(
        paper(
            "Câu 1: Thủ đô của Việt Nam?",
            [run("A. ", bold=True), "Huế"],
            [run("B. ", bold=True), "Hà Nội"],
        )
    )
    assert result.records == []
    assert [issue.line for issue in result.issues] == [1]


def test_a_bold_letter_on_one_option_only_marks_it():
    content = only(paper("Câu 1: Thủ đô?", "A. Huế", [run("B.", bold=True), " Hà Nội"], "C. Vinh"))
    assert correct(content) == ["Hà Nội"]


def test_marks_that_disagree_are_reported_with_the_question_number():
    result = read(
        paper(
            "Câu 12: Thủ đô của Việt Nam?",
            "A. Huế",
            ["B. ", run("Hà Nội", bold=True)],
            ["C. ", run("Sài Gòn", color="FF0000")],
        )
    )
    assert result.records == []
    [issue] = result.issues
    assert issue.line == 1 and issue.field == "options"
    assert "12" in issue.message and "B" in issue.message and "C" in issue.message


def test_an_answer_line_that_disagrees_with_the_bold_option_is_reported():
    result = read(
        paper("Câu 3: Thủ đô?", "A. Huế", [run("B. Hà Nội", bold=True)], "C. Vinh", "Đáp án: C")
    )
    assert result.records == []
    assert [issue.line for issue in result.issues] == [1]


# ---- options laid out on one line ------------------------------------------------------------


def test_options_separated_by_tabs_on_one_line():
    content = only(
        paper(
            "Câu 1: Chỉ thị 05-CT/TW ban hành năm nào?",
            ["A. 2011\tB. ", run("2016", bold=True), "\tC. 2021\tD. 2006"],
        )
    )
    assert [o["text"] for o in content["options"]] == ["2011", "2016", "2021", "2006"]
    assert correct(content) == ["2016"]


def test_options_separated_by_wide_spaces_and_soft_returns():
    content = only(
        paper(
            "Câu 1: Chỉ thị 05-CT/TW ban hành năm nào?\nA) 2011    B) 2016\nC) 2021    D) 2006",
            "Đáp án: B",
        )
    )
    assert [o["text"] for o in content["options"]] == ["2011", "2016", "2021", "2006"]
    assert correct(content) == ["2016"]


def test_lower_case_letters_and_a_double_space_inside_an_option_text():
    content = only(paper("Câu 1: Ai?", "a. Hồ Chí Minh  (1890–1969)", "b. Khác", "Đáp án: a"))
    assert [o["text"] for o in content["options"]] == ["Hồ Chí Minh (1890–1969)", "Khác"]


def test_options_in_a_table_are_read_cell_by_cell():
    document = docx.Document()
    add(document, "Câu 1: Thủ đô của Việt Nam?")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "A. Huế"
    table.cell(0, 1).text = "B. Hà Nội"
    table.cell(1, 0).text = "C. Vinh"
    table.cell(1, 1).text = "D. Đà Nẵng"
    add(document, "Đáp án: B")
    result = read(saved(document))
    assert result.issues == []
    content = result.records[0].content
    assert [o["text"] for o in content["options"]] == ["Huế", "Hà Nội", "Vinh", "Đà Nẵng"]
    assert correct(content) == ["Hà Nội"]


# ---- Word's automatic numbering ----------------------------------------------------------------


def test_list_number_stems_with_typed_options():
    document = docx.Document()
    add(document, "ĐỀ THI TÌM HIỂU CHỈ THỊ 05")
    add(document, "Chỉ thị 05-CT/TW ban hành năm nào?", style="List Number")
    add(document, "A. 2011")
    add(document, ["B. ", run("2016", bold=True)])
    add(document, "Ai ký Chỉ thị 05-CT/TW?", style="List Number")
    add(document, "A. Tổng Bí thư")
    add(document, "B. Thủ tướng")
    add(document, "Đáp án: A")
    result = read(saved(document))
    assert result.issues == []
    assert [r.content["stem"] for r in result.records] == [
        "Chỉ thị 05-CT/TW ban hành năm nào?",
        "Ai ký Chỉ thị 05-CT/TW?",
    ]
    assert [r.line for r in result.records] == [2, 5]
    assert correct(result.records[0].content) == ["2016"]
    assert correct(result.records[1].content) == ["Tổng Bí thư"]


def test_lettered_numbering_makes_options():
    document = docx.Document()
    stems = list_definition(document, ["decimal"])
    letters = list_definition(document, ["lowerLetter"])
    numbered(add(document, "Thủ đô của Việt Nam là gì?"), stems)
    numbered(add(document, "Huế"), letters)
    numbered(add(document, [run("Hà Nội", underline=True)]), letters)
    numbered(add(document, "Vinh"), letters)
    numbered(add(document, "Bác Hồ sinh năm nào?"), stems)
    second = list_definition(document, ["upperLetter"])  # a new list restarts at a.
    numbered(add(document, "1890"), second)
    numbered(add(document, "1911"), second)
    add(document, "Đáp án: A")
    result = read(saved(document))
    assert result.issues == []
    first, other = (record.content for record in result.records)
    assert [o["text"] for o in first["options"]] == ["Huế", "Hà Nội", "Vinh"]
    assert correct(first) == ["Hà Nội"]
    assert correct(other) == ["1890"]


def test_one_multi_level_list_numbers_stems_and_letters_options():
    document = docx.Document()
    outline = list_definition(document, ["decimal", "lowerLetter"])
    numbered(add(document, "Thủ đô của Việt Nam là gì?"), outline)
    numbered(add(document, "Huế"), outline, level=1)
    numbered(add(document, [run("Hà Nội", color="FF0000")]), outline, level=1)
    numbered(add(document, "Đúng hay sai: Bác Hồ sinh năm 1890."), outline)
    numbered(add(document, [run("Đúng", bold=True)]), outline, level=1)
    numbered(add(document, "Sai"), outline, level=1)
    result = read(saved(document))
    assert result.issues == []
    capital, birth = (record.content for record in result.records)
    assert correct(capital) == ["Hà Nội"]
    assert birth["type"] == "true_false" and birth["answer"] is True


def test_a_numbered_list_inside_an_explanation_does_not_start_questions():
    document = docx.Document()
    add(document, "Câu 1: Chỉ thị 05-CT/TW có mấy nội dung chính?")
    add(document, "A. Hai")
    add(document, "B. Ba")
    add(document, "Đáp án: B")
    add(document, "Giải thích: Ba nội dung là:")
    points = list_definition(document, ["decimal"])
    numbered(add(document, "Tư tưởng"), points)
    numbered(add(document, "Đạo đức"), points)
    numbered(add(document, "Phong cách"), points)
    add(document, "Câu 2: Thủ đô?")
    add(document, "A. Hà Nội")
    add(document, "B. Huế")
    add(document, "ĐA: A")
    result = read(saved(document))
    assert result.issues == []
    assert len(result.records) == 2
    assert result.records[0].content["explanation"] == (
        "Ba nội dung là:\nTư tưởng\nĐạo đức\nPhong cách"
    )


# ---- stems, explanations and the other types ---------------------------------------------------


def test_a_stem_runs_over_several_paragraphs_until_the_first_option():
    content = only(
        paper(
            "Câu 1: Đọc đoạn trích sau:",
            "“Không có gì quý hơn độc lập, tự do.”",
            "",
            "Câu nói trên của ai?",
            "A. Hồ Chí Minh",
            "B. Lê Duẩn",
            "Đáp án: A",
        )
    )
    assert content["stem"] == (
        "Đọc đoạn trích sau:\n“Không có gì quý hơn độc lập, tự do.”\n\nCâu nói trên của ai?"
    )


def test_bold_words_in_a_stem_become_markdown_but_a_wholly_bold_stem_stays_plain():
    result = read(
        paper(
            [run("Câu 1: ", bold=True), "Ý nào sau đây ", run("KHÔNG", bold=True), " đúng?"],
            "A. Một",
            "B. Hai",
            "Đáp án: A",
            [run("Câu 2: Ý nào sau đây đúng?", bold=True)],
            "A. Một",
            "B. Hai",
            "Đáp án: B",
        )
    )
    assert [r.content["stem"] for r in result.records] == [
        "Ý nào sau đây **KHÔNG** đúng?",
        "Ý nào sau đây đúng?",
    ]


def test_explanations_over_several_paragraphs():
    content = only(
        paper(
            "Câu 1: Thủ đô?",
            "A. Hà Nội",
            "B. Huế",
            "Đáp án: A",
            "Giải thích: Hà Nội là thủ đô từ năm 1010.",
            "Trước đó là Hoa Lư.",
        )
    )
    assert content["explanation"] == "Hà Nội là thủ đô từ năm 1010.\nTrước đó là Hoa Lư."


def test_huong_dan_is_an_explanation_too():
    content = only(paper("Câu 1: Thủ đô?", "A. Hà Nội", "B. Huế", "Hướng dẫn: Xem SGK.", "ĐA: A"))
    assert content["explanation"] == "Xem SGK."


def test_dung_sai_options_make_a_true_false_question():
    content = only(paper("Câu 1: Bác Hồ sinh năm 1890.", "A. Đúng\tB. Sai", "Đáp án: A"))
    assert content == {
        "type": "true_false",
        "stem": "Bác Hồ sinh năm 1890.",
        "explanation": "",
        "answer": True,
    }


def test_an_answer_without_options_makes_true_false_short_text_or_numeric():
    result = read(
        paper(
            "Câu 1: Chỉ thị 05-CT/TW do Ban Bí thư ban hành.",
            "Đáp án: Sai",
            "Câu 2: Ghi số hiệu chỉ thị về học tập và làm theo Bác năm 2016.",
            "Đáp án: 05-CT/TW; Chỉ thị 05",
            "Câu 3: Có bao nhiêu đại biểu dự hội nghị?",
            "Đáp án: 4.360 đại biểu",
            "Câu 4: Tỉ lệ đảng viên đạt chuẩn là bao nhiêu phần trăm?",
            "Đáp án: 99,7",
            "Sai số: 0,1",
        )
    )
    assert result.issues == []
    tf, short, count, rate = (record.content for record in result.records)
    assert tf["type"] == "true_false" and tf["answer"] is False
    assert short["type"] == "short_text"
    assert short["accepted"] == ["05-CT/TW", "Chỉ thị 05"]
    assert count["type"] == "numeric" and count["value"] == 4360 and count["unit"] == "đại biểu"
    assert rate["type"] == "numeric" and rate["value"] == 99.7 and rate["tolerance"] == 0.1


def test_questions_without_options_or_answers_are_open_in_an_essay_paper():
    result = read(
        paper(
            "Câu 1: Trình bày ý nghĩa của Chỉ thị 05-CT/TW.",
            "Câu 2: Liên hệ bản thân.",
            "Hướng dẫn chấm: Nêu được 3 ý.",
        )
    )
    assert result.issues == []
    assert [r.content["type"] for r in result.records] == ["open", "open"]
    assert result.records[1].content["guidance"] == "Nêu được 3 ý."


def test_a_bare_stem_in_a_choice_paper_is_reported_not_made_an_essay():
    result = read(
        paper(
            "Câu 1: Thủ đô?",
            "A. Hà Nội",
            "B. Huế",
            "Đáp án: A",
            "Câu 2: Bác Hồ sinh năm nào?",
            "Câu 3: Trình bày cảm nghĩ.",
            "Loại câu hỏi: Tự luận",
        )
    )
    assert [(issue.line, issue.field) for issue in result.issues] == [(5, "options")]
    assert "2" in result.issues[0].message
    assert [r.content["type"] for r in result.records] == ["single", "open"]


def test_an_ordering_question_names_its_type_and_lists_the_order():
    content = only(
        paper(
            "Câu 1: Sắp xếp theo thời gian ban hành:",
            "A. Chỉ thị 05-CT/TW",
            "B. Chỉ thị 06-CT/TW",
            "C. Kết luận 01-KL/TW",
            "Đáp án: B, A, C",
            "Loại câu hỏi: Sắp xếp",
        )
    )
    assert content["type"] == "ordering"
    assert content["items"] == ["Chỉ thị 06-CT/TW", "Chỉ thị 05-CT/TW", "Kết luận 01-KL/TW"]


def test_the_bank_details_are_read_after_the_answer():
    result = read(
        paper(
            "Câu 1: Thủ đô?",
            "A. Hà Nội",
            "B. Huế",
            "Đáp án: A",
            "Mức độ: Thông hiểu\nĐiểm: 20\nThời gian: 1 phút",
            "Chủ đề: Chỉ thị 05-CT/TW\nThẻ: địa lý, lịch sử",
        )
    )
    assert result.issues == []
    [record] = result.records
    assert (record.level, record.points, record.time_limit_s) == ("understanding", 20, 60)
    assert record.themes == ["Chỉ thị 05-CT/TW"]
    assert record.tags == ["địa lý", "lịch sử"]


# ---- what is ignored and what is refused ------------------------------------------------------


def test_titles_instructions_section_headings_and_the_end_mark_are_ignored():
    result = read(
        paper(
            "ĐẢNG BỘ XÃ AN BÌNH",
            "Đề thi tìm hiểu Chỉ thị 05-CT/TW",
            "Thời gian làm bài: 30 phút",
            "Họ và tên: ……………… Đơn vị: ………………",
            "A. PHẦN TRẮC NGHIỆM",
            "Câu 1: Thủ đô?",
            "A. Hà Nội",
            "B. Huế",
            "Đáp án: A",
            "B. PHẦN TỰ LUẬN",
            "Câu 2: Trình bày cảm nghĩ của đồng chí.",
            "Loại câu hỏi: Tự luận",
            "--- HẾT ---",
        )
    )
    assert result.issues == []
    assert [r.line for r in result.records] == [6, 11]
    assert result.position == "paragraph"


def test_points_or_a_level_in_brackets_after_the_number_are_read():
    result = read(
        paper(
            "Câu 1 (20 điểm): Thủ đô?",
            "A. Hà Nội",
            "B. Huế",
            "Đáp án: A",
            "Câu 2 (VD). Chọn một",
            "A. Một",
            "B. Hai",
            "Đáp án: B",
            "Câu 3 (trích): Ai nói?",
            "A. Bác",
            "B. Khác",
            "Đáp án: A",
        )
    )
    assert result.issues == []
    first, second, third = result.records
    assert (first.points, first.content["stem"]) == (20, "Thủ đô?")
    assert (second.level, second.content["stem"]) == ("application", "Chọn một")
    assert third.content["stem"] == "(trích): Ai nói?"


def test_a_bad_paper_is_refused_whole_with_every_problem_and_its_paragraph():
    result = read(
        paper(
            "Đề thi thử",  # 1
            "A. Một phương án không có câu hỏi",  # 2
            "Câu 1: Không có đáp án được đánh dấu?",  # 3
            "A. Một",
            "B. Hai",
            "Câu 2: Chỉ có một phương án?",  # 6
            "A. Một",
            "Đáp án: A",
            "Câu 3: Đáp án không có trong các phương án?",  # 9
            "A. Một",
            "B. Hai",
            "C. Ba",
            "D. Bốn",
            "Đáp án: E",  # 14
            "Câu 4: Câu đúng",  # 15
            "A. Một",
            "B. Hai",
            "Đáp án: A",
            "Một đoạn lạc chỗ.",  # 19
        )
    )
    assert not result.ok
    assert [(issue.line, issue.field) for issue in result.issues] == [
        (2, ""),
        (3, "options"),
        (6, "options"),
        (14, "answer"),
        (19, ""),
    ]
    numbers = [issue.message for issue in result.issues[1:]]
    assert "1" in numbers[0] and "2" in numbers[1] and "E" in numbers[2] and "4" in numbers[3]


def test_option_letters_out_of_order_are_reported():
    result = read(paper("Câu 1: Thủ đô?", "A. Hà Nội", "C. Huế", "Đáp án: A"))
    assert [(issue.line, issue.field) for issue in result.issues] == [(3, "options")]


def test_a_document_without_questions_says_how_to_write_them():
    result = read(paper("Chỉ có lời dẫn.", "Không có câu hỏi nào."))
    assert result.records == []
    assert [issue.line for issue in result.issues] == [None]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a word file at all",
        b"PK\x03\x04 broken zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .doc file",
    ],
)
def test_a_file_that_is_not_a_docx_is_refused_whole(data):
    with pytest.raises(FormatError) as refused:
        word.read(data)
    assert ".docx" in refused.value.message


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(FormatError):
        word.read(buffer.getvalue())


def test_a_word_document_with_broken_xml_is_refused():
    source = zipfile.ZipFile(io.BytesIO(paper("Câu 1: Thủ đô?", "A. Hà Nội", "B. Huế")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            archive.writestr(item, data)
    with pytest.raises(FormatError):
        word.read(buffer.getvalue())


PIECES = [
    "Câu 1:",
    "Câu 2.",
    "A. ",
    "B) ",
    "*C. ",
    "Đáp án: ",
    "ĐA: A, C",
    "Giải thích:",
    "Loại câu hỏi: Sắp xếp",
    "Đơn vị:",
    "Đúng",
    "Sai",
    "\t",
    "\n",
    "  ",
    "12",
    "Hà Nội",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(PIECES), st.text(max_size=8)),
                st.booleans(),
                st.sampled_from([None, "FF0000", "000000"]),
            ),
            max_size=5,
        ),
        max_size=12,
    )
)
def test_any_paragraphs_give_records_or_issues_never_a_crash(paragraphs):
    document = docx.Document()
    for pieces in paragraphs:
        cleaned = [
            run("".join(ch for ch in text if ch.isprintable() or ch in "\t\n"), bold, color=colour)
            for text, bold, colour in pieces
        ]
        add(document, cleaned)
    result = read(saved(document))
    assert result.records or result.issues


def test_nine_lettered_options_with_marks_that_disagree_are_reported_not_a_crash():
    document = docx.Document()
    add(document, "Câu 1: Chọn một tỉnh")
    letters = list_definition(document, ["upperLetter"])
    for index in range(9):
        numbered(add(document, [run(f"Tỉnh {index + 1}", bold=index == 8)]), letters)
    add(document, "Đáp án: A")
    result = read(saved(document))
    assert result.records == []
    assert any("bold: I" in issue.message for issue in result.issues if issue.field == "options")


# ---- an answer table at the end of the paper ---------------------------------------------------

THREE_QUESTIONS = (
    "Câu 1: Thủ đô của Việt Nam?",  # 1
    "A. Huế",
    "B. Hà Nội",
    "C. Vinh",
    "Câu 2: Bác Hồ sinh năm nào?",  # 5
    "A. 1890",
    "B. 1911",
    "Câu 3: Những văn bản nào ban hành tháng 5?",  # 8
    "A. Chỉ thị 05",
    "B. Chỉ thị 06",
    "C. Kết luận 01",
)


def answers(result) -> list[list[str]]:
    assert result.issues == []
    return [correct(record.content) for record in result.records]


@pytest.mark.parametrize(
    "table",
    [
        ["BẢNG ĐÁP ÁN", "1-B 2-A 3-A,C"],
        ["ĐÁP ÁN", "1.B; 2.A; 3.A,C"],
        ["Đáp án:", "1B\t2A\t3AC"],
        ["ĐÁP ÁN", "", "Câu 1: B", "Câu 2: A", "Câu 3: A, C", "--- HẾT ---"],
        ["BẢNG ĐÁP ÁN: 1. B, 2. A, 3. A và C"],
    ],
)
def test_an_answer_table_at_the_end_marks_the_correct_options(table):
    result = read(paper(*THREE_QUESTIONS, *table))
    assert answers(result) == [["Hà Nội"], ["1890"], ["Chỉ thị 05", "Kết luận 01"]]
    assert result.records[2].content["type"] == "multiple"


def word_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            table.cell(row, column).text = text


@pytest.mark.parametrize(
    "rows",
    [
        [["Câu", "1", "2", "3"], ["Đáp án", "B", "A", "A, C"]],  # numbers above their letters
        [["Câu", "Đáp án"], ["1", "B"], ["2", "A"], ["3", "A, C"]],  # numbers beside them
        [["1-B", "2-A", "3-AC"]],  # entries typed in the cells
    ],
)
def test_an_answer_table_in_a_word_table(rows):
    document = docx.Document()
    for paragraph in THREE_QUESTIONS:
        add(document, paragraph)
    add(document, "BẢNG ĐÁP ÁN")
    word_table(document, rows)
    assert answers(read(saved(document))) == [["Hà Nội"], ["1890"], ["Chỉ thị 05", "Kết luận 01"]]


def test_a_word_table_whose_header_cell_says_dap_an_needs_no_heading_above_it():
    document = docx.Document()
    for paragraph in THREE_QUESTIONS:
        add(document, paragraph)
    word_table(document, [["Câu", "1", "2", "3"], ["Đáp án", "B", "A", "C"]])
    assert answers(read(saved(document))) == [["Hà Nội"], ["1890"], ["Kết luận 01"]]


def test_bold_marks_and_an_answer_table_that_disagree_are_reported():
    result = read(
        paper(
            "Câu 1: Thủ đô của Việt Nam?",
            "A. Huế",
            ["B. ", run("Hà Nội", bold=True)],
            "C. Vinh",
            "Câu 2: Bác Hồ sinh năm nào?",  # 5
            [run("A. 1890", bold=True)],
            "B. 1911",
            "BẢNG ĐÁP ÁN",
            "1-C 2-A",
        )
    )
    assert len(result.records) == 1  # question 2: the bold option and the table agree
    [issue] = result.issues
    assert (issue.line, issue.field) == (1, "options")
    assert "answer table: C" in issue.message and "bold: B" in issue.message


def test_an_answer_table_that_names_no_question_or_a_missing_option_is_reported():
    result = read(
        paper(
            *THREE_QUESTIONS,
            "ĐÁP ÁN",  # 12
            "1-B 2-C 3-A",  # 13
            "4-D",  # 14
            "Mỗi câu đúng được 0,25 điểm.",  # 15
        )
    )
    assert [(issue.line, issue.field) for issue in result.issues] == [
        (13, "answer"),
        (14, "answer"),
        (15, "answer"),
    ]
    question_two, question_four, stray = (issue.message for issue in result.issues)
    assert "2" in question_two and "C" in question_two
    assert "4" in question_four
    assert "answer table" in stray


def test_an_answer_table_entry_for_a_question_without_options_is_reported():
    result = read(paper("Câu 1: Thủ đô của Việt Nam?", "Đáp án: Hà Nội", "ĐÁP ÁN", "1-A 2-B"))
    assert [(issue.line, issue.field) for issue in result.issues] == [(4, "answer"), (4, "answer")]


def test_an_answer_table_gives_the_order_of_an_ordering_question():
    content = only(
        paper(
            "Câu 1: Sắp xếp theo thời gian",
            "A. Kết luận 01",
            "B. Chỉ thị 05",
            "C. Chỉ thị 06",
            "Loại câu hỏi: Sắp xếp",
            "ĐÁP ÁN",
            "1-B,C,A",
        )
    )
    assert content["items"] == ["Chỉ thị 05", "Chỉ thị 06", "Kết luận 01"]


def test_an_answer_heading_followed_by_text_is_not_an_answer_table():
    result = read(paper("Câu 1: Thủ đô?", "A. Huế", "B. Hà Nội", "Đáp án: B", "ĐÁP ÁN", "Ghi chú."))
    assert [(issue.line, issue.field) for issue in result.issues] == [(6, "")]
    content = only(paper("Câu 1: Dòng điện bao nhiêu?", "Đáp án: 5 A"))
    assert (content["type"], content["value"], content["unit"]) == ("numeric", 5, "A")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Câu 1: Thủ đô?",
                "Câu 2: Năm nào?",
                "A. Huế",
                "B. Hà Nội",
                "BẢNG ĐÁP ÁN",
                "ĐÁP ÁN:",
                "1-B 2-A",
                "Câu 1: B",
                "3.C; 1.A",
                "2-Z",
                "HẾT",
                "",
                "ghi chú",
            ]
        ),
        max_size=14,
    )
)
def test_any_paper_with_answer_tables_gives_records_or_issues_never_a_crash(paragraphs):
    result = read(paper(*paragraphs))
    assert result.records or result.issues


# ---- writing -----------------------------------------------------------------------------------

DETAILS = (
    "title",
    "key",
    "level",
    "points",
    "time_limit_s",
    "themes",
    "tags",
    "source_document",
    "source_section",
    "source_url",
)


def test_the_whole_sample_bank_round_trips_with_its_details(samples):
    exported = word.write(samples)
    assert exported.skipped == []
    result = read(exported.data)
    assert result.issues == []
    assert len(result.records) == len(samples)
    for original, back in zip(samples, result.records, strict=True):
        assert normalised(back.content) == normalised(original.content), original.key
        for name in DETAILS:
            assert getattr(back, name) == getattr(original, name), (original.key, name)


def test_the_export_reads_like_a_test_paper():
    record = QuestionRecord(
        content={
            "type": "single",
            "stem": "Thủ đô của **Việt Nam**?",
            "explanation": "Từ năm 1010.",
            "options": [{"text": "Huế"}, {"text": "Hà Nội", "correct": True}],
        },
        level="recall",
    )
    document = docx.Document(io.BytesIO(word.write([record]).data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[1:6] == [
        "Câu 1: Thủ đô của Việt Nam?",
        "A. Huế",
        "B. Hà Nội",
        "Đáp án: B",
        "Giải thích: Từ năm 1010.",
    ]
    assert [r.text for r in document.paragraphs[1].runs if r.bold] == ["Câu 1: ", "Việt Nam"]


def test_types_that_need_a_type_line_get_one_and_come_back_the_same():
    records = [
        QuestionRecord(content={"type": "short_text", "stem": "Năm nào?", "accepted": ["1945"]}),
        QuestionRecord(
            content={
                "type": "multiple",
                "stem": "Chọn các ý đúng",
                "options": [{"text": "Một", "correct": True}, {"text": "Hai"}],
                "scoring": "partial",
            }
        ),
        QuestionRecord(
            content={
                "type": "single",
                "stem": "Chọn một",
                "options": [{"text": "Đúng", "correct": True}, {"text": "Sai"}],
            }
        ),
        QuestionRecord(content={"type": "open", "stem": "Trình bày."}),
        QuestionRecord(
            content={"type": "numeric", "stem": "Bao nhiêu?", "value": 2.5, "tolerance": 0.25}
        ),
    ]
    result = read(word.write(records).data)
    assert result.issues == []
    assert [normalised(r.content) for r in result.records] == [
        normalised(r.content) for r in records
    ]


def test_weights_and_option_feedback_are_skipped_with_a_reason():
    records = [
        QuestionRecord(
            content={
                "type": "multiple",
                "stem": "Có trọng số",
                "scoring": "partial",
                "options": [
                    {"text": "Một", "correct": True, "weight": 100},
                    {"text": "Hai", "weight": -50},
                ],
            }
        ),
        QuestionRecord(
            content={
                "type": "single",
                "stem": "Có phản hồi",
                "options": [
                    {"text": "Một", "correct": True, "feedback": "Đúng rồi"},
                    {"text": "Hai"},
                ],
            }
        ),
        QuestionRecord(
            content={
                "type": "single",
                "stem": "Bình thường",
                "options": [{"text": "Một", "correct": True}, {"text": "Hai"}],
            }
        ),
    ]
    exported = word.write(records)
    assert [(s.index, s.stem) for s in exported.skipped] == [(0, "Có trọng số"), (1, "Có phản hồi")]
    assert all(s.reason for s in exported.skipped)
    assert [r.content["stem"] for r in read(exported.data).records] == ["Bình thường"]


def test_a_paper_without_answers_shows_no_answer(samples):
    data = word.write_paper(samples[:12], "Đề thi vòng 1", with_answers=False)
    texts = [paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs]
    assert texts[0] == "Đề thi vòng 1"
    assert not any(text.startswith(("Đáp án", "Giải thích", "Mã câu hỏi")) for text in texts)
    assert sum(text.startswith("Câu ") for text in texts) == 12
    assert any(text.startswith("Trả lời:") for text in texts)  # room to write a short answer


def test_the_judges_copy_of_a_paper_reads_back_as_the_same_questions(samples):
    data = word.write_paper(samples, "Đáp án vòng 1", with_answers=True)
    result = read(data)
    assert result.issues == []
    assert [normalised(r.content) for r in result.records] == [
        normalised(r.content) for r in samples
    ]


def test_an_ordering_question_is_printed_shuffled(samples):
    ordering = next(s for s in samples if s.content["type"] == "ordering")
    data = word.write_paper([ordering], "Đề", with_answers=False)
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    shown = [text[3:] for text in texts if text[:3] in ("A. ", "B. ", "C. ", "D. ")]
    assert sorted(shown) == sorted(ordering.content["items"])
    assert shown != ordering.content["items"]
