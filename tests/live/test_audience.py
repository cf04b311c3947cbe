"""The audience's phones: joining with the audience code, one vote per device, the live tally."""

from __future__ import annotations

import time

import pytest

from contest.accounts.roles import Role
from contest.extensions import db, socketio
from live import audience_events, devices, service
from live.events import COOKIE_PREFIX, NAMESPACE
from tests.live.factory import make_contest
from tests.live.sockets import socket_clients

WAIT_S = 5.0


@pytest.fixture
def contest(app):
    return make_contest()


@pytest.fixture
def connect(app):
    """A connected Socket.IO client with its own browser, bound to a seat by the code it joined."""
    with socket_clients(app) as open_client:

        def open_for(contest, kind="device", code=None, browser=None):
            seat = devices.seat_for_code(code) if code is not None else None
            sio = open_client(contest, kind, seat, browser)
            assert sio.is_connected(NAMESPACE)
            return sio

        yield open_for
    # The phones' goodbyes schedule one last tally: let it go out before the database is emptied.
    for entry in app.extensions.get("live_audience", {}).get("tally", {}).values():
        entry["task"].join(timeout=WAIT_S)


@pytest.fixture
def host(app, client, login_as, contest, connect):
    login_as(Role.HOST, username="dan")
    return connect(contest, "host", browser=client)


@pytest.fixture
def phone(contest, connect):
    """A new audience phone each call: its own device, its own vote."""
    return lambda: connect(contest, code=devices.audience_code(contest))


def act(sio, event, **payload):
    reply = sio.emit("act", {"type": event, "payload": payload}, namespace=NAMESPACE, callback=True)
    assert reply["ok"], reply
    return reply


def vote(sio, poll, choice):
    data = {"poll": poll, "choice": choice}
    return sio.emit("vote", data, namespace=NAMESPACE, callback=True)


def open_favourite(host) -> int:
    return act(host, "poll.open", kind="favourite")["seq"]


def tallies(sio, until) -> list[dict]:
    """Every `tally` the client receives until one satisfies `until` (or WAIT_S passes)."""
    seen: list[dict] = []
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        got = [m["args"][0] for m in sio.get_received(NAMESPACE) if m["name"] == "tally"]
        seen += got
        if any(until(message) for message in got):
            return seen
        socketio.sleep(0.01)  # the background sender runs meanwhile; we wait for its message
    raise AssertionError(f"no matching tally within {WAIT_S} s; got {seen}")


def projector_of(contest, connect):
    return connect(contest, code=contest.projector_code)


# ---- joining -----------------------------------------------------------------------------------


def test_the_audience_code_opens_the_audience_page(app, contest):
    browser = app.test_client()
    code = devices.audience_code(contest)
    response = browser.post_form("/stage/join", {"code": code.lower()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/stage/{contest.id}/audience")
    page = browser.get(f"/stage/{contest.id}/audience")
    assert page.status_code == 200 and 'id="audience-poll"' in page.get_data(as_text=True)


def test_the_audience_page_sends_other_devices_to_their_own_screen(app, contest):
    assert app.test_client().get(f"/stage/{contest.id}/audience").headers["Location"] == (
        "/stage/join"
    )
    browser = app.test_client()
    browser.set_cookie(
        f"{COOKIE_PREFIX}{contest.id}",
        devices.bind_device(devices.seat_for_code(contest.teams[0].join_code)),
    )
    response = browser.get(f"/stage/{contest.id}/audience")
    assert response.headers["Location"] == f"/stage/{contest.id}/pad"


def test_the_qr_code_is_public_and_holds_the_audience_join_link(app, contest):
    response = app.test_client().get(f"/stage/{contest.id}/audience-qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).startswith("<svg")
    assert contest.audience_code  # made on first use, then kept
    assert app.test_client().get("/stage/99999/audience-qr.svg").status_code == 404


# ---- voting ------------------------------------------------------------------------------------


def test_one_vote_per_device_a_second_tap_changes_the_choice(app, host, contest, phone):
    team_a, team_b = contest.teams[0].id, contest.teams[1].id
    poll = open_favourite(host)
    mine, other = phone(), phone()
    assert vote(mine, poll, team_a) == {"ok": True}
    assert vote(mine, poll, team_b) == {"ok": True}
    assert vote(other, poll, team_b) == {"ok": True}
    act(host, "poll.close")
    tally = service.stage(contest.id).state.polls[poll].tally
    assert tally == {team_b: 2}


def test_pads_the_projector_and_the_host_cannot_vote(app, host, contest, connect):
    poll = open_favourite(host)
    pad = connect(contest, code=contest.teams[0].join_code)
    judge = connect(contest, code=contest.judges[0].join_code)
    projector = projector_of(contest, connect)
    board = connect(contest, "scoreboard")
    for screen in (pad, judge, projector, board, host):
        reply = vote(screen, poll, contest.teams[0].id)
        assert reply["ok"] is False and reply["error"] == "forbidden"
    assert reply["message"] == "Chỉ điện thoại của khán giả mới bình chọn được."


def test_a_vote_counts_only_in_the_open_poll_and_for_one_of_its_choices(app, host, contest, phone):
    hall = phone()
    assert vote(hall, 1, contest.teams[0].id)["error"] == "poll_closed"  # nothing open yet
    poll = open_favourite(host)
    assert vote(hall, poll + 1, contest.teams[0].id)["error"] == "poll_closed"
    assert vote(hall, poll, 99_999)["error"] == "bad_choice"
    assert vote(hall, poll, True)["error"] == "bad_request"
    assert vote(hall, poll, "1")["error"] == "bad_request"
    act(host, "poll.close")
    assert vote(phone(), poll, contest.teams[0].id)["error"] == "poll_closed"
    assert service.stage(contest.id).state.polls[poll].tally == {}


def test_an_audience_question_takes_an_option_index(app, host, contest, phone):
    question = contest.parts[0].questions[0]  # single choice, options A–D
    poll = act(host, "poll.open", kind="question", question=question.id)["seq"]
    hall = phone()
    assert vote(hall, poll, 4)["error"] == "bad_choice"
    assert vote(hall, poll, 2) == {"ok": True}
    act(host, "poll.close")
    assert service.stage(contest.id).state.polls[poll].tally == {2: 1}


def test_a_phone_tapping_too_fast_is_refused_for_a_moment(app, host, contest, phone):
    poll = open_favourite(host)
    hall = phone()
    teams = [team.id for team in contest.teams]
    replies = [vote(hall, poll, teams[i % len(teams)]) for i in range(audience_events.VOTES_PER_S)]
    assert all(reply["ok"] for reply in replies)
    refused = vote(hall, poll, teams[0])
    assert refused["ok"] is False and refused["error"] == "too_fast"


# ---- the close, the bonus, the live tally ------------------------------------------------------


def test_the_close_writes_the_tally_in_the_log(app, host, contest, phone):
    team_a, team_c = contest.teams[0].id, contest.teams[2].id
    poll = open_favourite(host)
    for choice in (team_a, team_a, team_c):
        assert vote(phone(), poll, choice)["ok"]
    act(host, "poll.close")
    service.forget(contest.id)  # read back from the log alone, as after a restart
    stage = service.stage(contest.id)
    assert stage.state.poll_open is None
    assert stage.state.polls[poll].closed and stage.state.polls[poll].tally == {
        team_a: 2,
        team_c: 1,
    }
    assert stage.events[-1].type == "poll.close"
    assert stage.events[-1].payload == {"tally": {str(team_a): 2, str(team_c): 1}}


def test_the_favourite_team_gets_the_audience_bonus_on_the_hosts_standings(
    app, client, login_as, contest, connect, phone
):
    contest.settings = {"audience_bonus": 3}
    db.session.commit()
    service.forget(contest.id)
    login_as(Role.HOST, username="dan")
    host = connect(contest, "host", browser=client)
    team_b = contest.teams[1].id
    poll = open_favourite(host)
    for choice in (team_b, team_b, contest.teams[0].id):
        assert vote(phone(), poll, choice)["ok"]
    act(host, "poll.close")
    standings = host.emit("sync", namespace=NAMESPACE, callback=True)["view"]["standings"]
    totals = {row["team"]: row["total"] for row in standings}
    assert totals[team_b] == 3
    assert all(total == 0 for team, total in totals.items() if team != team_b)


def test_the_projector_and_the_host_get_the_live_tally_at_most_twice_a_second(
    app, host, contest, connect, phone
):
    projector = projector_of(contest, connect)
    poll = open_favourite(host)
    phones = [phone() for _ in range(12)]
    projector.get_received(NAMESPACE)
    started = time.monotonic()
    for i, hall in enumerate(phones):
        assert vote(hall, poll, contest.teams[i % 3].id)["ok"]
    seen = tallies(projector, until=lambda m: m["total"] == 12)
    elapsed = time.monotonic() - started
    assert seen[-1] == {
        "poll": poll,
        "counts": {str(team.id): 4 for team in contest.teams},
        "total": 12,
        "audience": 12,
    }
    assert len(seen) <= elapsed / audience_events.TALLY_EVERY_S + 2  # not one per vote
    tallies(host, until=lambda m: m["total"] == 12)


def test_phones_coming_and_going_reach_the_host_as_a_count_not_a_presence_each(
    app, host, contest, phone
):
    host.get_received(NAMESPACE)
    phones = [phone() for _ in range(3)]
    tallies(host, until=lambda m: m["audience"] == 3 and m["poll"] is None)
    phones[0].disconnect(namespace=NAMESPACE)
    seen = tallies(host, until=lambda m: m["audience"] == 2)
    assert seen
    presence = [m for m in host.get_received(NAMESPACE) if m["name"] == "presence"]
    assert presence == []


def test_a_console_that_reconnects_asks_for_the_count(app, host, contest, phone, connect):
    poll = open_favourite(host)
    assert vote(phone(), poll, contest.teams[0].id)["ok"]
    reply = host.emit("tally", namespace=NAMESPACE, callback=True)
    assert reply["ok"] and reply["poll"] == poll and reply["total"] == 1
    assert phone().emit("tally", namespace=NAMESPACE, callback=True)["error"] == "forbidden"
