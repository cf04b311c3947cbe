"""The final's formats in real browsers: Olympia's packages, Rung chuông vàng, the ceremony.

The demo's final gets two more parts before its server starts, as an organiser would add them:
"Về đích" (packages worth 10, 20, 30) and "Rung chuông vàng" (120 seats, questions whose right
option is B). A hundred players are simulated by Socket.IO clients, each on its own seat; one
more plays on a real phone page. The tests run in order on one show, like the evening itself.
"""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio
from playwright.sync_api import expect

from tests.browser.conftest import BIN, PHONE, PROJECTOR, ROOT, screens_on, screenshot
from tests.browser.stage import CONSOLE, StageServer, join
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser

SIMULATED = 100
RIGHT = 1  # every Rung chuông vàng question here has B right
SETUP = """
import json
import sys
from contest import create_app
from contest.extensions import db
from live import devices, setup_questions, setup_service
from live.demo import demo_contest

with create_app().app_context():
    contest = demo_contest()
    packages = setup_service.add_part(contest, "Phần 4: Về đích", "packages", {})
    for value in (10, 20, 30, 10, 20, 30):
        content = setup_questions.typed_content(
            f"Câu hỏi {value} điểm: Chỉ thị 05-CT/TW ban hành năm nào?",
            ["2014", "2016", "2018", "2021"], 1, "")
        question = setup_questions.add_typed(packages, content)
        setup_questions.update_question(question, value, None, "")
    bell = setup_service.add_part(contest, "Phần 5: Rung chuông vàng", "elimination",
                                  {"seats": 120, "time_limit_s": 120})
    for stem in ("Kết luận 01-KL/TW ban hành năm nào?", "Chỉ thị 05 do cơ quan nào ban hành?"):
        content = setup_questions.typed_content(stem, ["2020", "2021", "2022", "2023"], 1, "")
        setup_questions.add_typed(bell, content)
    db.session.commit()
    code = devices.player_code(contest)
    seats = range(1, int(sys.argv[1]) + 1)
    tokens = {n: devices.bind_device(devices.seat_for_player(code, n)) for n in seats}
    print(json.dumps({"code": code, "tokens": tokens}))
"""


class FinalServer(StageServer):
    """The demo's final with the two parts added and a hundred players' phones bound."""

    def __init__(self, tmp) -> None:
        super().__init__(tmp)
        done = subprocess.run(
            [str(BIN / "python"), "-c", SETUP, str(SIMULATED)],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        found = json.loads(done.stdout.strip().splitlines()[-1])
        self.player_code = found["code"]
        self.tokens = {int(seat): token for seat, token in found["tokens"].items()}


@pytest.fixture(scope="module")
def final_server(tmp_path_factory):
    server = FinalServer(tmp_path_factory.mktemp("final"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def screens(browser, final_server):
    with screens_on(browser, final_server.base) as open_page:
        yield open_page


def console(screens, server):
    host = screens(CONSOLE)
    sign_in(host, "dan", "hoithi-host")
    host.goto(f"/live/{server.contest_id}/console")
    expect(host.locator("#stage-conn")).to_have_text("Đã kết nối")
    return host


def projector(screens, host):
    screen = screens(PROJECTOR)
    join(screen, host.locator('tr[data-seat="projector"] code').inner_text(), "screen")
    return screen


def press(box, name: str) -> None:
    """Press a button of a console box once it fits the phase; the server must accept it."""
    button = box.get_by_role("button", name=name, exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(box.page.locator("#console-message")).to_have_text("")


def settled(page) -> None:
    """Wait for the podium's entrance animations to end, so the screenshot shows the result."""
    page.wait_for_function("document.getAnimations().every(a => a.playState === 'finished')")


def total(host, team_id: str):
    return host.locator(f'#console-standings li[data-team="{team_id}"] strong')


def test_a_team_stars_its_question_answers_wrong_and_another_pad_steals(screens, final_server):
    host = console(screens, final_server)
    screen = projector(screens, host)
    rows = host.locator('tr[data-seat^="team-"]')
    ids = [seat.split("-")[1] for seat in rows.evaluate_all("rs => rs.map(r => r.dataset.seat)")]
    names, codes = rows.locator("th").all_inner_texts(), rows.locator("code").all_inner_texts()
    pad_a, pad_b = screens(PHONE), screens(PHONE)
    join(pad_a, codes[0], "pad")
    join(pad_b, codes[1], "pad")

    host.locator(".run-part").nth(3).get_by_role("button", name="Bắt đầu phần thi").click()
    box = host.locator("#final-packages")
    expect(box).to_be_visible()
    box.get_by_label("Đội", exact=True).select_option(ids[0])
    press(box, "Bắt đầu lượt của đội")
    for n, value in enumerate(("10", "20", "30"), start=1):
        box.get_by_label(f"Câu {n}", exact=True).select_option(value)
    press(box, "Ghi nhận gói câu hỏi")
    expect(screen.locator(".turn-team")).to_have_text(f"Gói câu hỏi của {names[0]}")
    expect(box.locator("#pkg-questions .run-question")).to_have_count(2)  # the two worth 10
    box.locator("#pkg-questions .run-question").first.click()
    expect(screen.locator(".turn-value.is-current")).to_have_text("10")

    # The turn's team answers aloud and puts its star of hope on this question.
    expect(pad_a.get_by_text("Lượt của đội bạn — trả lời miệng")).to_be_visible()
    expect(pad_b.get_by_text(f"Lượt của đội khác: {names[0]}")).to_be_visible()
    pad_a.get_by_role("button", name="★ Đặt ngôi sao hy vọng").click()
    expect(pad_a.get_by_text("★ Đã đặt ngôi sao hy vọng cho câu này")).to_be_visible()
    expect(screen.locator(".turn-value.is-current .turn-star")).to_be_visible()
    expect(screen.locator(".turn-star-label")).to_contain_text("Ngôi sao hy vọng")
    screenshot(pad_a, "final-pad-star-phone-vi")

    # Wrong: the star costs the value; the other teams have five seconds to steal.
    box.locator('[data-final-act="answer.mark"][data-correct="false"]').click()
    steal = pad_b.get_by_role("button", name="GIÀNH QUYỀN")
    expect(steal).to_be_visible()
    expect(screen.locator(".turn-steal")).to_contain_text(
        "Các đội khác được giành quyền trả lời: 5 giây"
    )
    screenshot(screen, "final-projector-steal-open-vi")
    screenshot(pad_b, "final-pad-steal-phone-vi")
    steal.click()
    expect(pad_b.locator(".pad-won")).to_be_visible()
    expect(screen.locator(".scene-winner")).to_have_text(names[1])
    expect(screen.locator(".turn-steal")).to_have_text(f"{names[1]} giành quyền trả lời")
    expect(box.locator("#pkg-stealer")).to_have_text(names[1])
    screenshot(screen, "final-projector-stealer-vi")

    box.locator('[data-final-act="steal.mark"][data-correct="true"]').click()
    expect(total(host, ids[0])).to_have_text("-10")  # the star's wrong answer: −10
    expect(total(host, ids[1])).to_have_text("10")  # the steal wins the value
    press(box, "Công bố đáp án")
    expect(pad_b.locator(".pad-right")).to_have_text("Đúng")
    expect(pad_b.locator(".pad-earned")).to_have_text("+10 điểm")
    expect(pad_a.locator(".pad-wrong")).to_have_text("Sai")
    expect(pad_a.locator(".pad-earned")).to_have_text("-10 điểm")
    expect(pad_a.locator("#pad-total")).to_have_text("-10")
    expect(screen.locator(".scene-option.is-correct")).to_contain_text("2016")
    screenshot(host, "final-console-packages-vi")
    screenshot(pad_a, "final-pad-result-phone-vi")


def simulated_players(server) -> dict[int, socketio.Client]:
    players = {}
    for seat, token in server.tokens.items():
        client = socketio.Client(reconnection=False)
        client.connect(
            server.base,
            namespaces=["/live"],
            transports=["websocket"],
            headers={"Cookie": f"hoithi_stage_{server.contest_id}={token}"},
            auth={"contest": server.contest_id, "as": "device"},
            wait_timeout=10,
        )
        players[seat] = client
    return players


def answer(player: socketio.Client, question: int, option: int) -> None:
    reply = player.call(
        "act",
        {"type": "answer.submit", "payload": {"question": question, "response": option}},
        namespace="/live",
        timeout=10,
    )
    assert reply["ok"], reply


def me(player: socketio.Client) -> dict:
    return player.call("sync", namespace="/live", timeout=10)["view"]["me"]


def test_a_hundred_players_and_a_phone_ring_the_golden_bell(screens, final_server):
    host = console(screens, final_server)
    screen = projector(screens, host)
    box = host.locator("#final-elimination")
    code = final_server.player_code
    expect(host.locator("#final-player-code")).to_have_text(code)

    phone = screens(PHONE)
    phone.goto("/stage/join")
    phone.get_by_label("Mã tham gia").fill(code)
    phone.get_by_label("Số ghế").fill("121")
    phone.get_by_role("button", name="Vào").click()
    expect(phone.locator("#seat-error")).to_have_text("Số ghế từ 1 đến 120.")
    screenshot(phone, "final-player-join-wrong-seat-phone-vi")
    phone.get_by_label("Số ghế").fill("101")
    phone.get_by_role("button", name="Vào").click()
    expect(phone).to_have_url(re.compile(r"/stage/\d+/player$"))
    expect(phone.locator("#player-seat")).to_have_text("101")

    players = simulated_players(final_server)
    try:
        host.locator(".run-part").nth(4).get_by_role("button", name="Bắt đầu phần thi").click()
        expect(screen.locator(".seats-left")).to_have_text("Còn lại 101/101")
        expect(screen.locator(".seat.is-alive")).to_have_count(101)
        expect(phone.locator("#player-state")).to_have_text("Đang chơi")
        screenshot(screen, "final-projector-seats-start-vi")

        # A normal question: seats 1–60 and the phone answer right, 61–80 wrong, 81–100 not at all.
        first = host.locator(".run-part").nth(4).locator(".run-question").first
        first.click()
        question = int(first.get_attribute("data-question"))
        press(box, "Mở trả lời")
        for seat in range(1, 81):
            answer(players[seat], question, RIGHT if seat <= 60 else 0)
        phone.locator(".pad-option", has_text="2021").click()
        expect(phone.get_by_text("Đã gửi: B")).to_be_visible()
        expect(screen.locator(".seats-strip")).to_be_visible()
        screenshot(phone, "final-player-answering-phone-vi")
        screenshot(screen, "final-projector-bell-question-vi")
        press(box, "Công bố đáp án")
        expect(screen.locator(".seats-strip-left")).to_have_text("Còn lại 61/101")
        expect(screen.locator(".seat.is-alive")).to_have_count(61)
        expect(screen.locator('.seat.is-out[data-seat="61"]')).to_be_visible()
        expect(phone.locator(".pad-right")).to_have_text("Đúng — bạn vẫn tiếp tục")
        assert me(players[70]) == {"seat": 70, "state": "out", "answer": "A"}
        assert me(players[90])["state"] == "out" and me(players[5])["state"] == "alive"
        screenshot(screen, "final-projector-bell-reveal-vi")
        screenshot(phone, "final-player-result-phone-vi")

        # A rescue question for five: the phone only watches; 61–70 answer right in that order.
        second = host.locator(".run-part").nth(4).locator(".run-question").nth(1)
        second.click()
        question = int(second.get_attribute("data-question"))
        box.get_by_label("Cứu trợ: đưa trở lại").fill("5")
        press(box, "Mở câu hỏi cứu trợ")
        expect(phone.get_by_text("Bạn theo dõi câu hỏi này, không trả lời")).to_be_visible()
        for seat in range(61, 101):
            answer(players[seat], question, RIGHT if seat <= 70 else 2)
        press(box, "Công bố đáp án")
        expect(screen.locator(".seats-strip-left")).to_have_text("Còn lại 66/101")
        for seat in (61, 65):
            expect(screen.locator(f'.seat.is-alive[data-seat="{seat}"]')).to_be_visible()
        expect(screen.locator('.seat.is-out[data-seat="66"]')).to_be_visible()
        assert me(players[64])["state"] == "alive" and me(players[66])["state"] == "out"
        host.locator("#stage").get_by_role("button", name="Chiếu sơ đồ ghế").click()
        expect(screen.locator(".seats-left")).to_have_text("Còn lại 66/101")
        screenshot(screen, "final-projector-seats-after-rescue-vi")
        expect(box.locator("#elim-count")).to_have_text("Còn lại 66/101")
        screenshot(host, "final-console-bell-vi")
    finally:
        with ThreadPoolExecutor(max_workers=20) as pool:  # each waits for its own goodbye
            list(pool.map(lambda player: player.disconnect(), players.values()))


def test_a_frozen_board_keeps_its_totals_and_the_podium_rises_from_last_to_first(
    screens, final_server
):
    host = console(screens, final_server)
    screen = projector(screens, host)
    board = screens(PHONE)
    board.goto(f"/stage/{final_server.contest_id}/scoreboard")
    ceremony = host.locator("#final-ceremony")
    rows = host.locator('tr[data-seat^="team-"]')
    names = rows.locator("th").all_inner_texts()
    ids = [seat.split("-")[1] for seat in rows.evaluate_all("rs => rs.map(r => r.dataset.seat)")]

    press(ceremony, "Giữ nguyên bảng điểm công khai")
    expect(ceremony.locator("#final-frozen")).to_have_text("ĐANG GIỮ")
    host.locator("#adjust-team").select_option(ids[2])
    host.locator("#adjust-points").fill("25")
    host.locator("#adjust-reason").fill("Thưởng phần thi năng khiếu")
    host.get_by_role("button", name="Ghi điều chỉnh").click()
    expect(total(host, ids[2])).to_have_text("25")  # the console: live
    public = board.locator(".standings-row", has_text=names[2])
    expect(public.locator(".standings-total")).to_have_text("0")  # the public board: frozen
    expect(board.locator(".standings-row").first).to_contain_text(names[1])
    screenshot(board, "final-scoreboard-frozen-phone-vi")
    screenshot(host, "final-console-frozen-vi")

    # The podium, from the last place up: C 25, B 10, D 0, A −10.
    podium = [names[2], names[1], names[3], names[0]]
    press(ceremony, "Công bố vị trí tiếp theo")
    expect(screen.locator(".podium-row")).to_have_count(1)
    expect(screen.locator(".podium-row")).to_contain_text(podium[3])
    expect(screen.locator(".podium-step.is-shown")).to_have_count(0)
    settled(screen)
    screenshot(screen, "final-projector-podium-last-vi")
    press(ceremony, "Công bố vị trí tiếp theo")
    expect(screen.locator(".podium-3.is-shown .podium-name")).to_have_text(podium[2])
    press(ceremony, "Công bố vị trí tiếp theo")
    expect(screen.locator(".podium-2.is-shown .podium-name")).to_have_text(podium[1])
    expect(screen.locator(".podium-1 .podium-name")).to_have_text("?")
    press(ceremony, "Công bố vị trí tiếp theo")
    expect(screen.locator(".podium-1.is-shown .podium-name")).to_have_text(podium[0])
    expect(ceremony.get_by_role("button", name="Công bố vị trí tiếp theo")).to_be_disabled()
    steps = screen.locator(".podium-step")
    expect(steps.nth(1)).to_have_class(re.compile("podium-1"))  # the winner in the middle
    first_box = screen.locator(".podium-1 .podium-block").bounding_box()
    second_box = screen.locator(".podium-2 .podium-block").bounding_box()
    assert first_box["height"] > second_box["height"]
    settled(screen)
    screenshot(screen, "final-projector-podium-vi")
    press(ceremony, "Làm lại công bố")
    expect(ceremony.locator("#final-podium")).to_have_text("")
