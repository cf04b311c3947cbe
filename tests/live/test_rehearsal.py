"""Rehearsals ("Tổng duyệt"): the show runs into a log of its own and the live run is untouched."""

from __future__ import annotations

import html

import pytest

from contest.accounts.roles import Role
from contest.extensions import db
from live import devices, rehearsal, results
from live.events import NAMESPACE
from live.models import LIVE_RUN, StageEvent
from tests.live.factory import make_contest
from tests.live.sockets import socket_clients

FIRST_REHEARSAL = "rehearsal-1"


@pytest.fixture
def contest(app):
    return make_contest()


@pytest.fixture
def connect(app):
    """A connected Socket.IO client with its own browser: as host, device or scoreboard."""
    with socket_clients(app) as open_client:

        def open_for(contest, kind, seat_code=None, browser=None):
            seat = devices.seat_for_code(seat_code) if seat_code is not None else None
            sio = open_client(contest, kind, seat, browser)
            assert sio.is_connected(NAMESPACE)
            return sio

        yield open_for


@pytest.fixture
def host(app, client, login_as, contest, connect):
    login_as(Role.HOST, username="dan")
    return connect(contest, "host", browser=client)


def act(sio, kind, **payload):
    reply = sio.emit("act", {"type": kind, "payload": payload}, namespace=NAMESPACE, callback=True)
    assert reply["ok"], reply
    return reply


def view_of(sio) -> dict:
    reply = sio.emit("sync", namespace=NAMESPACE, callback=True)
    assert reply["ok"], reply
    return reply["view"]


def told_to_resync(sio) -> bool:
    return any(m["name"] == "resync" for m in sio.get_received(NAMESPACE))


def answer_and_reveal(host, pad, question_id: int, response: int) -> None:
    act(host, "question.show", question=question_id)
    act(host, "answers.open")
    act(pad, "answer.submit", question=question_id, response=response)
    act(host, "answers.close")
    act(host, "reveal")


def totals(contest_id: int) -> dict[int, float]:
    return {row.team_id: row.total for row in results.result_sheet(contest_id).rows}


def test_a_rehearsal_is_kept_apart_and_the_live_show_comes_back_exactly(
    app, client, host, contest, connect
):
    team_a = contest.teams[0]
    pad = connect(contest, "device", seat_code=team_a.join_code)
    projector = connect(contest, "device", seat_code=contest.projector_code)
    judge = connect(contest, "device", seat_code=contest.judges[0].join_code)
    board = connect(contest, "scoreboard")
    knowledge = contest.parts[0]
    first, second = knowledge.questions

    # The live show: team A answers the first question right; a correction for team B.
    act(host, "part.start", part=knowledge.id)
    answer_and_reveal(host, pad, first.id, 1)
    act(host, "score.adjust", team=contest.teams[1].id, points=2, reason="Cộng điểm phụ")
    act(host, "question.show", question=second.id)
    before = {name: view_of(sio) for name, sio in [("host", host), ("screen", projector)]}
    live_totals = totals(contest.id)
    live_events = db.session.query(StageEvent).filter_by(contest_id=contest.id).count()
    assert live_totals[team_a.id] > 0 and not before["host"]["rehearsal"]
    for sio in (host, pad, projector, judge, board):
        sio.get_received(NAMESPACE)  # forget what came so far

    response = client.post_form(f"/live/{contest.id}/rehearsal/start")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/live/{contest.id}/console")
    db.session.refresh(contest)
    assert contest.current_run == FIRST_REHEARSAL
    for sio in (host, pad, projector, judge, board):
        assert told_to_resync(sio)
    fresh = view_of(projector)
    assert fresh["rehearsal"] is True and fresh["part"] is None and fresh["seq"] == 0
    assert view_of(pad)["rehearsal"] is True

    # The rehearsal: the whole first question again with a wrong answer, a big correction.
    act(host, "part.start", part=knowledge.id)
    answer_and_reveal(host, pad, first.id, 0)
    act(host, "score.adjust", team=team_a.id, points=50, reason="Thử")
    act(host, "scene.show", scene="scoreboard")
    rows = (
        db.session.query(StageEvent).filter_by(contest_id=contest.id, run=FIRST_REHEARSAL).count()
    )
    assert rows == 8
    assert totals(contest.id) == live_totals  # results read only the live run
    sheet = results.result_sheet(contest.id)
    assert sheet.events == live_events
    assert [c.reason for c in sheet.corrections] == ["Cộng điểm phụ"]
    page = html.unescape(client.get(f"/live/{contest.id}/results").get_data(as_text=True))
    assert "Đang tổng duyệt." in page
    assert "Chương trình đã tổng duyệt 1 lần" in page and "không tính vào kết quả" in page

    for sio in (host, pad, projector):
        sio.get_received(NAMESPACE)
    response = client.post_form(f"/live/{contest.id}/rehearsal/stop")
    assert response.status_code == 302
    db.session.refresh(contest)
    assert contest.current_run == LIVE_RUN
    assert told_to_resync(host) and told_to_resync(pad) and told_to_resync(projector)
    after = {name: view_of(sio) for name, sio in [("host", host), ("screen", projector)]}
    assert after == before  # scene, question, phase, scores: as they were
    assert after["host"]["question"]["id"] == second.id and after["host"]["scene"] == "question"
    assert totals(contest.id) == live_totals

    # The live show goes on from where it stood; the rehearsal's rows are still there.
    act(host, "answers.open")
    assert db.session.query(StageEvent).filter_by(contest_id=contest.id, run=LIVE_RUN).count() == (
        live_events + 1
    )
    assert rehearsal.rehearsal_runs(contest.id) == [FIRST_REHEARSAL]


def test_each_rehearsal_gets_the_next_number(app, client, login_as, contest, connect):
    login_as(Role.HOST, username="dan")
    host = connect(contest, "host", browser=client)
    client.post_form(f"/live/{contest.id}/rehearsal/start")
    act(host, "part.start", part=contest.parts[0].id)
    client.post_form(f"/live/{contest.id}/rehearsal/stop")
    client.post_form(f"/live/{contest.id}/rehearsal/start")
    db.session.refresh(contest)
    assert contest.current_run == "rehearsal-2"
    # Started again before rehearsal-2 wrote anything: still a new number, never a reused log.
    client.post_form(f"/live/{contest.id}/rehearsal/start")
    db.session.refresh(contest)
    assert contest.current_run == "rehearsal-3"
    assert view_of(host)["part"] is None


def test_only_a_host_switches_and_only_with_the_pages_token(
    app, client, make_user, login_as, contest
):
    url = f"/live/{contest.id}/rehearsal/start"
    assert client.post_form(url).status_code == 302  # anonymous: to the sign-in page
    login_as(Role.SECRETARY, username="thuky")
    assert client.post_form(url).status_code == 403
    client.post_form("/logout")
    login_as(Role.HOST, username="dan")
    assert client.post(url, data={}).status_code == 400  # no CSRF token
    db.session.refresh(contest)
    assert contest.current_run == LIVE_RUN
    assert client.post_form(f"/live/{contest.id + 999}/rehearsal/start").status_code == 404


def test_the_console_offers_start_or_end_and_ending_asks_first(app, client, login_as, contest):
    login_as(Role.HOST, username="dan")
    page = html.unescape(client.get(f"/live/{contest.id}/console").get_data(as_text=True))
    assert f'action="/live/{contest.id}/rehearsal/start"' in page and "Bắt đầu tổng duyệt" in page
    assert "rehearsal/stop" not in page
    client.post_form(f"/live/{contest.id}/rehearsal/start")
    page = html.unescape(client.get(f"/live/{contest.id}/console").get_data(as_text=True))
    assert f'action="/live/{contest.id}/rehearsal/stop"' in page
    assert (
        'data-confirm="Kết thúc tổng duyệt và trở lại buổi thi chính thức ở chỗ đang dừng?"' in page
    )
    assert "Đang tổng duyệt: mọi thao tác lúc này không được tính vào kết quả." in page
