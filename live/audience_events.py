"""Audience phones on the /live namespace: their votes, and the live count the stage sees.

A vote is not an event of the show's log (live/votes.py keeps it, one per device and poll). The
host and the projector watch the count grow, but a hall voting at once must not mean a message
per tap: the count goes out at most every TALLY_EVERY_S per contest, from a background task that
reads the votes table when it fires, so what it sends already holds every vote that woke it. The
same message says how many audience phones are connected, instead of a presence message per
phone coming and going.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from contest.extensions import socketio
from live import events, service, votes
from live.messages import message

TALLY_EVERY_S = 0.5
VOTES_PER_S = 5  # a phone tapping faster than this is a script or a stuck finger

_guard = threading.Lock()


def _memory(app=None) -> dict:
    app = app or current_app
    return app.extensions.setdefault("live_audience", {"tally": {}, "taps": {}})


def _refuse(code: str) -> dict:
    texts = {
        "forbidden": _("Only an audience phone can vote."),
        "poll_closed": _("This poll is not open."),
        "bad_choice": _("That choice is not in this poll."),
        "too_fast": _("Too many taps at once. Wait a moment and try again."),
    }
    return {"ok": False, "error": code, "message": texts.get(code) or message(code)}


def _too_fast(sid: str) -> bool:
    now = time.monotonic()
    with _guard:
        taps = _memory()["taps"].setdefault(sid, deque())
        while taps and now - taps[0] >= 1.0:
            taps.popleft()
        if len(taps) >= VOTES_PER_S:
            return True
        taps.append(now)
        return False


def _number(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@socketio.on("vote", namespace=events.NAMESPACE)
def live_vote(data=None):
    """An audience phone's vote in the open poll; voting again changes the phone's choice."""
    connection = events._connections().get(request.sid)
    if connection is None:
        return _refuse("not_connected")
    if connection.role != "audience":
        return _refuse("forbidden")
    if _too_fast(request.sid):
        return _refuse("too_fast")
    poll = _number(data.get("poll")) if isinstance(data, dict) else None
    choice = _number(data.get("choice")) if isinstance(data, dict) else None
    if poll is None or choice is None:
        return _refuse("bad_request")
    stage = service.stage(connection.contest_id)
    if stage.state.poll_open != poll:
        return _refuse("poll_closed")
    if choice not in stage.state.polls[poll].choices:
        return _refuse("bad_choice")
    votes.cast(connection.contest_id, stage.run, poll, connection.subject_id, choice)
    send_tally_soon(connection.contest_id)
    return {"ok": True}


@socketio.on("tally", namespace=events.NAMESPACE)
def live_tally(_data=None):
    """The count as it stands now, for a console or projector that has just (re)connected."""
    connection = events._connections().get(request.sid)
    if connection is None:
        return _refuse("not_connected")
    if connection.role not in ("host", "projector"):
        return _refuse("forbidden")
    return {"ok": True, **tally_message(connection.contest_id)}


def tally_message(contest_id: int) -> dict:
    """`{poll, counts: {choice: n}, total, audience}`: the open poll's votes and phones online."""
    audience = sum(
        1
        for connection in events._connections().values()
        if connection.contest_id == contest_id and connection.role == "audience"
    )
    stage = service.stage(contest_id)
    seq = stage.state.poll_open
    if seq is None:
        return {"poll": None, "counts": {}, "total": 0, "audience": audience}
    counted = votes.tally(contest_id, stage.run, seq)
    counts = {str(choice): counted.get(choice, 0) for choice in stage.state.polls[seq].choices}
    return {"poll": seq, "counts": counts, "total": sum(counts.values()), "audience": audience}


def audience_changed(contest_id: int) -> None:
    """A phone came or went (called by events.py): the host learns it with the next tally."""
    with _guard:
        _memory()["taps"].pop(request.sid, None)
    send_tally_soon(contest_id)


def send_tally_soon(contest_id: int) -> None:
    """Send the tally to the host and the projector now, or when TALLY_EVERY_S has passed."""
    app = current_app._get_current_object()
    with _guard:
        entry = _memory(app)["tally"].setdefault(contest_id, {"due": False, "sent": 0.0})
        if entry["due"]:
            return  # a send is already on its way and will count this change too
        entry["due"] = True
        wait = max(0.0, entry["sent"] + TALLY_EVERY_S - time.monotonic())
        entry["task"] = socketio.start_background_task(_send_tally, app, contest_id, wait)


def _send_tally(app, contest_id: int, wait: float) -> None:
    if wait:
        socketio.sleep(wait)
    with _guard:
        # Cleared before the count is read: a vote from here on schedules the next send.
        entry = _memory(app)["tally"][contest_id]
        entry["due"], entry["sent"] = False, time.monotonic()
    with app.app_context():
        try:
            data = tally_message(contest_id)
        except LookupError:  # the contest was deleted meanwhile
            return
        except SQLAlchemyError as exc:  # the database is away: the next vote sends again
            app.logger.warning("audience tally not sent: %s", exc)
            return
    for role in ("host", "projector"):
        socketio.emit("tally", data, to=events.room(contest_id, role), namespace=events.NAMESPACE)
