"""Packages and elimination through Socket.IO: pads, players' phones and the projector."""

from __future__ import annotations

import pytest

from contest.accounts.roles import Role
from contest.extensions import db
from live import devices
from live.events import NAMESPACE
from live.models import StageEvent
from tests.live.factory import make_contest
from tests.live.sockets import socket_clients


@pytest.fixture
def contest(app):
    return make_contest(final=True)


@pytest.fixture
def connect(app):
    with socket_clients(app) as open_client:
        yield lambda contest, seat, kind="device", browser=None: open_client(
            contest, kind, seat, browser
        )


@pytest.fixture
def host(client, login_as, contest, connect):
    login_as(Role.HOST, username="dan")
    return connect(contest, None, kind="host", browser=client)


def act(sio, kind, **payload):
    reply = sio.emit("act", {"type": kind, "payload": payload}, namespace=NAMESPACE, callback=True)
    return reply


def ok(reply):
    assert reply["ok"], reply
    return reply


def sync(sio):
    return sio.emit("sync", namespace=NAMESPACE, callback=True)["view"]


def test_players_on_their_seats_play_and_the_projector_counts_who_is_left(
    app, host, contest, connect
):
    bell = contest.parts[4]
    code = devices.player_code(contest)
    phones = {seat: connect(contest, devices.seat_for_player(code, seat)) for seat in (3, 7, 12)}
    assert devices.seat_for_player(code, 21) is None  # the part has 20 seats
    ok(act(host, "part.start", part=bell.id))
    question = bell.questions[0].id
    ok(act(host, "question.show", question=question))
    ok(act(host, "answers.open"))
    assert sync(phones[3])["question"]["options"][1]["text"] == "2016"
    ok(act(phones[3], "answer.submit", question=question, response=1))
    ok(act(phones[7], "answer.submit", question=question, response=0))
    changed = act(phones[7], "answer.submit", question=question, response=1, seat=12)
    assert changed["ok"]  # it changes seat 7's own answer: the seat comes from the phone
    ok(act(host, "reveal"))
    players = sync(host)["players"]
    assert players["left"] == 2 and players["total"] == 3
    assert sync(phones[12])["me"] == {"seat": 12, "state": "out", "answer": None}
    assert sync(phones[3])["me"]["state"] == "alive"


def test_a_team_pad_places_its_star_and_another_steals(app, host, contest, connect):
    packages = contest.parts[3]
    pads = {
        team.id: connect(contest, devices.seat_for_code(team.join_code)) for team in contest.teams
    }
    a, b, _c = (team.id for team in contest.teams)
    ok(act(host, "part.start", part=packages.id))
    ok(act(host, "turn.start", team=a))
    ok(act(host, "package.pick", values=[10, 20, 30]))
    first = packages.questions[0].id
    ok(act(host, "question.show", question=first))
    assert sync(pads[a])["can_star"] is True and sync(pads[a])["status"] == "own"
    assert act(pads[b], "star.place", question=first)["error"] == "not_your_turn"
    ok(act(pads[a], "star.place", question=first))
    ok(act(host, "answer.mark", correct=False))
    assert sync(pads[b])["status"] == "steal"
    ok(act(pads[b], "buzz", question=first))
    ok(act(host, "steal.mark", correct=True))
    standings = {row["team"]: row["total"] for row in sync(host)["standings"]}
    assert standings[a] == -10 and standings[b] == 10
    assert sync(pads[b])["result"] == {"right": True, "points": 10}


def test_a_frozen_public_board_keeps_its_totals_while_the_host_sees_live_ones(
    app, host, contest, connect
):
    board = connect(contest, None, kind="scoreboard")
    team = contest.teams[0].id
    ok(act(host, "part.start", part=contest.parts[0].id))
    ok(act(host, "score.adjust", team=team, points=5, reason="Khởi động"))
    ok(act(host, "scoreboard.freeze"))
    ok(act(host, "score.adjust", team=team, points=20, reason="Phần cuối"))
    public = {row["team"]: row["total"] for row in sync(board)["standings"]}
    live = {row["team"]: row["total"] for row in sync(host)["standings"]}
    assert public[team] == 5 and live[team] == 25
    assert act(board, "scoreboard.unfreeze")["error"] == "forbidden"
    ok(act(host, "podium.next"))
    assert sync(host)["podium"]["shown"] == 1


def test_a_buzz_keeps_the_pads_press_time_but_never_its_claimed_latency(
    app, host, contest, connect
):
    buzzer = contest.parts[1]
    question = buzzer.questions[0].id
    pad = connect(contest, devices.seat_for_code(contest.teams[0].join_code))
    ok(act(host, "part.start", part=buzzer.id))
    ok(act(host, "question.show", question=question))
    ok(act(host, "buzzers.open"))
    ok(act(pad, "buzz", question=question, pressed_at=123.5, rtt=9.0))
    row = db.session.scalars(db.select(StageEvent).where(StageEvent.type == "buzz")).one()
    assert row.payload["pressed_at"] == 123.5 and "rtt" not in row.payload  # never measured here
    assert sync(host)["question"]["winner"] == contest.teams[0].id
