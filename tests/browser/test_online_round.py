"""A newcomer on a phone registers for the demo contest, answers, reloads, resumes and submits."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_shell import fits_the_width

pytestmark = pytest.mark.browser

CONTEST = "/cuoc-thi/tim-hieu-chi-thi-05"


def attempt_deadline(page) -> str:
    """The deadline the server holds for this attempt, read the way the page reads it."""
    api = page.locator("#take").get_attribute("data-api")
    return page.evaluate(f"fetch({api!r}).then((r) => r.json()).then((a) => a.deadline)")


def first_answerable_input(page):
    visible = page.locator("#take-questions section:visible").first
    return visible, visible.locator("input[type=radio], input[type=checkbox]").first


def test_a_participant_registers_answers_reloads_resumes_and_submits(open_page):
    page = open_page(PHONE)
    page.goto(CONTEST)
    page.get_by_role("link", name="Đăng ký dự thi").first.click()
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Mai")
    page.get_by_label("Ngày sinh").fill("02/09/1990")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_role("heading", name="Nguyễn Thị Mai")).to_be_visible()
    expect(page.get_by_text("09xx xxx 678")).to_be_visible()  # the phone, masked
    personal = page.url

    page.get_by_role("button", name="Vào thi").first.click()
    expect(page).to_have_url(re.compile(r"/thi/"))
    expect(page.locator("#take-clock")).not_to_have_text("--:--")
    # Answer the first choice question and wait for the server to confirm it.
    while True:
        section, choice = first_answerable_input(page)
        if choice.count():
            break
        page.locator("#take-next").click()
    question_text = section.locator("h2").inner_text()
    choice.check()
    expect(section.get_by_text("Đã lưu")).to_be_visible()
    deadline = attempt_deadline(page)
    assert fits_the_width(page)
    screenshot(page, "online-round-answering-phone-vi")

    # A reload (or the personal link on another device) resumes the same attempt.
    page.goto(personal)
    page.get_by_role("link", name="Làm tiếp bài thi").first.click()
    expect(page.locator("#take-clock")).not_to_have_text("--:--")
    assert attempt_deadline(page) == deadline
    resumed = page.locator("#take-questions section", has_text=question_text).first
    expect(resumed.locator("input:checked")).to_have_count(1)

    page.locator("#take-submit").click()
    page.get_by_role("button", name="Nộp bài ngay").click()
    expect(page).to_have_url(re.compile(r"/ket-qua"))
    expect(page.get_by_text(re.compile(r"điểm", re.IGNORECASE)).first).to_be_visible()
    assert fits_the_width(page)
    screenshot(page, "online-round-result-phone-vi")
