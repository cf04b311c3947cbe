"""A stage show in real browsers: the host console, the projector, two team pads and a judge.

The demo's final (four teams, three judges; parts all_answer, buzzer, judged) is run from the
first question to the results, and each screen is checked for what a person in the hall sees.
The server is this module's own `flask run`, so it can be stopped and started again mid-show:
every screen must come back by itself.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, PROJECTOR, screens_on, screenshot
from tests.browser.stage import CONSOLE, StageServer, join
from tests.browser.test_shell import fits_the_width, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stage_server(tmp_path_factory):
    server = StageServer(tmp_path_factory.mktemp("stage"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def open_screen(browser, stage_server):
    with screens_on(browser, stage_server.base) as open_page:
        yield open_page


def act(host, name: str) -> None:
    """Press a console button once it is enabled (it is disabled outside its phase)."""
    button = host.locator("#stage").get_by_role("button", name=name, exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(host.locator("#console-message")).to_have_text("")


def test_a_show_runs_from_the_first_question_to_the_results(open_screen, stage_server):
    host = open_screen(CONSOLE)
    sign_in(host, "dan", "hoithi-host")
    host.goto(f"/live/{stage_server.contest_id}/console")
    expect(host.locator("#stage-conn")).to_have_text("Đã kết nối")
    team_rows = host.locator('tr[data-seat^="team-"]')
    names = team_rows.locator("th").all_inner_texts()
    codes = team_rows.locator("code").all_inner_texts()
    judge_code = host.locator('tr[data-seat^="judge-"] code').first.inner_text()
    projector_code = host.locator('tr[data-seat="projector"] code').inner_text()

    projector = open_screen(PROJECTOR)
    join(projector, projector_code, "screen")
    pad_a, pad_b = open_screen(PHONE), open_screen(PHONE)
    pad_a.goto("/stage/join")
    pad_a.get_by_label("Mã tham gia").fill("SAI234")
    pad_a.get_by_role("button", name="Vào").click()
    expect(pad_a.get_by_role("alert")).to_have_text("Mã này không đúng. Hãy hỏi lại Ban tổ chức.")
    screenshot(pad_a, "stage-join-wrong-code-phone-vi")
    join(pad_a, codes[0], "pad")
    join(pad_b, codes[1], "pad")
    judge = open_screen(PHONE)
    join(judge, judge_code, "judge")
    expect(pad_a.locator("#pad-team")).to_have_text(names[0])
    expect(pad_a.get_by_text("Chờ câu hỏi")).to_be_visible()
    expect(host.locator('#console-devices [data-seat^="team-"].is-connected')).to_have_count(2)

    # Part 1, everyone answers on their pad: A right, B wrong.
    parts = host.locator(".run-part")
    parts.nth(0).get_by_role("button", name="Bắt đầu phần thi").click()
    expect(projector.locator(".scene-title")).to_have_text("Phần 1: Kiến thức")
    parts.nth(0).locator(".run-question").first.click()
    expect(projector.locator(".scene-stem")).to_be_visible()
    right = host.locator(".console-options li.is-correct strong").first.inner_text().strip(". ")
    act(host, "Mở trả lời")
    expect(pad_a.locator(".pad-option")).not_to_have_count(0)
    expect(projector.locator(".scene-option")).not_to_have_count(0)
    for pad in (pad_a, pad_b):  # the right answer is nowhere in a pad before the reveal
        assert pad.locator(".is-correct, [data-correct]").count() == 0
        assert "correct" not in pad.locator("#pad-body").inner_html()
    assert projector.locator(".is-correct").count() == 0
    letters = pad_a.locator(".pad-letter").all_inner_texts()
    wrong = next(letter for letter in letters if letter != right)
    pad_a.locator(".pad-option", has=pad_a.locator(".pad-letter", has_text=right)).click()
    expect(pad_a.get_by_text(f"Đã gửi: {right}")).to_be_visible()
    pad_b.locator(".pad-option", has=pad_b.locator(".pad-letter", has_text=wrong)).click()
    expect(pad_b.get_by_text(f"Đã gửi: {wrong}")).to_be_visible()
    expect(host.locator("#now-answers")).to_contain_text("2/4 đội đã trả lời")
    assert fits_the_width(pad_a)
    screenshot(pad_a, "stage-pad-answering-phone-vi")
    screenshot(projector, "stage-projector-options-vi")
    screenshot(host, "stage-console-answering-vi")

    act(host, "Công bố đáp án")
    expect(projector.locator(".scene-option.is-correct")).to_contain_text(right)
    answers = projector.locator(".scene-answers li")
    expect(answers.filter(has_text=names[0])).to_contain_text("+10")
    expect(answers.filter(has_text=names[1])).to_contain_text("+0")
    expect(pad_a.locator(".pad-right")).to_have_text("Đúng")
    expect(pad_a.locator(".pad-earned")).to_have_text("+10 điểm")
    expect(pad_a.locator("#pad-total")).to_have_text("10")
    expect(pad_b.locator(".pad-wrong")).to_have_text("Sai")
    screenshot(projector, "stage-projector-reveal-vi")
    screenshot(pad_a, "stage-pad-result-phone-vi")

    # The server restarts mid-show: every screen says so, then comes back with no one touching it.
    stage_server.stop()
    expect(pad_a.locator("#stage-conn")).to_have_text("Mất kết nối — đang kết nối lại")
    screenshot(pad_a, "stage-pad-offline-phone-vi")
    stage_server.start()
    for screen in (pad_a, pad_b, projector, judge, host):
        expect(screen.locator("#stage-conn")).to_have_text("Đã kết nối", timeout=20_000)
    expect(pad_a.locator(".pad-earned")).to_have_text("+10 điểm")

    # Part 2, buzzer: A presses too early and is out; B buzzes first and answers right.
    parts.nth(1).get_by_role("button", name="Bắt đầu phần thi").click()
    expect(projector.locator(".scene-title")).to_have_text("Phần 2: Giành quyền trả lời")
    act(host, "Câu sau →")  # the part's first question
    expect(host.locator(".run-part.is-current .run-questions li").first).to_have_class("is-current")
    expect(pad_b.get_by_role("button", name="BẤM CHUÔNG")).to_be_visible()
    expect(pad_b.get_by_text("Chưa mở chuông — bấm sớm sẽ bị loại khỏi câu này")).to_be_visible()
    screenshot(pad_b, "stage-pad-buzz-closed-phone-vi")
    pad_a.get_by_role("button", name="BẤM CHUÔNG").click()
    expect(pad_a.locator(".pad-locked")).to_have_text("Đội bạn bị loại khỏi câu này")
    expect(host.locator("#now-buzzes")).to_contain_text(f"{names[0]} bấm sớm")
    act(host, "Mở chuông")
    expect(pad_b.get_by_text("Mời bấm chuông!")).to_be_visible()
    pad_b.get_by_role("button", name="BẤM CHUÔNG").click()
    expect(pad_b.get_by_text("Đội bạn giành quyền trả lời!")).to_be_visible()
    screenshot(pad_b, "stage-pad-won-phone-vi")
    expect(projector.locator(".scene-winner")).to_have_text(names[1])
    expect(projector.locator(".scene-buzzes")).to_contain_text(re.compile(r"\d ms"))
    expect(host.locator("#now-buzzes")).to_contain_text(names[1])
    screenshot(projector, "stage-projector-buzz-vi")
    host.locator("#stage").get_by_role("button", name="✓ Đúng").click()
    standings = host.locator("#console-standings li[data-team]")
    expect(standings.filter(has_text=names[1])).to_contain_text("10")
    expect(pad_b.locator("#pad-total")).to_have_text("10")
    expect(pad_b.locator(".pad-right")).to_have_text("Đúng")
    expect(pad_b.locator(".pad-earned")).to_have_text("+10 điểm")

    # Part 3, judged: A on stage, the judge scores, the host closes and publishes.
    parts.nth(2).get_by_role("button", name="Bắt đầu phần thi").click()
    host.locator("#stage-team").select_option(label=names[0])
    act(host, "Mời lên sân khấu")
    expect(projector.locator(".scene-title")).to_have_text(names[0])
    act(host, "Bắt đầu trình diễn")
    expect(projector.locator(".scene-big-clock .countdown")).to_have_text(re.compile(r"^\d+:\d\d$"))
    screenshot(projector, "stage-projector-stage-vi")
    expect(judge.locator("#judge-stage")).to_have_text(f"Trên sân khấu: {names[0]}")
    marks = judge.locator(".judge-mark")
    expect(marks).to_have_count(3)
    for field, value in zip(marks.all(), ("4.5", "2.75", "2"), strict=True):
        field.fill(value)
    judge.get_by_role("button", name="Gửi điểm").click()
    expect(judge.locator(".pad-sent")).to_have_text("Đã gửi điểm: 4,5 · 2,75 · 2")
    screenshot(judge, "stage-judge-phone-vi")
    act(host, "Dừng trình diễn")
    act(host, "Khóa chấm điểm")
    act(host, "Công bố điểm")
    expect(projector.locator(".scene-score strong")).to_have_text("9,25")
    expect(judge.locator(".judge-sheet").first).to_contain_text("9,25")

    # The end: the final standings on the projector and the public scoreboard agree.
    host.on("dialog", lambda dialog: dialog.accept())
    act(host, "Kết thúc hội thi")
    expect(projector.locator(".scene-heading")).to_have_text("Kết quả chung cuộc")
    expect(host.get_by_text("Hội thi đã kết thúc")).to_be_visible()
    rows = projector.locator(".standings-row")
    expect(rows.first).to_contain_text(names[0])
    expect(rows.filter(has_text=names[0]).locator(".standings-total")).to_have_text("19,25")
    expect(rows.filter(has_text=names[1]).locator(".standings-total")).to_have_text("10")
    screenshot(projector, "stage-projector-results-vi")
    board = open_screen(PHONE)
    board.goto(f"/stage/{stage_server.contest_id}/scoreboard")
    board_rows = board.locator(".standings-row")
    expect(board_rows.filter(has_text=names[0]).locator(".standings-total")).to_have_text("19,25")
    expect(board_rows.filter(has_text=names[1]).locator(".standings-total")).to_have_text("10")
    assert fits_the_width(board)
    screenshot(board, "stage-scoreboard-phone-vi")
    screenshot(host, "stage-console-host-vi")
