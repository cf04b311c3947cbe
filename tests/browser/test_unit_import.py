"""An organiser on a phone uploads a unit file with mistakes and is told exactly where they are."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_shell import fits_the_width, sign_in

pytestmark = pytest.mark.browser

BAD_FILE = """code;name;parent_code;kind;headcount
HG-NB-LH-03;Chi bộ khu vực 5;HG-NB-LH;Chi bộ;40
HG-XX-01;Chi bộ ấp Mới;HG-XX;Chi bộ;abc
HG-NB-LH-03;Chi bộ trùng mã;HG-NB-LH;Chi bộ;12
A1;Đơn vị A;B1;Chi bộ;5
B1;Đơn vị B;A1;Chi bộ;-3
"""


def test_a_bad_unit_file_is_refused_row_by_row_and_the_tree_is_unchanged(open_page, tmp_path):
    upload = tmp_path / "don-vi.csv"
    upload.write_text(BAD_FILE, encoding="utf-8-sig")
    page = open_page(PHONE)
    sign_in(page)
    page.goto("/units")
    units_before = page.locator("ul.tree li").count()

    page.goto("/units/import")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.get_by_text("Tệp bị từ chối, dữ liệu không có thay đổi nào.")).to_be_visible()
    errors = page.locator(".row-issues")
    expect(errors.get_by_text("Dòng 3, cột Mã đơn vị cấp trên", exact=False)).to_be_visible()
    expect(errors.get_by_text("Dòng 3, cột Số người", exact=False)).to_be_visible()
    expect(errors.get_by_text("trùng với mã ở dòng 2", exact=False)).to_be_visible()
    expect(errors.get_by_text("vòng lặp: A1 → B1 → A1", exact=False)).to_be_visible()
    expect(errors.get_by_text("Dòng 6, cột Số người", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Ghi các thay đổi này")).to_have_count(0)
    assert fits_the_width(page)
    screenshot(page, "unit-import-refused-phone-vi")

    page.goto("/units")
    expect(page.locator("ul.tree li")).to_have_count(units_before)
    expect(page.get_by_text("Chi bộ khu vực 5")).to_have_count(0)
