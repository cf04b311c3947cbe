"""A person at a phone and at a projector: sign in, see the unit tree, switch language."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, PROJECTOR, screenshot

pytestmark = pytest.mark.browser


def sign_in(page, username="admin", password="hoithi-admin"):
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_an_organiser_signs_in_sees_the_tree_and_switches_to_english(open_page):
    page = open_page(PHONE)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("link", name="Đăng nhập dành cho Ban tổ chức")).to_be_visible()

    sign_in(page)
    expect(page.get_by_role("heading", name="Xin chào, Quản trị viên")).to_be_visible()
    # The vendored socket.io client reaches the server's /socket.io/ and is recognised as staff.
    expect(page.locator("#live-status")).to_have_text("Trực tuyến")

    page.get_by_role("navigation").get_by_role("link", name="Đơn vị").click()
    expect(page.get_by_role("heading", name="Đơn vị", exact=True)).to_be_visible()
    tree = page.locator("ul.tree")
    for name in [
        "Tỉnh ủy Hậu Giang",
        "Đảng bộ thị trấn Ngã Sáu",
        "Chi bộ ấp 1",
        "Khoa Xây dựng Đảng",
    ]:
        expect(tree.get_by_text(name, exact=True)).to_be_visible()
    assert fits_the_width(page)
    screenshot(page, "units-phone-vi")

    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Organisation units")).to_be_visible()
    expect(page.locator("ul.tree").get_by_text("Tỉnh ủy Hậu Giang", exact=True)).to_be_visible()
    expect(page.locator("#live-status")).to_have_text("Live")
    assert fits_the_width(page)
    screenshot(page, "units-phone-en")

    page.get_by_role("button", name="VI").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_unit_search_ignores_accents_on_a_phone(open_page):
    page = open_page(PHONE)
    sign_in(page, "thuky", "hoithi-secretary")
    page.goto("/units")
    page.get_by_role("searchbox").fill("chi bo ap")
    page.get_by_role("searchbox").press("Enter")
    results = page.locator("table")
    expect(results.get_by_text("Chi bộ ấp 1")).to_be_visible()
    expect(results.get_by_text("Chi bộ ấp 2")).to_be_visible()
    expect(results.get_by_text("Tỉnh ủy Hậu Giang", exact=True)).to_have_count(0)
    assert fits_the_width(page)


def test_on_a_projector_the_pages_use_larger_type_and_fit(open_page):
    page = open_page(PROJECTOR)
    sign_in(page)
    page.goto("/units")
    expect(page.locator("ul.tree").get_by_text("Trường Chính trị tỉnh Hậu Giang")).to_be_visible()
    font_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert font_size == "20px"
    assert fits_the_width(page)
    screenshot(page, "units-projector-vi")
    page.goto("/themes")
    expect(page.get_by_text(re.compile("Chỉ thị 05-CT/TW")).first).to_be_visible()
    screenshot(page, "themes-projector-vi")


def test_a_judge_sees_no_admin_controls(open_page):
    page = open_page(PHONE)
    sign_in(page, "giamkhao", "hoithi-judge")
    expect(page.get_by_role("navigation").get_by_role("link", name="Tài khoản")).to_have_count(0)
    response = page.goto("/users")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Không có quyền truy cập")).to_be_visible()
