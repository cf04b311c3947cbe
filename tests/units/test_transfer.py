"""Reading and writing unit files: CSV and XLSX, headers people write, broken files."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from contest.units import transfer
from contest.units.rules import UnitRow


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_issue(parsed):
    assert parsed.rows == []
    (issue,) = parsed.issues
    assert (issue.row, issue.field) == (1, "")
    return issue.code


def test_a_csv_with_bom_and_semicolons_and_vietnamese_headers_is_read():
    text = "Mã đơn vị;Tên đơn vị;Mã cấp trên;Loại đơn vị;Số người\r\n"
    text += "TU;Tỉnh ủy Hậu Giang;;Tỉnh ủy;1.200\r\n"
    text += "HU;Huyện ủy Châu Thành, khóa mới;TU;Huyện ủy;\r\n"
    parsed = transfer.read_upload("don-vi.csv", text.encode("utf-8-sig"))
    assert parsed.issues == []
    assert parsed.columns == ("code", "name", "parent_code", "kind", "headcount")
    assert parsed.rows == [
        UnitRow(2, "TU", "Tỉnh ủy Hậu Giang", "", "Tỉnh ủy", "1.200"),
        UnitRow(3, "HU", "Huyện ủy Châu Thành, khóa mới", "TU", "Huyện ủy", ""),
    ]


def test_a_comma_csv_without_bom_with_headers_in_any_case_and_without_accents():
    data = b'MA DON VI,ten,Parent_Code\nA,"Chi bo ""A""",\n'
    parsed = transfer.read_upload("units.CSV", data)
    assert parsed.columns == ("code", "name", "parent_code")
    assert parsed.rows == [UnitRow(2, "A", 'Chi bo "A"', "", "", None)]


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_file():
    data = "code,name\n\nA,Một\n,\nB,Hai\n".encode()
    parsed = transfer.read_upload("u.csv", data)
    assert [(row.row, row.code) for row in parsed.rows] == [(3, "A"), (5, "B")]


def test_an_xlsx_sheet_is_read_with_numbers_as_excel_gives_them():
    data = xlsx(
        [
            ["code", "name", "parent_code", "kind", "headcount", "ghi chú"],
            [101, "Khoa Lý luận", None, "Khoa", 1200.0, "extra columns are ignored"],
            ["L1", "Lớp A1", 101, "Lớp", 58],
            [None, None, None, None, None],
            ["L2", "Lớp A2", "101", "Lớp", 12.5],
        ]
    )
    parsed = transfer.read_upload("don-vi.xlsx", data)
    assert parsed.issues == []
    assert parsed.rows == [
        UnitRow(2, "101", "Khoa Lý luận", "", "Khoa", 1200),
        UnitRow(3, "L1", "Lớp A1", "101", "Lớp", 58),
        UnitRow(5, "L2", "Lớp A2", "101", "Lớp", 12.5),
    ]


def test_a_file_without_the_required_columns_is_refused_on_row_1():
    parsed = transfer.read_upload("u.csv", "Tên đơn vị,Loại\nChi bộ,Chi bộ\n".encode())
    assert file_issue(parsed) == "header_missing"
    assert parsed.issues[0].params == {"columns": "code"}


def test_the_same_column_twice_is_refused():
    parsed = transfer.read_upload("u.csv", "code,name,Mã đơn vị\nA,B,C\n".encode())
    assert file_issue(parsed) == "header_duplicate"


@pytest.mark.parametrize(
    ("filename", "data", "problem"),
    [
        ("units.xlsx", bytes(range(256)) * 20, "file_broken"),
        ("units.xlsx", b"PK\x03\x04 this is not a zip file", "file_broken"),
        ("units.csv", "code,name\nA,Chi bô\u0323\n".encode("cp1258"), "file_encoding"),
        ("units.csv", b"code,name\nA,\x00B\n", "file_broken"),
        ("units.txt", b"code,name\nA,B\n", "file_type"),
        ("units", b"code,name\nA,B\n", "file_type"),
        ("units.csv", b"", "file_empty"),
        ("units.csv", b"\xef\xbb\xbf \r\n", "file_empty"),
        ("units.xlsx", b"", "file_empty"),
        ("units.csv", b"code,name\n", "file_no_rows"),
    ],
)
def test_a_broken_file_gives_one_row_1_issue_never_an_exception(filename, data, problem):
    assert file_issue(transfer.read_upload(filename, data)) == problem


def test_an_empty_xlsx_sheet_is_an_empty_file():
    assert file_issue(transfer.read_upload("u.xlsx", xlsx([]))) == "file_empty"


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(transfer, "MAX_ROWS", 3)
    data = ("code,name\n" + "".join(f"U{i},Đơn vị {i}\n" for i in range(4))).encode()
    assert file_issue(transfer.read_upload("u.csv", data)) == "file_too_many_rows"


RECORDS = [
    ("TU", "Tỉnh ủy", "", "Tỉnh ủy", 1200),
    ("0123", "=Đơn vị có dấu bằng", "TU", "", None),
]


def test_the_csv_export_has_a_bom_the_english_header_and_reads_back_the_same():
    data = transfer.export_csv(RECORDS)
    assert data.startswith(b"\xef\xbb\xbfcode,name,parent_code,kind,headcount\r\n")
    parsed = transfer.read_upload("units.csv", data)
    assert [(r.code, r.name, r.parent_code, r.kind, r.headcount) for r in parsed.rows] == [
        ("TU", "Tỉnh ủy", "", "Tỉnh ủy", "1200"),
        ("0123", "=Đơn vị có dấu bằng", "TU", "", ""),
    ]


def test_the_xlsx_export_keeps_text_as_text_and_reads_back_the_same():
    data = transfer.export_xlsx(RECORDS, "Đơn vị")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Đơn vị"
    assert sheet["B3"].data_type == "s"  # not a formula, though it starts with "="
    parsed = transfer.read_upload("units.xlsx", data)
    assert [(r.code, r.name, r.parent_code, r.kind, r.headcount) for r in parsed.rows] == [
        ("TU", "Tỉnh ủy", "", "Tỉnh ủy", 1200),
        ("0123", "=Đơn vị có dấu bằng", "TU", "", None),
    ]


def test_a_pending_upload_is_only_found_by_its_owner_and_a_well_formed_token(tmp_path):
    parsed = transfer.read_upload("u.csv", "code,name\nA,Một\n".encode())
    token = transfer.save_pending(tmp_path, 7, "../../u.csv", parsed)
    pending = transfer.load_pending(tmp_path, token, 7)
    assert pending.filename == "u.csv" and pending.parsed.rows == parsed.rows
    assert transfer.load_pending(tmp_path, token, 8) is None
    assert transfer.load_pending(tmp_path, "../" + token, 7) is None
    assert transfer.load_pending(tmp_path, token.upper(), 7) is None
    transfer.discard_pending(tmp_path, token)
    assert transfer.load_pending(tmp_path, token, 7) is None


@pytest.mark.parametrize(
    "header",
    [
        "Unit code,Unit name,Parent unit code,Unit kind,Headcount",  # the English form labels
        "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại đơn vị,Số người",  # the Vietnamese ones
        "Mã,Tên,Mã cấp trên,Loại,Quân số",
        "ma don vi,TEN DON VI,Mã đơn vị cha,loai don vi,so luong",
    ],
)
def test_the_labels_of_the_unit_pages_work_as_headers_in_either_language(header):
    parsed = transfer.read_upload("u.csv", f"{header}\nA,Một,,Chi bộ,3\n".encode())
    assert parsed.columns == ("code", "name", "parent_code", "kind", "headcount")
    assert parsed.rows == [UnitRow(2, "A", "Một", "", "Chi bộ", "3")]
