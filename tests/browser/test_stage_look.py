"""The projector's look, the big clock, the MC's script and a rehearsal, in real browsers.

The organiser gives the demo's final its colours and a logo on the edit page; the projector is
looked at in 1080p and in 4K, the host puts a huge countdown on it, the MC follows the show on a
tablet, and a rehearsal marks every screen. Screenshots are kept in tests/browser/screenshots/.
"""

from __future__ import annotations

import math
import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, PROJECTOR, screens_on, screenshot
from tests.browser.stage import CONSOLE, StageServer, join
from tests.browser.test_shell import fits_the_width, sign_in

pytestmark = pytest.mark.browser

UHD = {"width": 3840, "height": 2160}
TABLET = {"width": 1024, "height": 768}
PRIMARY, ACCENT, BACKGROUND = "#8b1a1a", "#ffd54f", "#1a0f0f"


def emblem_png(size: int = 240) -> bytes:
    """A round red emblem with a gold five-pointed star on a transparent ground, as a PNG."""
    centre, radius = size / 2, size / 2 - 4
    star = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        r = radius * (0.62 if i % 2 == 0 else 0.25)
        star.append((centre + r * math.cos(angle), centre + r * math.sin(angle)))

    def inside_star(x: float, y: float) -> bool:
        crossings = False
        for (x1, y1), (x2, y2) in zip(star, star[1:] + star[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings = not crossings
        return crossings

    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            if inside_star(x + 0.5, y + 0.5):
                row += bytes((255, 213, 79, 255))
            elif math.hypot(x + 0.5 - centre, y + 0.5 - centre) <= radius:
                row += bytes((196, 30, 30, 255))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def stage_server(tmp_path_factory):
    server = StageServer(tmp_path_factory.mktemp("look"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def open_screen(browser, stage_server):
    with screens_on(browser, stage_server.base) as open_page:
        yield open_page


def looks_readable(page) -> dict:
    """Sizes a person at the back of the hall depends on, measured in the page."""
    return page.evaluate(
        """() => {
          const band = document.querySelector('.stage-band');
          const logo = document.querySelector('.stage-logo');
          const title = document.querySelector('.stage-band-title');
          const stem = document.querySelector('.scene-stem');
          const box = (n) => n ? n.getBoundingClientRect() : null;
          return {
            band: box(band) && box(band).height,
            bandVisible: !!band && getComputedStyle(band).display !== 'none',
            bandColour: band && getComputedStyle(band).backgroundColor,
            logoWidth: logo ? logo.naturalWidth : 0,
            logoHeight: logo ? box(logo).height : 0,
            titleFits: !!title && title.scrollWidth <= title.clientWidth + 1,
            stemSize: stem ? parseFloat(getComputedStyle(stem).fontSize) : 0,
            overflows: document.documentElement.scrollHeight > innerHeight + 1,
          };
        }"""
    )


def test_the_organisers_look_the_big_clock_the_script_and_a_rehearsal(
    open_screen, stage_server, tmp_path
):
    cid = stage_server.contest_id
    logo = tmp_path / "logo.png"
    logo.write_bytes(emblem_png())

    # The organiser: colours, a logo, and the MC's note on the second question.
    host = open_screen(CONSOLE)
    sign_in(host, "dan", "hoithi-host")
    host.goto(f"/live/{cid}/edit")
    host.locator("#look_primary").fill(PRIMARY)
    host.locator("#look_accent").fill(ACCENT)
    host.locator("#look_background").fill(BACKGROUND)
    host.locator("#logo").set_input_files(str(logo))
    screenshot(host, "stage-look-form-vi")
    host.locator("form button[type=submit], form input[type=submit]").last.click()
    expect(host.locator(".flash-success")).to_be_visible()
    host.goto(f"/live/{cid}/edit")
    expect(host.locator(".look-logo img")).to_be_visible()
    host.goto(f"/live/{cid}")
    host.locator("a.button", has_text="Câu hỏi").first.click()
    host.locator('a[href*="/questions/"][href$="/edit"]').nth(1).click()
    host.locator("#notes").fill("Đọc rõ: “Kết luận 01-KL/TW” — “không một”.")
    host.locator("form [type=submit]").last.click()

    host.goto(f"/live/{cid}/console")
    expect(host.locator("#stage-conn")).to_have_text("Đã kết nối")
    projector_code = host.locator('tr[data-seat="projector"] code').inner_text()

    projector = open_screen(PROJECTOR)
    join(projector, projector_code, "screen")
    expect(projector.locator(".stage-band-title")).to_have_text(
        host.locator("h1").first.inner_text()
    )
    expect(projector.locator(".stage-logo")).to_be_visible()
    screenshot(projector, "stage-look-title-1080p-vi")

    # A question on a 1080p projector and on a 4K one: band, logo, colours, nothing overflows.
    parts = host.locator(".run-part")
    parts.nth(0).get_by_role("button", name="Bắt đầu phần thi").click()
    parts.nth(0).locator(".run-question").first.click()
    host.locator("#stage").get_by_role("button", name="Phương án", exact=True).click()
    expect(projector.locator(".scene-option").first).to_be_visible()
    hd = looks_readable(projector)
    assert hd["bandVisible"] and hd["logoWidth"] == 240 and hd["titleFits"], hd
    assert hd["bandColour"] == "rgb(139, 26, 26)" and not hd["overflows"], hd
    assert 80 <= hd["band"] <= 130 and hd["stemSize"] >= 40, hd
    screenshot(projector, "stage-look-question-1080p-vi")

    uhd = open_screen(UHD)
    join(uhd, projector_code, "screen")
    expect(uhd.locator(".scene-option").first).to_be_visible()
    big = looks_readable(uhd)
    assert big["bandVisible"] and big["titleFits"] and not big["overflows"], big
    # Type grows with the screen (clamp()/vw): the same share of the picture as in 1080p.
    assert big["stemSize"] >= 1.6 * hd["stemSize"] and big["band"] >= 1.6 * hd["band"], (hd, big)
    screenshot(uhd, "stage-look-question-4k-vi")

    # The MC's script on a tablet: the question, its answer, and the next one with its note.
    script = open_screen(TABLET)
    sign_in(script, "dan", "hoithi-host")
    script.goto(f"/live/{cid}/script")
    expect(script.locator("#stage-conn")).to_have_text("Đã kết nối")
    expect(script.locator("#script-question .script-stem")).to_be_visible()
    expect(script.locator(".script-correct")).to_contain_text("Đáp án đúng")
    expect(script.locator("#script-next .script-notes")).to_contain_text("Kết luận 01-KL/TW")
    expect(script.locator("#script-next .script-qhead")).to_have_text("Câu 2")
    assert fits_the_width(script)
    screenshot(script, "stage-script-tablet-vi")
    parts.nth(0).locator(".run-question").nth(1).click()
    expect(script.locator("#script-question .script-notes")).to_contain_text("không một")
    expect(script.locator("#script-next .script-qhead")).to_have_text("Câu 3")
    parts.nth(0).locator(".run-question").last.click()  # the part's last: next is a part
    expect(script.locator("#script-next")).to_contain_text("Phần thi tiếp theoPhần 2")
    phone = open_screen(PHONE)
    sign_in(phone, "dan", "hoithi-host")
    phone.goto(f"/live/{cid}/script")
    expect(phone.locator("#script-question .script-correct")).to_be_visible()
    assert fits_the_width(phone)
    screenshot(phone, "stage-script-phone-vi")

    # The big clock: the typed seconds, then the scene; red in its last 10 s, then HẾT GIỜ.
    host.locator("#timer-seconds").fill("600")
    host.get_by_role("button", name="Đồng hồ lớn").click()
    clock = projector.locator(".scene-countdown")
    expect(clock).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
    width = clock.evaluate("n => n.getBoundingClientRect().width")
    assert 0.6 * PROJECTOR["width"] < width <= PROJECTOR["width"], width
    host.locator("#timer-seconds").fill("13")
    host.get_by_role("button", name="Đồng hồ lớn").click()
    expect(clock).to_have_text("0:13")
    expect(projector.locator(".stage-band")).to_be_hidden()
    # Measured in the page, waiting out a redraw of the scene: the digits fill the height.
    projector.wait_for_function(
        "() => { const n = document.querySelector('.scene-countdown');"
        " return n && n.getBoundingClientRect().height >= 0.55 * innerHeight; }"
    )
    assert "is-final" not in clock.get_attribute("class")
    screenshot(projector, "stage-big-clock-1080p-vi")
    expect(clock).to_have_class(re.compile(r"\bis-final\b"), timeout=6_000)
    assert clock.evaluate("n => getComputedStyle(n).color") == "rgb(255, 59, 48)"
    screenshot(uhd, "stage-big-clock-red-4k-vi")
    expect(clock).to_have_text("HẾT GIỜ", timeout=15_000)
    screenshot(projector, "stage-big-clock-time-up-1080p-vi")

    # A rehearsal: every screen says so, and ending it brings the live show back as it was.
    host.get_by_role("button", name="Bắt đầu tổng duyệt").click()
    banner = "TỔNG DUYỆT — kết quả không được ghi nhận"
    expect(projector.locator("#stage-rehearsal")).to_have_text(banner)
    expect(projector.locator(".scene-title")).to_be_visible()  # a fresh run: the title
    expect(script.locator("#stage-rehearsal")).to_be_visible()
    expect(host.locator("#stage-rehearsal")).to_be_visible()
    screenshot(host, "stage-console-rehearsal-vi")
    screenshot(projector, "stage-rehearsal-1080p-vi")
    host.once("dialog", lambda dialog: dialog.accept())
    host.get_by_role("button", name="Kết thúc tổng duyệt").click()
    expect(projector.locator("#stage-rehearsal")).to_be_hidden()
    expect(projector.locator(".scene-countdown")).to_have_text("HẾT GIỜ")
    expect(script.locator("#script-question .script-qhead strong")).to_have_text("Câu 5")
