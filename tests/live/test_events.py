"""Socket.IO on the stage: who may connect, who may act as whom, and what each screen receives."""

from __future__ import annotations

import json

import pytest

from contest.accounts.roles import Role
from contest.extensions import socketio
from live import devices
from live.events import COOKIE_PREFIX, NAMESPACE
from tests.live.factory import make_contest
from tests.live.sockets import socket_clients


@pytest.fixture
def contest(app):
    return make_contest()


@pytest.fixture
def connect(app):
    """A Socket.IO client with its own browser: as host, device (a team's or judge's seat) or
    scoreboard."""
    with socket_clients(app) as open_client:

        def open_for(contest, kind, seat=None, browser=None):
            bound = devices.seat_for_code(seat.join_code) if seat is not None else None
            return open_client(contest, kind, bound, browser)

        yield open_for


@pytest.fixture
def host(app, client, login_as, contest, connect):
    login_as(Role.HOST, username="dan")
    return connect(contest, "host", browser=client)


def act(sio, kind, **payload):
    return sio.emit("act", {"type": kind, "payload": payload}, namespace=NAMESPACE, callback=True)


def sync(sio):
    return sio.emit("sync", namespace=NAMESPACE, callback=True)


def views(sio) -> list[dict]:
    return [m["args"][0]["view"] for m in sio.get_received(NAMESPACE) if m["name"] == "state"]


def ok(reply):
    assert reply["ok"], reply
    return reply


# ---- connecting --------------------------------------------------------------------------------


def test_a_device_without_a_seat_token_is_refused(app, contest, connect):
    assert not connect(contest, "device").is_connected(NAMESPACE)


def test_the_host_console_needs_a_host_account(app, client, login_as, contest, connect):
    assert not connect(contest, "host").is_connected(NAMESPACE)  # anonymous
    login_as(Role.JUDGE, username="gk")
    assert not connect(contest, "host", browser=client).is_connected(NAMESPACE)


def test_anyone_may_watch_the_scoreboard_but_nobody_acts_from_it(app, contest, connect):
    board = connect(contest, "scoreboard")
    assert board.is_connected(NAMESPACE)
    assert act(board, "part.start", part=contest.parts[0].id)["error"] == "forbidden"


def test_an_unknown_contest_is_refused(app, contest):
    sio = socketio.test_client(
        app, namespace=NAMESPACE, auth={"contest": 99_999, "as": "scoreboard"}
    )
    assert not sio.is_connected(NAMESPACE)


# ---- who may act as whom -----------------------------------------------------------------------


def test_a_pad_answers_only_for_its_own_team(app, host, contest, connect):
    team_a, team_b = contest.teams[0], contest.teams[1]
    pad = connect(contest, "device", seat=team_a)
    question = contest.parts[0].questions[0]
    ok(act(host, "part.start", part=contest.parts[0].id))
    ok(act(host, "question.show", question=question.id))
    ok(act(host, "answers.open"))
    ok(act(pad, "answer.submit", question=question.id, response=1, team=team_b.id))
    answers = {row["team"]: row["answer"] for row in sync(host)["view"]["question"]["answers"]}
    assert answers[team_a.id] == "B" and answers[team_b.id] == ""


def test_a_pad_cannot_run_the_show(app, host, contest, connect):
    pad = connect(contest, "device", seat=contest.teams[0])
    for kind, payload in [
        ("part.start", {"part": contest.parts[1].id}),
        ("buzzers.open", {}),
        ("score.adjust", {"team": contest.teams[0].id, "points": 100, "reason": "tự thưởng"}),
    ]:
        reply = act(pad, kind, **payload)
        assert reply["error"] == "forbidden", kind
    assert sync(host)["view"]["part"] is None


def test_the_projector_cannot_act(app, contest, connect):
    projector = connect(contest, "device", seat=None, browser=None)
    assert not projector.is_connected(NAMESPACE)  # no token yet
    browser = app.test_client()
    token = devices.bind_device(devices.seat_for_code(contest.projector_code))
    browser.set_cookie(f"{COOKIE_PREFIX}{contest.id}", token)
    projector = connect(contest, "device", browser=browser)
    assert projector.is_connected(NAMESPACE)
    assert act(projector, "part.start", part=contest.parts[0].id)["error"] == "forbidden"


def test_a_judge_scores_only_as_themselves(app, host, contest, connect):
    judged = contest.parts[2]
    team = contest.teams[0]
    judge_1, judge_2 = contest.judges[0], contest.judges[1]
    pad = connect(contest, "device", seat=judge_1)
    ok(act(host, "part.start", part=judged.id))
    ok(act(host, "stage.team", team=team.id))
    ok(act(pad, "score.submit", part=judged.id, team=team.id, marks=[5, 3], judge=judge_2.id))
    sheet = sync(host)["view"]["sheets"][0]
    assert sheet["marks"] == {str(judge_1.id): [5.0, 3.0]}


def test_a_secretary_watches_the_console_but_cannot_act(app, client, login_as, contest, connect):
    login_as(Role.SECRETARY, username="thuky")
    console = connect(contest, "host", browser=client)
    assert console.is_connected(NAMESPACE)
    assert act(console, "part.start", part=contest.parts[0].id)["error"] == "forbidden"


def test_a_refusal_says_why_in_vietnamese(app, host, contest):
    reply = act(host, "answers.open")
    assert reply == {"ok": False, "error": "no_part", "message": "Hãy bắt đầu một phần thi trước."}


# ---- what each screen receives -----------------------------------------------------------------


def _holds_an_answer(view) -> bool:
    text = json.dumps(view, ensure_ascii=False)
    return any(key in text for key in ('"correct"', '"correct_text"', '"explanation_html"'))


def test_pads_and_the_projector_get_no_answer_before_the_reveal(app, host, contest, connect):
    question = contest.parts[0].questions[0]
    pad = connect(contest, "device", seat=contest.teams[0])
    browser = app.test_client()
    token = devices.bind_device(devices.seat_for_code(contest.projector_code))
    browser.set_cookie(f"{COOKIE_PREFIX}{contest.id}", token)
    projector = connect(contest, "device", browser=browser)
    board = connect(contest, "scoreboard")
    ok(act(host, "part.start", part=contest.parts[0].id))
    ok(act(host, "question.show", question=question.id))
    ok(act(host, "answers.open"))
    ok(act(pad, "answer.submit", question=question.id, response=1))
    ok(act(host, "answers.close"))
    before = views(pad) + views(projector) + views(board) + [sync(pad)["view"]]
    assert before and not any(_holds_an_answer(v) for v in before)

    ok(act(host, "reveal"))
    pad_view, screen_view = views(pad)[-1], views(projector)[-1]
    assert pad_view["status"] == "result" and pad_view["result"]["points"] == 10
    assert screen_view["question"]["correct_text"] == "B. 2016"
    assert views(board)[-1]["standings"][0]["total"] == 10


def test_every_broadcast_carries_the_logs_sequence_number(app, host, contest, connect):
    board = connect(contest, "scoreboard")
    for part in contest.parts:
        ok(act(host, "part.start", part=part.id))
    assert [v["seq"] for v in views(board)] == [1, 2, 3]


def test_judges_see_each_others_marks_only_once_published(app, host, contest, connect):
    judged, team = contest.parts[2], contest.teams[0]
    first = connect(contest, "device", seat=contest.judges[0])
    second = connect(contest, "device", seat=contest.judges[1])
    ok(act(host, "part.start", part=judged.id))
    ok(act(host, "stage.team", team=team.id))
    ok(act(first, "score.submit", part=judged.id, team=team.id, marks=[6, 4]))
    ok(act(second, "score.submit", part=judged.id, team=team.id, marks=[4, 2]))
    sheet = sync(second)["view"]["sheets"][0]
    assert sheet["mine"] == [4.0, 2.0] and "all" not in sheet and "score" not in sheet
    ok(act(host, "scoring.close", team=team.id))
    ok(act(host, "scores.publish", team=team.id))
    sheet = sync(second)["view"]["sheets"][0]
    assert sheet["score"] == 8.0 and len(sheet["all"]) == 2


def test_a_screen_that_connects_late_gets_the_current_scene(app, host, contest, connect):
    ok(act(host, "part.start", part=contest.parts[1].id))
    ok(act(host, "question.show", question=contest.parts[1].questions[0].id))
    ok(act(host, "buzzers.open"))
    pad = connect(contest, "device", seat=contest.teams[2])
    view = sync(pad)["view"]
    assert view["seq"] == 3 and view["status"] == "buzz" and view["buzzers_open"] is True


def test_the_host_sees_which_devices_are_connected(app, host, contest, connect):
    connect(contest, "device", seat=contest.teams[1])
    presence = [m["args"][0] for m in host.get_received(NAMESPACE) if m["name"] == "presence"]
    devices = {(d["role"], d["subject"]): d["connected"] for d in presence[-1]["devices"]}
    assert devices[("team", contest.teams[1].id)] == 1
    assert devices[("team", contest.teams[0].id)] == 0


def test_the_clock_gives_the_servers_time(app, contest, connect):
    import time

    board = connect(contest, "scoreboard")
    before = time.time()
    reply = board.emit("clock", namespace=NAMESPACE, callback=True)
    assert before <= reply["server_time"] <= time.time()


def test_the_log_cannot_be_edited_only_appended(app, host, contest):
    from contest.extensions import db
    from live.models import EventIsImmutable, StageEvent

    ok(act(host, "part.start", part=contest.parts[0].id))
    row = db.session.scalars(db.select(StageEvent)).one()
    row.payload = {"part": contest.parts[1].id}
    with pytest.raises(EventIsImmutable):
        db.session.commit()
    db.session.rollback()
