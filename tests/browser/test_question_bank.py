"""On a phone an editor writes a question; a reviewer approves it; search finds it unaccented."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, PROJECTOR, screenshot
from tests.browser.test_shell import fits_the_width, sign_in

pytestmark = pytest.mark.browser

STEM = "Mô hình “Ngày thứ bảy với dân” bắt đầu ở thị trấn nào của huyện Bình Lục?"


def test_an_editor_writes_a_short_answer_and_a_reviewer_approves_it(open_page):
    editor = open_page(PHONE)
    sign_in(editor, "bientap", "hoithi-editor")
    editor.goto("/questions/new")
    editor.get_by_label("Loại câu hỏi").select_option("short_text")
    # Only the chosen type's fields are shown.
    expect(editor.get_by_label("Phương án A", exact=True)).to_be_hidden()
    expect(editor.get_by_label("Số đúng")).to_be_hidden()
    editor.get_by_label("Câu hỏi", exact=True).fill(STEM)
    editor.get_by_label("Các đáp án được chấp nhận, mỗi dòng một đáp án").fill(
        "Bình Mỹ\nthị trấn Bình Mỹ"
    )
    editor.get_by_label("Chấp nhận câu trả lời gõ không dấu").check()
    editor.get_by_label("Văn bản nguồn").fill("Bài viết về Bình Lục, Hà Nam")
    assert fits_the_width(editor)
    editor.get_by_role("button", name="Lưu").click()
    expect(editor.get_by_text("Đã lưu câu hỏi ở dạng bản nháp.")).to_be_visible()
    expect(editor.get_by_text("Bình Mỹ", exact=True)).to_be_visible()
    editor.get_by_role("button", name="Gửi duyệt").click()
    expect(editor.get_by_text("Câu hỏi hiện ở trạng thái: Chờ duyệt.")).to_be_visible()
    question_url = editor.url

    reviewer = open_page(PROJECTOR)
    sign_in(reviewer, "duyet", "hoithi-reviewer")
    reviewer.goto(question_url)
    reviewer.get_by_role("button", name="Duyệt", exact=True).click()
    expect(reviewer.get_by_text("Câu hỏi hiện ở trạng thái: Đã duyệt.")).to_be_visible()
    screenshot(reviewer, "question-approved-projector-vi")

    reviewer.goto("/questions?q=ngay+thu+bay+binh+luc&status=approved")
    expect(reviewer.get_by_role("link", name=STEM)).to_be_visible()
