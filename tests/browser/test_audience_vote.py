"""The audience votes ("khán giả bình chọn") in real browsers, with a hall of simulated phones.

The host opens a favourite-team vote from the console; the projector shows the QR code and the
short link; one real phone joins through that link and votes (and changes its mind), and 50
simulated phones — Socket.IO clients, each its own device bound with the audience code — vote at
once. The projector's chart and the table beside it, and the console, show the counts; the close
writes the tally and the phones see the poll closed. Then an audience question, with no answer
anywhere on the phone.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
import socketio
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, PROJECTOR, screens_on, screenshot
from tests.browser.stage import CONSOLE, StageServer, join
from tests.browser.test_shell import fits_the_width, sign_in

pytestmark = pytest.mark.browser

HALL = 50
# How the simulated hall votes, by the demo's team order (the real phone adds one for team 2).
SHARES = (20, 15, 10, 5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = StageServer(tmp_path_factory.mktemp("audience"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def open_screen(browser, server):
    with screens_on(browser, server.base) as open_page:
        yield open_page


def bind_phones(server, n: int) -> list[str]:
    """Device tokens for n audience phones, bound in the server's own database."""
    from contest import create_app
    from contest.extensions import db
    from live import devices
    from live.models import StageContest

    with mock.patch.dict(os.environ, server.env):
        app = create_app()
    with app.app_context():
        code = devices.audience_code(db.session.get(StageContest, server.contest_id))
        tokens = [devices.bind_device(devices.seat_for_code(code)) for _ in range(n)]
        db.engine.dispose()
    return tokens


@pytest.fixture
def hall(server):
    """HALL connected audience phones: python-socketio clients with their own device cookie."""
    phones = []
    for token in bind_phones(server, HALL):
        phone = socketio.Client(reconnection=False)
        phone.connect(
            server.base,
            namespaces=["/live"],
            auth={"contest": server.contest_id, "as": "device"},
            headers={"Cookie": f"hoithi_stage_{server.contest_id}={token}"},
            transports=["websocket"],
            wait_timeout=10,
        )
        phones.append(phone)
    yield phones
    with ThreadPoolExecutor(max_workers=HALL) as pool:  # each waits for the server's close
        list(pool.map(lambda phone: phone.disconnect(), phones))


def cast(phones, poll: int, choices: list[int]) -> list[dict]:
    """Every phone votes at once (ten at a time), each for its choice; returns the acks."""

    def one(pair):
        phone, choice = pair
        return phone.call("vote", {"poll": poll, "choice": choice}, namespace="/live", timeout=10)

    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(one, zip(phones, choices, strict=True)))


def press(host, name: str) -> None:
    button = host.locator("#stage").get_by_role("button", name=name, exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(host.locator("#console-message")).to_have_text("")


def test_the_hall_votes_for_its_favourite_team_and_the_projector_charts_it(
    open_screen, server, hall
):
    host = open_screen(CONSOLE)
    sign_in(host, "dan", "hoithi-host")
    host.goto(f"/live/{server.contest_id}/console")
    expect(host.locator("#stage-conn")).to_have_text("Đã kết nối")
    names = host.locator('tr[data-seat^="team-"] th').all_inner_texts()
    projector = open_screen(PROJECTOR)
    join(projector, host.locator('tr[data-seat="projector"] code').inner_text(), "screen")
    expect(host.locator("#poll-audience")).to_have_text(f"{HALL} điện thoại khán giả đang kết nối")

    press(host, "Mở bình chọn đội yêu thích")
    expect(projector.locator(".poll-title")).to_have_text("Bình chọn đội yêu thích")
    expect(projector.locator(".poll-state")).to_have_text("Đang mở bình chọn")
    expect(projector.locator(".poll-qr")).to_be_visible()
    assert projector.locator(".poll-qr").evaluate("img => img.naturalWidth") > 0
    link = projector.locator(".poll-url").inner_text()
    assert re.fullmatch(r"127\.0\.0\.1:\d+/stage/join\?code=[A-Z0-9]+", link), link
    expect(projector.locator(".poll-row")).to_have_count(4)
    expect(projector.locator(".poll-total")).to_have_text("Tổng cộng 0 phiếu")

    # A real phone follows the projector's link, taps Vào and lands on the audience page.
    phone = open_screen(PHONE)
    join(phone, link.split("code=")[1], "audience")
    expect(phone.locator(".audience-poll-title")).to_have_text("Bình chọn đội yêu thích")
    choices = phone.locator(".audience-choice")
    expect(choices).to_have_count(4)
    expect(choices).to_have_text(names)
    choices.nth(0).click()
    expect(choices.nth(0)).to_have_attribute("aria-pressed", "true")
    expect(phone.get_by_text("Đã bình chọn — có thể đổi ý đến khi đóng bình chọn")).to_be_visible()
    choices.nth(1).click()  # a change of mind: still one vote
    expect(choices.nth(1)).to_have_attribute("aria-pressed", "true")
    expect(choices.nth(0)).to_have_attribute("aria-pressed", "false")
    expect(phone.locator("#audience-standings .standings-row")).to_have_count(4)
    assert fits_the_width(phone)
    screenshot(phone, "audience-phone-voted-vi")

    # The hall votes at once.
    seats = host.locator('tr[data-seat^="team-"]').evaluate_all(
        "rows => rows.map(r => r.dataset.seat)"
    )
    teams = [int(seat.removeprefix("team-")) for seat in seats]
    seq = int(projector.locator("#poll-box").get_attribute("data-poll"))
    choices_of_hall = [
        team for team, share in zip(teams, SHARES, strict=True) for _ in range(share)
    ]
    acks = cast(hall, seq, choices_of_hall)
    assert acks == [{"ok": True}] * HALL

    expected = [SHARES[0], SHARES[1] + 1, SHARES[2], SHARES[3]]
    rows = projector.locator(".poll-row")
    for row, name, count in zip(rows.all(), names, expected, strict=True):
        expect(row.locator(".poll-label")).to_have_text(name)
        expect(row.locator(".poll-count")).to_have_text(str(count))
    expect(projector.locator(".poll-total")).to_have_text(f"Tổng cộng {HALL + 1} phiếu")
    expect(rows.nth(0).locator(".poll-share")).to_have_text("39%")
    counts = host.locator("#poll-counts tr")
    for row, count in zip(counts.all(), expected, strict=True):
        expect(row.locator("td.num")).to_have_text(str(count))
    expect(host.locator("#poll-audience")).to_have_text(
        f"{HALL + 1} điện thoại khán giả đang kết nối"
    )
    screenshot(projector, "audience-projector-poll-open-vi")
    screenshot(host, "audience-console-poll-open-vi")

    press(host, "Đóng bình chọn")
    expect(projector.locator(".poll-state")).to_have_text("Đã đóng bình chọn")
    expect(projector.locator(".poll-qr")).to_be_hidden()
    expect(projector.locator(".poll-row.is-top .poll-label")).to_have_text(names[0])
    expect(rows.nth(1).locator(".poll-count")).to_have_text(str(expected[1]))
    expect(phone.locator(".audience-closed")).to_have_text("Đã đóng bình chọn")
    expect(phone.locator(".audience-choice").first).to_be_disabled()
    expect(phone.locator(".audience-choice").nth(1)).to_contain_text(f"{expected[1]} phiếu")
    reply = hall[0].call("vote", {"poll": seq, "choice": teams[0]}, namespace="/live", timeout=10)
    assert reply["error"] == "poll_closed"
    screenshot(projector, "audience-projector-poll-closed-vi")
    screenshot(phone, "audience-phone-closed-vi")

    # An audience question: its options A–D on the phone, never the right answer.
    host.locator("#poll-question").select_option(index=0)
    press(host, "Mở câu hỏi cho khán giả")
    expect(phone.locator(".audience-poll-title")).to_have_text("Câu hỏi cho khán giả")
    expect(phone.locator(".audience-stem")).not_to_be_empty()
    expect(phone.locator(".audience-letter")).to_have_text(["A", "B", "C", "D"])
    assert "correct" not in phone.locator("#audience-poll").inner_html()
    phone.locator(".audience-choice").nth(2).click()
    expect(phone.locator(".audience-choice").nth(2)).to_have_attribute("aria-pressed", "true")
    expect(projector.locator(".poll-row").nth(2).locator(".poll-count")).to_have_text("1")
    expect(projector.locator(".poll-row").nth(2).locator(".poll-label")).to_contain_text("C. ")
    screenshot(phone, "audience-phone-question-vi")
    screenshot(projector, "audience-projector-question-vi")
    press(host, "Đóng bình chọn")
    expect(projector.locator(".poll-state")).to_have_text("Đã đóng bình chọn")
    for page in (host, projector, phone):
        assert page.errors == [], page.errors
