"""Socket.IO for the live stage: namespace /live (protocol in docs/live.md).

Who a connection is gets decided once, at connect: a signed-in host, a device bound to a seat by
its cookie token, or an anonymous scoreboard. Every action's actor is then taken from the
connection, never from what the client sends, so a pad can only ever act as its own team, and
the engine refuses any event that is not for that kind of actor. After each appended event every
room receives its own role's view, with the log's sequence number.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from contest.accounts.roles import Role
from contest.extensions import db, socketio
from live import devices, latency, service, views
from live.engine import Rejected
from live.messages import message
from live.models import LIVE_RUN, DeviceRole, StageContest

NAMESPACE = "/live"
COOKIE_PREFIX = "hoithi_stage_"


@dataclass(frozen=True)
class Connection:
    contest_id: int
    role: str  # "host", "team", "judge", "projector", "scoreboard"
    subject_id: int | None  # team, judge or user id
    name: str
    can_act: bool

    @property
    def room(self) -> str:
        return room(self.contest_id, self.role, self.subject_id)

    @property
    def actor(self) -> str | None:
        if not self.can_act:
            return None
        return f"{self.role}:{self.subject_id}"


def room(contest_id: int, role: str, subject_id: int | None = None) -> str:
    """Team and judge pads get views of their own; every other role shares one room."""
    if role in ("team", "judge"):
        return f"live-{contest_id}-{role}-{subject_id}"
    return f"live-{contest_id}-{role}"


def _connections() -> dict[str, Connection]:
    return current_app.extensions.setdefault("live_connections", {})


def _contest_id(auth) -> int | None:
    value = auth.get("contest") if isinstance(auth, dict) else None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _identify(auth) -> Connection | None:
    contest_id = _contest_id(auth)
    if contest_id is None:
        return None
    if db.session.get(StageContest, contest_id) is None:
        return None
    kind = auth.get("as")
    if kind == "host":
        if not current_user.is_authenticated or not current_user.has_role(
            Role.HOST, Role.SECRETARY
        ):
            return None
        can_act = current_user.has_role(Role.HOST)
        return Connection(contest_id, "host", current_user.id, current_user.full_name, can_act)
    if kind == "scoreboard":
        return Connection(contest_id, "scoreboard", None, "", False)
    if kind == "device":
        seat = devices.device_seat(contest_id, request.cookies.get(f"{COOKIE_PREFIX}{contest_id}"))
        if seat is None:
            return None
        if seat.role is DeviceRole.AUDIENCE:  # votes through its own event, never acts
            return Connection(contest_id, "audience", seat.device_id, "", False)
        can_act = seat.role in (DeviceRole.TEAM, DeviceRole.JUDGE, DeviceRole.PLAYER)
        return Connection(contest_id, seat.role.value, seat.subject_id, seat.name, can_act)
    return None


def view_for(stage: service.Stage, connection: Connection) -> dict:
    setup, state = stage.setup, stage.state
    if connection.role == "host":
        view = views.host_view(setup, state)
    elif connection.role == "team":
        view = views.team_view(setup, state, connection.subject_id)
    elif connection.role == "judge":
        view = views.judge_view(setup, state, connection.subject_id)
    elif connection.role == "projector":
        view = views.projector_view(setup, state)
    elif connection.role == "audience":
        view = views.audience_view(setup, state)
    elif connection.role == "player":  # one shared view for the room; a phone's own on sync
        view = views.player_view(setup, state, connection.subject_id)
    else:
        view = views.scoreboard_view(setup, state)
    view["title"] = stage.title
    view["rehearsal"] = stage.run != LIVE_RUN
    return view


def broadcast(stage: service.Stage) -> None:
    """Send every room of the contest its own role's view of the new state."""
    now = time.time()
    setup, cid = stage.setup, stage.contest_id
    audiences = [Connection(cid, role, None, "", False) for role in ("host", "projector")]
    audiences.append(Connection(cid, "scoreboard", None, "", False))
    audiences.append(Connection(cid, "audience", None, "", False))
    audiences.append(Connection(cid, "player", None, "", False))
    audiences += [Connection(cid, "team", team.id, "", False) for team in setup.teams]
    audiences += [Connection(cid, "judge", judge.id, "", False) for judge in setup.judges]
    for audience in audiences:
        data = {"view": view_for(stage, audience), "server_time": now}
        socketio.emit("state", data, to=audience.room, namespace=NAMESPACE)


def presence(contest_id: int) -> list[dict]:
    """Each seat of the contest and how many of its devices are connected to this process."""
    stage = service.stage(contest_id)
    counts: dict[tuple[str, int | None], int] = {}
    round_trips: dict[tuple[str, int | None], float] = {}
    for sid, connection in _connections().items():
        if connection.contest_id == contest_id:
            key = (connection.role, connection.subject_id)
            counts[key] = counts.get(key, 0) + 1
            measured = latency.round_trip(sid)
            if measured is not None:  # the best-connected pad of the seat
                round_trips[key] = min(measured, round_trips.get(key, measured))
    seats = [("projector", None, stage.title)]
    seats += [("team", team.id, team.name) for team in stage.setup.teams]
    seats += [("judge", judge.id, judge.name) for judge in stage.setup.judges]
    return [
        {
            "role": role,
            "subject": subject,
            "name": name,
            "connected": counts.get((role, subject), 0),
            "rtt_ms": round(round_trips[(role, subject)] * 1000)
            if (role, subject) in round_trips
            else None,
        }
        for role, subject, name in seats
    ]


def _tell_host(contest_id: int) -> None:
    data = {"devices": presence(contest_id)}
    socketio.emit("presence", data, to=room(contest_id, "host"), namespace=NAMESPACE)


def _seat_moved(connection: Connection) -> None:
    if connection.role == "audience":
        # A hall of phones: no presence message each; the throttled tally carries their count.
        from live import audience_events  # imports this module

        audience_events.audience_changed(connection.contest_id)
    else:
        _tell_host(connection.contest_id)


@socketio.on("connect", namespace=NAMESPACE)
def live_connect(auth=None):
    """Decide who this connection is, once; refuse anyone who is nobody."""
    connection = _identify(auth)
    if connection is None:
        raise ConnectionRefusedError("unauthorized")
    _connections()[request.sid] = connection
    join_room(connection.room)
    if connection.role == "team":
        latency.probe(request.sid, NAMESPACE)
    _seat_moved(connection)


@socketio.on("disconnect", namespace=NAMESPACE)
def live_disconnect(*_args):
    """Forget the connection and tell the host which device went away."""
    latency.forget(request.sid)
    connection = _connections().pop(request.sid, None)
    if connection is not None:
        _seat_moved(connection)


@socketio.on("sync", namespace=NAMESPACE)
def live_sync(_data=None):
    """The role's current view: sent after every (re)connect, so a device picks up where it was."""
    connection = _connections().get(request.sid)
    if connection is None:
        return {"ok": False, "error": "not_connected", "message": message("not_connected")}
    reply = {"ok": True, "view": view_for(service.stage(connection.contest_id), connection)}
    if connection.role == "host":
        reply["devices"] = presence(connection.contest_id)
    reply["server_time"] = time.time()
    return reply


@socketio.on("act", namespace=NAMESPACE)
def live_act(data=None):
    """Append one event as this connection's actor, then send everyone the new state."""
    connection = _connections().get(request.sid)
    if connection is None:
        return {"ok": False, "error": "not_connected", "message": message("not_connected")}
    if connection.actor is None:
        return {"ok": False, "error": "forbidden", "message": message("forbidden")}
    kind = data.get("type") if isinstance(data, dict) else None
    payload = data.get("payload", {}) if isinstance(data, dict) else None
    if not isinstance(kind, str) or not isinstance(payload, dict):
        return {"ok": False, "error": "bad_request", "message": message("bad_request")}
    payload = latency.stamped(request.sid, kind, payload)
    try:
        stage = service.perform(connection.contest_id, connection.actor, kind, payload)
    except Rejected as exc:
        return {"ok": False, "error": exc.code, "message": message(exc.code)}
    broadcast(stage)
    if kind == "buzzers.open":  # fresh round trips for the pads about to race
        for sid, other in list(_connections().items()):
            if other.contest_id == connection.contest_id and other.role == "team":
                latency.probe(sid, NAMESPACE)
    return {"ok": True, "seq": stage.state.seq}


@socketio.on("clock", namespace=NAMESPACE)
def live_clock(_data=None):
    """The server's time, for the screen's clock offset (median of a few round trips)."""
    return {"server_time": time.time()}
