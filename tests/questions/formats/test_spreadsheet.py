"""Question spreadsheets (XLSX and CSV): one question per row under Vietnamese headers."""

from __future__ import annotations

import contextlib
import csv
import io
import unicodedata
import zipfile
from datetime import datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from contest.text import clean_line
from questions import content as question_content
from questions.formats import FormatError, QuestionRecord, read
from questions.formats import spreadsheet_columns as columns
from questions.formats import spreadsheet_csv as sheet_csv
from questions.formats import spreadsheet_values as values
from questions.formats import spreadsheet_xlsx as sheet_xlsx
from questions.formats import spreadsheet_xlsx_package as xlsx_package
from questions.formats import spreadsheet_xlsx_reader as xlsx_reader

MODULES = {"xlsx": sheet_xlsx, "csv": sheet_csv}
HEADER = ["Loại câu hỏi", "Nội dung câu hỏi", "Phương án A", "Phương án B", "Đáp án đúng"]


def csv_file(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


def xlsx_file(rows: list[list], shape=None, title: str = "Câu hỏi") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if shape:
        shape(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_saved_result(data: bytes, cell: str, result: str, kind: str = "str") -> bytes:
    """The workbook as Excel saves it: the formula in `cell` with its last result beside it
    (`kind` "str" for text, "e" for an error such as #DIV/0!)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                start = xml.index(f'<c r="{cell}"')
                end = xml.index("</c>", start)
                formula = xml[xml.index("<f>", start) : xml.index("</f>", start) + 4]
                xml = xml[:start] + f'<c r="{cell}" t="{kind}">{formula}<v>{result}</v>' + xml[end:]
                content = xml.encode()
            target.writestr(item, content)
    return buffer.getvalue()


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Excel's own styles for what these tests need: General, a date typed as 15/5/2016 (format 14),
# a custom day/month/year format, a duration, and Text.
EXCEL_STYLES = (
    f'<styleSheet xmlns="{SHEET_NS}"><numFmts count="2">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[h]:mm"/>'
    '</numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="49"/></cellXfs></styleSheet>'
)


def excel_file(
    rows: list[str],
    strings: list[str] = (),
    styles: str = EXCEL_STYLES,
    after_rows: str = "",
    date1904: bool = False,
    doctype: str = "",
    sheets: tuple[tuple[str, str, list[str]], ...] = (),
) -> bytes:
    """A workbook as Excel saves it, which openpyxl does not write: text in shared strings
    (`strings`: the <si> elements), numbers styled as dates, booleans. `rows`: the <row>
    elements of the sheet “Câu hỏi”; or `sheets`: (name, file, rows) for each sheet, a chart
    sheet when its file name starts with "chart"."""
    sheets = sheets or (("Câu hỏi", "sheet1.xml", rows),)
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/></Types>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{SHEET_NS}" xmlns:r="{RELATIONS}">'
            f'<workbookPr date1904="{int(date1904)}"/><sheets>'
            + "".join(
                f'<sheet name="{name}" sheetId="{number}" r:id="rId{number}"/>'
                for number, (name, _file, _rows) in enumerate(sheets, 1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{number}" Type="{RELATIONS}/'
                f'{"chartsheet" if file.startswith("chart") else "worksheet"}" '
                # Targets are relative to xl/ or absolute: readers must take both.
                f'Target="{"/xl/" if number % 2 else ""}worksheets/{file}"/>'
                for number, (_name, file, _rows) in enumerate(sheets, 1)
            )
            + f'<Relationship Id="rId90" Type="{RELATIONS}/sharedStrings" Target="strings.xml"/>'
            f'<Relationship Id="rId91" Type="{RELATIONS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/strings.xml": f'<sst xmlns="{SHEET_NS}">{"".join(strings)}</sst>',
        "xl/styles.xml": styles,
    }
    for _name, file, sheet_rows in sheets:
        parts[f"xl/worksheets/{file}"] = (
            f'{doctype}<worksheet xmlns="{SHEET_NS}"><sheetData>{"".join(sheet_rows)}</sheetData>'
            f"{after_rows}</worksheet>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def shared(*texts: str) -> list[str]:
    return [f'<si><t xml:space="preserve">{text}</t></si>' for text in texts]


def header_row(count: int = len(HEADER)) -> str:
    """Row 1 holding shared strings 0 to count - 1: the header when `strings` begins with it."""
    cells = "".join(
        f'<c r="{"ABCDEFGH"[index]}1" t="s"><v>{index}</v></c>' for index in range(count)
    )
    return f'<row r="1">{cells}</row>'


def windows_1258(text: str) -> bytes:
    """Text as old Vietnamese Windows saves it: base letters with the tone mark after them."""
    data = b""
    for char in text:
        try:
            data += char.encode("cp1258")
        except UnicodeEncodeError:
            letters = unicodedata.normalize("NFD", char)
            tones = "".join(mark for mark in letters if mark in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in letters if c not in tones))
            data += (base + tones).encode("cp1258")
    return data


def metadata(record: QuestionRecord) -> tuple:
    return (
        record.key,
        record.title,
        record.level,
        record.points,
        record.time_limit_s,
        record.themes,
        record.tags,
        record.source_document,
        record.source_section,
        record.source_url,
    )


def issues_at(result, row: int) -> list:
    return [issue for issue in result.issues if issue.line == row]


# ---- templates --------------------------------------------------------------------------------


def test_the_xlsx_template_reads_as_an_empty_sheet_under_styled_vietnamese_headers():
    data = sheet_xlsx.template()

    result = read(data, format="xlsx")
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Câu hỏi"]
    headers = [cell.value for cell in sheet[1]]

    assert result.records == [] and result.issues == [] and result.position == "row"
    assert workbook.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    assert headers[:4] == ["Mã", "Loại câu hỏi", "Nội dung câu hỏi", "Phương án A"]
    assert "Đáp án đúng" in headers and "Thời gian (giây)" in headers
    assert sheet["C1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 60
    lists = {str(rule.sqref): rule.formula1 for rule in sheet.data_validations.dataValidation}
    assert "Một lựa chọn" in lists["B2:B10001"] and "Vận dụng cao" in lists["V2:V10001"]


def test_the_xlsx_template_explains_each_column_and_shows_an_example_of_each_type():
    guide = load_workbook(io.BytesIO(sheet_xlsx.template()))["Hướng dẫn"]
    first_cells = [row[0] for row in guide.iter_rows(values_only=True)]
    second_cells = [row[1] for row in guide.iter_rows(values_only=True)]

    for header in ("Loại câu hỏi", "Đáp án đúng", "Trọng số", "Mức độ", "Phản hồi A … H"):
        assert header in first_cells
    for kind in columns.TYPE_NAMES.values():
        assert kind in second_cells  # the examples' "Loại câu hỏi" column


def test_the_csv_template_holds_one_valid_example_of_each_type():
    data = sheet_csv.template()

    result = read(data, format="csv")

    assert data.startswith(b"\xef\xbb\xbf")
    assert result.issues == []
    assert [record.content["type"] for record in result.records] == list(columns.TYPE_NAMES)
    assert [record.line for record in result.records] == [2, 3, 4, 5, 6, 7, 8]


# ---- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MODULES)
def test_the_sample_bank_comes_back_unchanged(name, samples):
    module = MODULES[name]

    exported = module.write(samples)
    result = read(exported.data, format=name)

    assert exported.skipped == [] and result.issues == []
    assert [record.line for record in result.records] == list(range(2, len(samples) + 2))
    for original, back in zip(samples, result.records, strict=True):
        assert question_content.normalised(back.content) == question_content.normalised(
            original.content
        )
        assert metadata(back) == metadata(original)


def test_an_export_writes_words_people_read(samples):
    text = sheet_csv.write(samples).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))

    assert first["Loại câu hỏi"] == "Một lựa chọn"
    assert first["Đáp án đúng"] == "B"
    assert first["Mức độ"] == "Nhận biết"
    assert first["Mã"] == "ct05-date"
    assert "Phản hồi A" not in header  # no sample has feedback


@pytest.mark.parametrize("name", MODULES)
def test_weights_feedback_and_tolerance_come_back(name):
    records = [
        QuestionRecord(
            content={
                "type": "multiple",
                "stem": "Chọn các ý đúng",
                "options": [
                    {"text": "Một", "correct": True, "weight": 50, "feedback": "Đúng vậy."},
                    {"text": "Hai", "correct": True, "weight": 50.5},
                    {"text": "Ba", "weight": -50, "feedback": "Không phải.\nXem lại."},
                    {"text": "Bốn"},
                ],
                "scoring": "partial",
            },
            tags=["hạn chế, nguyên nhân"],
        ),
        QuestionRecord(
            content={
                "type": "numeric",
                "stem": "Tỷ lệ?",
                "value": -99.7,
                "tolerance": 0.25,
                "unit": "%",
            }
        ),
    ]

    result = read(MODULES[name].write(records).data, format=name)

    assert result.issues == []
    for original, back in zip(records, result.records, strict=True):
        assert question_content.normalised(back.content) == question_content.normalised(
            original.content
        )
    assert result.records[0].tags == ["hạn chế, nguyên nhân"]


# ---- headers ----------------------------------------------------------------------------------


def test_headers_match_ignoring_case_accents_and_spaces():
    data = csv_file(
        [
            ["  LOẠI  CÂU HỎI ", "noi dung cau hoi", "phuong an a", "PhươngánB", "dap an dung"],
            ["Một lựa chọn", "Câu hỏi?", "Sai", "Đúng", "b"],
        ]
    )

    result = read(data, format="csv")

    assert result.issues == []
    assert result.records[0].content["options"][1] == {"text": "Đúng", "correct": True}


def test_english_headers_are_accepted_and_named_as_written():
    header = ["Type", "Question", "Option A", "Option B", "Correct", "Level", "Points", "Time"]
    data = xlsx_file(
        [
            header,
            ["single", "Which?", "x", "y", "A", "understanding", 20, 45],
            ["single", "Which?", "x", "y", "Z", "", "", ""],
        ]
    )

    result = read(data, format="xlsx")

    record = result.records[0]
    assert record.content["options"][0]["correct"] is True
    assert (record.level, record.points, record.time_limit_s) == ("understanding", 20, 45)
    [issue] = result.issues
    assert (issue.line, issue.field) == (3, "correct")
    assert "“Correct”" in issue.message


def test_no_header_alias_belongs_to_two_columns():
    owners: dict[str, set[str]] = {}
    for column in columns.ALL_COLUMNS:
        for name in (column.header, column.id, *column.aliases):
            owners.setdefault(columns.header_key(name), set()).add(column.id)

    assert {key: ids for key, ids in owners.items() if len(ids) > 1} == {}


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_numbers():
    data = xlsx_file(
        [
            ["NGÂN HÀNG CÂU HỎI HỘI THI"],
            [],
            HEADER,
            ["Đúng/Sai", "Chỉ thị 05 năm 2016?", "", "", "Đ"],
        ],
        shape=lambda sheet: sheet.merge_cells("A1:E1"),
    )

    result = read(data, format="xlsx")

    assert result.issues == []
    assert result.records[0].line == 4 and result.records[0].content["answer"] is True


def test_a_file_without_the_question_column_is_refused():
    with pytest.raises(FormatError, match="Nội dung câu hỏi"):
        read(csv_file([["Tên", "Tuổi"], ["An", "30"]]), format="csv")


def test_two_columns_for_the_same_thing_are_refused():
    with pytest.raises(FormatError, match="Question"):
        read(csv_file([["Nội dung câu hỏi", "Question"], ["a", "b"]]), format="csv")


@pytest.mark.parametrize("name", MODULES)
def test_an_empty_file_is_refused(name):
    data = csv_file([]) if name == "csv" else xlsx_file([])
    with pytest.raises(FormatError):
        read(data, format=name)


# ---- CSV specifics ----------------------------------------------------------------------------


def test_a_semicolon_csv_with_bom_as_vietnamese_excel_saves_it():
    data = csv_file(
        [
            ["Loại câu hỏi", "Nội dung câu hỏi", "Đáp án đúng", "Đơn vị", "Mức độ", "Điểm"],
            ["Điền số", "Tỷ lệ đảng viên\nđã ký cam kết?", "99,7 ± 0,5", "%", "VD", "10"],
            ["Trả lời ngắn", "Số hiệu?", "05-CT/TW | 05\nChỉ thị 05", "", "NB", ""],
        ],
        delimiter=";",
        bom=True,
    )

    result = read(data, format="csv")

    assert result.issues == []
    numeric, short = result.records
    assert numeric.content == {
        "type": "numeric",
        "stem": "Tỷ lệ đảng viên\nđã ký cam kết?",
        "explanation": "",
        "value": 99.7,
        "tolerance": 0.5,
        "unit": "%",
    }
    assert (numeric.line, numeric.level, numeric.points) == (2, "application", 10)
    assert short.content["accepted"] == ["05-CT/TW", "05", "Chỉ thị 05"]
    assert short.line == 3  # the line break inside row 2 does not shift the row numbers


def test_a_legacy_encoding_is_refused_with_a_clear_message():
    data = windows_1258("Loại câu hỏi,Nội dung câu hỏi\nĐúng/Sai,Chỉ thị 05 đúng không?\n")

    with pytest.raises(FormatError, match="UTF-8"):
        sheet_csv.read(data)


def test_issues_are_numbered_by_spreadsheet_row_not_by_line():
    data = csv_file(
        [
            HEADER,
            ["Một lựa chọn", "Dòng một\ndòng hai\ndòng ba", "x", "y", "A"],
            [],
            ["Một lựa chọn", "Câu thứ hai", "x", "y", "C"],
        ]
    )

    result = read(data, format="csv")

    assert [record.line for record in result.records] == [2]
    [issue] = result.issues
    assert (issue.line, issue.field) == (4, "correct")
    assert "Đáp án đúng" in issue.message


def test_the_csv_writer_neutralises_formulas_and_the_reader_restores_the_text():
    stems = ["=1+1", "+84 912", "-5 là số âm", "@mọi người", "'=đã có dấu nháy", "'bình thường"]
    records = [
        QuestionRecord(content={"type": "true_false", "stem": stem, "answer": True})
        for stem in stems
    ]

    data = sheet_csv.write(records).data
    written = [row[2] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))][1:]
    result = read(data, format="csv")

    assert written == ["'=1+1", "'+84 912", "'-5 là số âm", "'@mọi người", "''=đã có dấu nháy"] + [
        "'bình thường"
    ]
    assert [record.content["stem"] for record in result.records] == stems


def test_csv_sniff_recognises_a_question_sheet_only():
    assert sheet_csv.sniff(sheet_csv.template())
    assert sheet_csv.sniff("Loại câu hỏi;Nội dung câu hỏi\n".encode())
    assert not sheet_csv.sniff(b"::Q1:: 2+2 {=4 ~5}\n")
    assert not sheet_csv.sniff(b"\xff\xfe\x00garbage")


# ---- XLSX specifics ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip",
        b"not an office file at all",
        b"",
        xlsx_file([HEADER])[:700],  # cut short by a failed download
    ],
    ids=["fake-zip", "text", "empty", "truncated"],
)
def test_a_broken_workbook_is_a_format_error_with_a_clear_message(data):
    with pytest.raises(FormatError, match=r"\.xlsx"):
        sheet_xlsx.read(data)


def test_a_zip_that_is_no_workbook_is_a_format_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(FormatError, match=r"\.xlsx"):
        sheet_xlsx.read(buffer.getvalue())


def test_an_old_xls_or_password_protected_workbook_is_explained():
    with pytest.raises(FormatError, match=r"\.xls\b"):
        sheet_xlsx.read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_a_formula_counts_as_the_result_excel_saved():
    data = xlsx_file([HEADER, ["Một lựa chọn", "Câu hỏi?", "x", "y", '=UPPER("a")']])

    result = read(with_saved_result(data, "E2", "A"), format="xlsx")

    assert result.issues == []
    assert result.records[0].content["options"][0]["correct"] is True


def test_a_formula_never_calculated_is_reported_with_its_row_and_column():
    data = xlsx_file(
        [
            HEADER,
            ["Một lựa chọn", "Câu một?", "x", "y", "A"],
            ["Một lựa chọn", "Câu hai?", "=C2", "y", "A"],
        ]
    )

    result = read(data, format="xlsx")

    assert [record.line for record in result.records] == [2]
    [issue] = result.issues
    assert (issue.line, issue.field) == (3, "option_a")
    assert "Phương án A" in issue.message and "formula" in issue.message


def test_an_excel_error_cell_is_reported():
    data = xlsx_file([HEADER, ["Một lựa chọn", "Câu hỏi?", "=1/0", "y", "A"]])

    result = read(with_saved_result(data, "C2", "#DIV/0!", kind="e"), format="xlsx")

    [issue] = result.issues
    assert issue.line == 2 and "#DIV/0!" in issue.message


def test_a_cell_merged_down_a_column_gives_its_value_to_every_row():
    rows = [HEADER + ["Chủ đề"]] + [
        ["Đúng/Sai", f"Câu {number}?", "", "", "Sai", "Chỉ thị 05-CT/TW" if number == 1 else None]
        for number in (1, 2, 3)
    ]
    data = xlsx_file(rows, shape=lambda sheet: sheet.merge_cells("F2:F4"))

    result = read(data, format="xlsx")

    assert result.issues == []
    assert [record.themes for record in result.records] == [["Chỉ thị 05-CT/TW"]] * 3


def test_cells_merged_across_columns_are_reported_for_their_row():
    data = xlsx_file(
        [
            HEADER,
            ["Một lựa chọn", "Câu hỏi rất dài", None, "y", "B"],
            ["Đúng/Sai", "Câu?", "", "", "Đúng"],
        ],
        shape=lambda sheet: sheet.merge_cells("B2:C2"),
    )

    result = read(data, format="xlsx")

    assert [record.line for record in result.records] == [3]
    [issue] = result.issues
    assert (issue.line, issue.field) == (2, "stem") and "B2:C2" in issue.message


def test_a_date_excel_made_of_a_typed_option_reads_as_day_month_year():
    data = xlsx_file(
        [HEADER, ["Một lựa chọn", "Ngày ban hành?", datetime(2016, 5, 15), "1/1/2000", "A"]]
    )

    result = read(data, format="xlsx")

    assert result.records[0].content["options"][0]["text"] == "15/5/2016"


def test_the_question_sheet_is_found_by_name_and_else_the_first_sheet_is_read():
    workbook = Workbook()
    workbook.active.title = "Ghi chú"
    workbook.active.append(["Ghi chú của ban tổ chức"])
    sheet = workbook.create_sheet("CÂU HỎI")
    sheet.append(HEADER)
    sheet.append(["Đúng/Sai", "Câu?", "", "", "Sai"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    named = read(buffer.getvalue(), format="xlsx")
    first = read(xlsx_file([HEADER, ["Đúng/Sai", "Câu?", "", "", "Sai"]], title="Sheet1"), "a.xlsx")

    assert len(named.records) == 1 and len(first.records) == 1


def test_xlsx_text_starting_with_an_equals_sign_is_written_as_text():
    stem = '=HYPERLINK("http://x")'
    records = [QuestionRecord(content={"type": "true_false", "stem": stem, "answer": False})]

    data = sheet_xlsx.write(records).data
    cell = load_workbook(io.BytesIO(data))["Câu hỏi"]["C2"]

    assert (cell.value, cell.data_type, cell.quotePrefix) == (stem, "s", True)
    assert read(data, format="xlsx").records[0].content["stem"] == stem


def test_shared_strings_rich_text_and_inline_strings_read_as_the_text_shown():
    strings = shared(*HEADER, "Đúng/Sai") + [
        # Bold runs make one text; the phonetic guide (East Asian readings) is not shown.
        '<si><r><rPr><b/></rPr><t>Chỉ thị </t></r><r><t xml:space="preserve">05 </t></r>'
        '<r><t>đúng không?</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>',
        # Excel escapes a typed "_x000D_" as "_x005F_x000D_".
        "<si><t>Đúng _x005F_x000D_</t></si>",
    ]
    rows = [
        header_row(),
        '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c>'
        '<c r="E2" t="inlineStr"><is><t>Sai</t></is></c></row>',
        '<row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3" t="s"><v>7</v></c>'
        '<c r="E3" t="b"><v>1</v></c></row>',
    ]

    result = read(excel_file(rows, strings), format="xlsx")

    assert result.issues == []
    assert result.records[0].content == {
        "type": "true_false",
        "stem": "Chỉ thị 05 đúng không?",
        "explanation": "",
        "answer": False,
    }
    assert result.records[1].content["stem"] == "Đúng _x000D_"


def test_numbers_excel_shows_as_dates_read_as_day_month_year():
    header = [*HEADER, "Phương án C", "Phương án D", "Phương án E"]
    rows = [
        header_row(len(header)),
        # 42505 is 15/5/2016, typed into a General cell (Excel then gives it format 14); 39028
        # is 7/11/2006 in a dd/mm/yyyy cell; 42505 with no date format is a number; 1.5 in an
        # [h]:mm cell is 36 hours; 99.5 in a Text cell stays a number.
        '<row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2" t="s"><v>9</v></c>'
        '<c r="C2" s="1"><v>42505</v></c><c r="D2" s="2"><v>39028</v></c>'
        '<c r="E2" t="str"><f>"A"</f><v>A</v></c><c r="F2" s="0"><v>42505</v></c>'
        '<c r="G2" s="3"><v>1.5</v></c><c r="H2" s="4"><v>99.5</v></c></row>',
    ]

    result = read(excel_file(rows, shared(*header, "Một lựa chọn", "Ngày?")), format="xlsx")

    assert result.issues == []
    texts = [option["text"] for option in result.records[0].content["options"]]
    assert texts == ["15/5/2016", "7/11/2006", "42505", "1 day, 12:00:00", "99,5"]


def test_dates_of_a_workbook_made_on_an_old_mac_count_from_1904():
    rows = [
        header_row(),
        '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c>'
        '<c r="C2" s="1"><v>41043</v></c><c r="D2"><v>2</v></c><c r="E2" t="s"><v>7</v></c></row>',
    ]
    data = excel_file(rows, shared(*HEADER, "Một lựa chọn", "Ngày?", "A"), date1904=True)

    result = read(data, format="xlsx")

    assert result.records[0].content["options"][0]["text"] == "15/5/2016"


def test_a_date_past_the_year_9999_is_reported_like_an_error_cell():
    rows = [
        header_row(),
        '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c>'
        '<c r="C2" s="1"><v>99999999</v></c><c r="D2"><v>2</v></c>'
        '<c r="E2" t="s"><v>7</v></c></row>',
    ]

    result = read(excel_file(rows, shared(*HEADER, "Một lựa chọn", "Câu?", "A")), format="xlsx")

    [issue] = result.issues
    assert (issue.line, issue.field) == (2, "option_a") and "#VALUE!" in issue.message


def test_a_true_false_cell_answers_a_true_false_question():
    rows = [
        header_row(),
        '<row r="2"><c r="B2" t="s"><v>5</v></c><c r="E2" t="b"><v>1</v></c></row>',
        '<row r="3"><c r="B3" t="s"><v>6</v></c><c r="E3" t="b"><f>1=2</f><v>0</v></c></row>',
    ]

    result = read(excel_file(rows, shared(*HEADER, "Câu một?", "Câu hai?")), format="xlsx")

    assert result.issues == []
    assert [(record.content["type"], record.content["answer"]) for record in result.records] == [
        ("true_false", True),
        ("true_false", False),
    ]


def test_rows_and_cells_without_a_number_follow_the_ones_before():
    rows = [
        '<row><c t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c t="s"><v>2</v></c></row>',
        '<row r="5"><c t="s"><v>3</v></c></row>',
        '<row><c r="B6" t="b"><v>0</v></c><c/><c><v>7</v></c></row>',
        '<row r="3"><c t="s"><v>4</v></c></row>',  # out of order: Excel never writes it
    ]

    cells = xlsx_reader.sheet_rows(excel_file(rows, shared("a", "c", "d", "e", "f")))

    assert cells == [(1, ["a", None, "c", "d"]), (5, ["e"]), (6, [None, False, None, 7])]


def test_the_question_sheet_is_found_through_the_workbook_relations():
    questions = [
        header_row(),
        '<row r="2"><c r="B2" t="s"><v>5</v></c><c r="E2" t="s"><v>6</v></c></row>',
    ]
    notes = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Ghi chú</t></is></c></row>']
    strings = shared(*HEADER, "Câu?", "Sai")
    chart = ("Biểu đồ", "chart1.xml", questions)
    sheets = (chart, ("Ghi chú", "notes.xml", notes), ("CÂU HỎI", "questions.xml", questions))

    named = read(excel_file([], strings, sheets=sheets), format="xlsx")
    first = xlsx_reader.sheet_rows(excel_file([], strings, sheets=sheets[:2]))

    assert [record.content["stem"] for record in named.records] == ["Câu?"]
    assert first == [(1, ["Ghi chú"])]  # the first worksheet: a chart sheet holds no cells
    with pytest.raises(FormatError, match="no worksheet"):
        sheet_xlsx.read(excel_file([], strings, sheets=sheets[:1]))


def test_entities_in_the_xml_are_neither_expanded_nor_fetched():
    rows = [header_row(), '<row r="2"><c r="B2" t="inlineStr"><is><t>Câu &x;?</t></is></c></row>']
    external = '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    laughs = "".join(f'<!ENTITY l{level + 1} "{f"&l{level};" * 10}">' for level in range(9))
    bomb_rows = [header_row(), '<row r="2"><c r="B2" t="inlineStr"><is><t>&l9;</t></is></c></row>']

    cells = dict(xlsx_reader.sheet_rows(excel_file(rows, shared(*HEADER), doctype=external)))

    assert cells[2][1] == "Câu "
    with pytest.raises(FormatError, match=r"\.xlsx"):
        sheet_xlsx.read(
            excel_file(
                bomb_rows, shared(*HEADER), doctype=f'<!DOCTYPE w [<!ENTITY l0 "ha">{laughs}]>'
            )
        )


def test_a_zip_bomb_and_endless_merges_are_refused(monkeypatch):
    rows = [
        header_row(),
        '<row r="9"><c r="B9" t="s"><v>5</v></c><c r="F9" t="s"><v>5</v></c></row>',
    ]
    merges = "<mergeCells>" + '<mergeCell ref="B1:B9"/>' * 40 + "</mergeCells>"
    data = excel_file(rows, shared(*HEADER, "Câu?"), after_rows=merges)

    monkeypatch.setattr(xlsx_package, "MAX_UNPACKED_BYTES", 2000)
    with pytest.raises(FormatError, match="too large"):
        sheet_xlsx.read(data)
    monkeypatch.undo()
    monkeypatch.setattr(xlsx_reader, "MAX_MERGE_FILLS", 100)
    with pytest.raises(FormatError, match="too large"):
        sheet_xlsx.read(data)


# ---- rows -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MODULES)
def test_empty_rows_and_rows_with_only_extra_columns_are_skipped(name):
    rows = [
        ["STT", *HEADER],
        ["1", "Đúng/Sai", "Câu một?", "", "", "Đúng"],
        ["", "", "", "", "", ""],
        ["3", "", "  ", "", "", ""],
        [],
        ["5", "Đúng/Sai", "Câu hai?", "", "", "Sai"],
    ]
    data = csv_file(rows) if name == "csv" else xlsx_file(rows)

    result = read(data, format=name)

    assert result.issues == []
    assert [record.line for record in result.records] == [2, 6]


@pytest.mark.parametrize("name", MODULES)
def test_a_huge_cell_is_reported_with_its_row_and_column(name):
    rows = [HEADER, ["Đúng/Sai", "Câu?", "", "", "Đúng"], ["Đúng/Sai", "x" * 20_001, "", "", "Sai"]]
    data = csv_file(rows) if name == "csv" else xlsx_file(rows)

    result = read(data, format=name)

    assert len(result.records) == 1
    [issue] = result.issues
    assert (issue.line, issue.field) == (3, "stem")
    assert "Nội dung câu hỏi" in issue.message and "20001" in issue.message


CHOICE = {
    "Loại câu hỏi": "Một lựa chọn",
    "Phương án A": "x",
    "Phương án B": "y",
    "Đáp án đúng": "B",
}
ROW_HEADER = [*HEADER, "Phương án C", "Phản hồi C", "Đơn vị", "Trọng số", "Chấm điểm", "Bỏ dấu"]
ROW_HEADER += ["Sai số", "Mức độ", "Điểm", "Thời gian (giây)"]


@pytest.mark.parametrize(
    ("cells", "field", "words"),
    [
        (CHOICE | {"Loại câu hỏi": "Trắc nghiệm khó"}, "type", "Loại câu hỏi"),
        ({"Đáp án đúng": "42"}, "type", "Loại câu hỏi"),  # no type, and nothing tells it
        (CHOICE | {"Đáp án đúng": "E"}, "correct", "A, B"),
        (CHOICE | {"Đáp án đúng": "Phương án B"}, "correct", "Đáp án đúng"),
        (CHOICE | {"Mức độ": "khó"}, "level", "Nhận biết"),
        (CHOICE | {"Điểm": "7,5"}, "points", "0 to 1000"),
        (CHOICE | {"Thời gian (giây)": "2"}, "time", "5 to 3600"),
        (CHOICE | {"Đơn vị": "người"}, "unit", "Một lựa chọn"),
        (CHOICE | {"Phương án A": "", "Phương án C": "z"}, "option_a", "Phương án A"),
        (CHOICE | {"Phản hồi C": "Vì sao"}, "feedback_c", "Phản hồi C"),
        (
            CHOICE | {"Loại câu hỏi": "Nhiều lựa chọn", "Trọng số": "50; 50; 0"},
            "weights",
            "3 weights",
        ),
        (
            CHOICE | {"Loại câu hỏi": "Nhiều lựa chọn", "Trọng số": "50; năm mươi"},
            "weights",
            "năm mươi",
        ),
        (CHOICE | {"Loại câu hỏi": "Nhiều lựa chọn", "Chấm điểm": "tùy"}, "scoring", "Từng phần"),
        ({"Loại câu hỏi": "Đúng/Sai", "Đáp án đúng": "Có lẽ"}, "correct", "Đúng"),
        (
            {"Loại câu hỏi": "Trả lời ngắn", "Đáp án đúng": "a", "Bỏ dấu": "tùy"},
            "ignore_diacritics",
            "Có",
        ),
        ({"Loại câu hỏi": "Điền số", "Đáp án đúng": "khoảng 5"}, "correct", "99,7"),
        ({"Loại câu hỏi": "Điền số", "Đáp án đúng": "5 ± 1", "Sai số": "1"}, "tolerance", "twice"),
        ({"Loại câu hỏi": "Điền số"}, "correct", "Đáp án đúng"),
    ],
)
def test_a_row_problem_names_its_column_and_keeps_the_row_out(cells, field, words):
    bad = {"Nội dung câu hỏi": "Câu?"} | cells
    good = {"Nội dung câu hỏi": "Câu?"} | CHOICE
    rows = [[row.get(name, "") for name in ROW_HEADER] for row in (good, bad)]

    result = read(csv_file([ROW_HEADER, *rows]), format="csv")

    assert [record.line for record in result.records] == [2]
    assert [(issue.line, issue.field) for issue in result.issues] == [(3, field)]
    assert words in result.issues[0].message


def test_a_row_without_a_type_takes_it_from_its_answer():
    data = csv_file(
        [
            HEADER,
            ["", "Một đáp án?", "x", "y", "B"],
            ["", "Nhiều đáp án?", "x", "y", "A; B"],
            ["", "Đúng hay sai?", "", "", "Sai"],
        ]
    )

    result = read(data, format="csv")

    assert result.issues == []
    assert [record.content["type"] for record in result.records] == [
        "single",
        "multiple",
        "true_false",
    ]


def test_short_text_answers_come_from_the_answer_column_then_the_options():
    data = csv_file(
        [
            [*HEADER, "Bỏ dấu"],
            [
                "Trả lời ngắn",
                "Tên phong trào?",
                "Ngày thứ 7 với dân",
                "",
                "Ngày thứ bảy với dân",
                "x",
            ],
        ]
    )

    result = read(data, format="csv")

    assert result.issues == []
    assert result.records[0].content["accepted"] == ["Ngày thứ bảy với dân", "Ngày thứ 7 với dân"]
    assert result.records[0].content["ignore_diacritics"] is True


def test_an_open_question_keeps_its_guidance_and_model_answer():
    data = csv_file(
        [
            ["Loại câu hỏi", "Nội dung câu hỏi", "Hướng dẫn chấm", "Đáp án"],
            ["Tự luận", "Trình bày?", "- Ý một\n- Ý hai", "Bài mẫu"],
        ]
    )

    [record] = read(data, format="csv").records

    assert record.content["guidance"] == "- Ý một\n- Ý hai\n\nBài mẫu"


def test_themes_and_tags_split_on_semicolons_or_else_commas():
    assert values.split_cell("a; b , c") == ["a", "b , c"]
    assert values.split_cell("a, b") == ["a", "b"]
    assert values.split_cell(values.join_cell(["hạn chế, nguyên nhân"])) == ["hạn chế, nguyên nhân"]
    assert values.split_cell("a\nb") == ["a", "b"]


@pytest.mark.parametrize("name", MODULES)
def test_a_question_the_sheet_cannot_hold_is_skipped_with_a_reason(name):
    records = [
        QuestionRecord(content={"type": "short_text", "stem": "Q?", "accepted": ["a|b"]}),
        QuestionRecord(content={"type": "true_false", "stem": "Q?", "answer": True}, tags=["a;b"]),
        QuestionRecord(content={"type": "single", "stem": "", "options": []}),
        QuestionRecord(content={"type": "true_false", "stem": "Giữ lại?", "answer": True}),
    ]

    exported = MODULES[name].write(records)
    result = read(exported.data, format=name)

    assert [skip.index for skip in exported.skipped] == [0, 1, 2]
    assert "|" in exported.skipped[0].reason and ";" in exported.skipped[1].reason
    assert [record.content["stem"] for record in result.records] == ["Giữ lại?"]


def test_numbers_are_read_the_vietnamese_way():
    assert values.read_number("99,7") == 99.7
    assert values.read_number("2.594") == 2594
    assert values.read_number("1.234,5") == 1234.5
    assert values.read_number("-1,5e-05") == -1.5e-05
    assert values.read_number(10.0) == 10 and isinstance(values.read_number(10.0), int)
    assert values.read_number("mười") is None and values.read_number(True) is None


# ---- properties -------------------------------------------------------------------------------

FAST = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Letters people type plus every character the formats treat specially.
CHARACTERS = st.one_of(
    st.sampled_from(list("=+-@'\"|;,.:±\n\t ĐđạăâêôơưỹA0")),
    st.characters(exclude_categories=("Cs",)),
)
LINE = st.text(CHARACTERS, min_size=1, max_size=12).map(clean_line).filter(bool)
BLOCK = st.text(CHARACTERS, max_size=40)
CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "A",
            "B, C",
            "Đúng",
            "Sai",
            "Một lựa chọn",
            "Nhiều lựa chọn",
            "Điền số",
            "Trả lời ngắn",
        ]
        + ["Sắp xếp", "Tự luận", "99,7 ± 0,5", "1e999", "'=1", "50; 50", "Từng phần", "Có", "NB"]
    ),
    BLOCK,
)


@FAST
@given(st.binary(max_size=400))
def test_the_csv_reader_raises_only_format_error_for_any_bytes(data):
    with contextlib.suppress(FormatError):
        sheet_csv.read(data)
    sheet_csv.sniff(data)


@FAST
@given(st.text(CHARACTERS, max_size=400))
def test_the_csv_reader_raises_only_format_error_for_any_text(text):
    with contextlib.suppress(FormatError):
        sheet_csv.read(text.encode())


@FAST
@given(
    st.lists(st.sampled_from([column.header for column in columns.ALL_COLUMNS]), max_size=12),
    st.lists(st.lists(CELL, max_size=14), max_size=6),
    st.sampled_from([",", ";"]),
)
def test_the_csv_reader_reads_any_table_under_a_real_header(headers, rows, delimiter):
    data = csv_file([["Nội dung câu hỏi", *headers], *rows], delimiter=delimiter)
    try:
        result = read(data, format="csv")
    except FormatError:
        return  # two columns for the same thing
    assert all(record.line >= 2 for record in result.records)


def _stored_workbook() -> bytes:
    """A small question sheet, saved without compression so that changed bytes hit its XML."""
    rows = [[*HEADER, "Chủ đề"], ["Một lựa chọn", "Câu?", "x", "=C2", "A", "Chỉ thị 05"]]
    sheet = xlsx_file(rows, shape=lambda sheet: sheet.merge_cells("F2:F3"))
    source = zipfile.ZipFile(io.BytesIO(sheet))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
    return buffer.getvalue()


STORED_WORKBOOK = _stored_workbook()


@settings(FAST, max_examples=60)
@given(
    st.lists(
        st.tuples(st.integers(0, len(STORED_WORKBOOK) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=6,
    )
)
def test_the_xlsx_reader_raises_only_format_error_for_a_damaged_workbook(changes):
    data = bytearray(STORED_WORKBOOK)
    for position, byte in changes:
        data[position] = byte
    with contextlib.suppress(FormatError):
        sheet_xlsx.read(bytes(data))


def _options(kind: str):
    unique = {"unique_by": lambda text: text.casefold()}
    return st.lists(LINE, min_size=2, max_size=8, **unique).flatmap(
        lambda texts: st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)).map(
            lambda marks: [
                {"text": text, "correct": mark} for text, mark in zip(texts, marks, strict=True)
            ]
        )
    )


NUMBER = st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False))


@st.composite
def contents(draw) -> dict:
    kind = draw(st.sampled_from(question_content.TYPES))
    content = {"type": kind, "stem": draw(BLOCK), "explanation": draw(BLOCK)}
    if kind in ("single", "multiple"):
        options = draw(_options(kind))
        for option in options:
            if draw(st.booleans()):
                option["feedback"] = draw(BLOCK)
            if kind == "multiple" and draw(st.booleans()):
                option["weight"] = draw(st.integers(-100, 100) | st.floats(-100, 100))
        content["options"] = options
        if kind == "multiple":
            content["scoring"] = draw(st.sampled_from(question_content.SCORINGS))
    elif kind == "true_false":
        content["answer"] = draw(st.booleans())
    elif kind == "short_text":
        content["accepted"] = draw(st.lists(LINE.filter(lambda t: "|" not in t), min_size=1))
        content["ignore_diacritics"] = draw(st.booleans())
    elif kind == "numeric":
        content["value"] = draw(NUMBER)
        content["tolerance"] = abs(draw(NUMBER))
        content["unit"] = draw(st.just("") | LINE)
    elif kind == "ordering":
        content["items"] = draw(st.lists(LINE, min_size=2, max_size=8, unique_by=str.casefold))
    else:
        content["guidance"] = draw(BLOCK)
    assume(not question_content.validate(content))
    return question_content.normalised(content)


NAMES = st.lists(LINE.filter(lambda text: ";" not in text), max_size=3)


@st.composite
def records(draw) -> QuestionRecord:
    key = draw(st.none() | LINE)
    return QuestionRecord(
        content=draw(contents()),
        key=key,
        title=key or "",
        level=draw(st.none() | st.sampled_from(list(columns.LEVEL_NAMES))),
        points=draw(st.none() | st.integers(0, 1000)),
        time_limit_s=draw(st.none() | st.integers(5, 3600)),
        themes=draw(NAMES),
        tags=draw(NAMES),
        source_document=draw(st.just("") | LINE),
        source_section=draw(st.just("") | LINE),
        source_url=draw(st.just("") | LINE),
    )


def _assert_round_trip(name: str, originals: list[QuestionRecord]) -> None:
    exported = MODULES[name].write(originals)
    result = read(exported.data, format=name)

    assert exported.skipped == [] and result.issues == []
    assert len(result.records) == len(originals)
    for original, back in zip(originals, result.records, strict=True):
        assert question_content.normalised(back.content) == original.content
        assert metadata(back) == metadata(original)


@FAST
@given(st.lists(records(), min_size=1, max_size=4))
def test_generated_questions_come_back_from_csv(originals):
    _assert_round_trip("csv", originals)


@settings(FAST, max_examples=40)
@given(st.lists(records(), min_size=1, max_size=3))
def test_generated_questions_come_back_from_xlsx(originals):
    _assert_round_trip("xlsx", originals)
