"""An organiser imports a Word file typed the usual Vietnamese way, then prints a paper."""

import pytest
from docx import Document
from docx.shared import RGBColor
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, PROJECTOR, screenshot
from tests.browser.test_shell import fits_the_width, sign_in

pytestmark = pytest.mark.browser


def vietnamese_word_file(path):
    """Bold, red and underlined answers, options separated by tabs, an 'Đáp án:' line."""
    document = Document()
    document.add_paragraph("ĐỀ THI TÌM HIỂU CHỈ THỊ 05-CT/TW")
    document.add_paragraph(
        "Câu 1: Phong trào thi đua ái quốc do Chủ tịch Hồ Chí Minh phát động năm nào?"
    )
    options = document.add_paragraph("A. 1945\tB. ")
    options.add_run("1948").bold = True
    options.add_run("\tC. 1950\tD. 1954")
    document.add_paragraph("Câu 2: Kết luận 01-KL/TW do cơ quan nào ban hành?")
    document.add_paragraph("A. Ban Bí thư")
    red = document.add_paragraph("B. ")
    red.add_run("Bộ Chính trị").font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    document.add_paragraph("C. Quốc hội")
    document.add_paragraph(
        "Câu 3: Chỉ thị 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, "
        "đạo đức, phong cách Hồ Chí Minh ban hành ngày nào?"
    )
    document.add_paragraph("A. 14/5/2011")
    underlined = document.add_paragraph("B. ")
    underlined.add_run("15/5/2016").underline = True
    document.add_paragraph("C. 18/5/2021")
    document.add_paragraph("Câu 4: Học tập và làm theo Bác là việc làm thường xuyên.")
    document.add_paragraph("A. Đúng")
    document.add_paragraph("B. Sai")
    document.add_paragraph("Đáp án: A")
    document.save(path)


def test_an_editor_imports_a_word_file_on_a_phone_and_sees_the_questions_in_the_bank(
    open_page, tmp_path
):
    upload = tmp_path / "de-thi.docx"
    vietnamese_word_file(upload)
    page = open_page(PHONE)
    sign_in(page, "bientap", "hoithi-editor")
    page.goto("/questions")
    page.get_by_role("link", name="Nhập từ tệp").click()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.get_by_text("Số câu hỏi đọc được: 4")).to_be_visible()
    expect(page.get_by_text("Có lỗi: 0")).to_be_visible()
    expect(page.get_by_text("Phong trào thi đua ái quốc", exact=False)).to_be_visible()
    assert fits_the_width(page)
    screenshot(page, "question-import-preview-phone-vi")

    page.get_by_label("Chỉ thị 05-CT/TW").check()
    page.get_by_label("Gắn các thẻ này cho mọi câu hỏi", exact=False).fill("đề tháng 11")
    page.get_by_role("button", name="Nhập các câu hỏi").click()
    expect(page.get_by_text("Đã nhập 4 câu hỏi.")).to_be_visible()

    page.get_by_role("link", name="Xem trong ngân hàng").click()
    page.get_by_label("Tìm kiếm").fill("phong trao thi dua ai quoc")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_text("Phong trào thi đua ái quốc", exact=False)).to_be_visible()


def test_a_reviewer_prints_two_variants_of_a_paper_on_a_projector_sized_screen(open_page):
    page = open_page(PROJECTOR)
    sign_in(page, "duyet", "hoithi-reviewer")
    page.goto("/questions/papers/new")
    screenshot(page, "paper-form-projector-vi")
    page.get_by_label("Số mã đề", exact=False).fill("2")
    page.locator("select[name$='theme']").first.select_option(label="Chỉ thị 05-CT/TW")
    page.locator("input[name$='count']").first.fill("5")
    page.get_by_role("button", name="Tạo đề", exact=True).click()
    expect(page.get_by_text("Mã đề 101").first).to_be_visible()
    expect(page.get_by_text("Mã đề 102").first).to_be_visible()
    expect(page.get_by_text("Đáp án đúng")).to_have_count(0)
    screenshot(page, "paper-variants-projector-vi")
