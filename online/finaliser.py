"""Finalising attempts nobody submitted: when the deadline plus grace passes, the server submits.

A participant may close the phone and never come back; the attempt is then submitted by the
server, with what was saved. Three things run it, and any number of them may run at once in any
number of processes, because `taking.submit` is a conditional update only one of them wins:

- lazily, whenever an attempt or its round is read (`finalise_if_overdue`, `finalise_round`);
- `flask --app contest online finalise` (online/cli.py), e.g. from cron;
- a loop every INTERVAL_S seconds in each serving process (`start_loop`), started on the
  process's first request unless ONLINE_FINALISER is off or the app is testing. The same loop
  rebuilds the leaderboards that are due (online/boards.py).
"""

from __future__ import annotations

import os
import threading
from datetime import datetime

from flask import Flask
from sqlalchemy import select

from contest.database import utcnow
from contest.extensions import db, socketio
from online import boards, taking
from online.models import Attempt, Round

INTERVAL_S = 5


def _overdue_ids(now: datetime, round_id: int | None = None) -> list[int]:
    # Past the deadline in SQL (an index on submitted_at narrows it), past the grace in Python:
    # the grace is per round and adding seconds to a time is spelled differently per database.
    statement = (
        select(Attempt.id, Attempt.deadline, Round.grace_s)
        .join(Round, Round.id == Attempt.round_id)
        .where(Attempt.submitted_at.is_(None), Attempt.deadline < now)
        .order_by(Attempt.deadline)
    )
    if round_id is not None:
        statement = statement.where(Attempt.round_id == round_id)
    return [
        attempt_id
        for attempt_id, deadline, grace_s in db.session.execute(statement)
        if now > deadline + taking.grace_period(grace_s)
    ]


def _finalise(ids: list[int], now: datetime) -> int:
    done = 0
    for attempt_id in ids:
        attempt = db.session.get(Attempt, attempt_id)
        if attempt is not None and taking.submit(attempt, now, by=taking.SERVER):
            done += 1
        db.session.commit()  # one attempt at a time: a failure later loses nothing done
    return done


def finalise_overdue(now: datetime) -> int:
    """Submit every attempt past its deadline plus grace; returns how many this call submitted."""
    return _finalise(_overdue_ids(now), now)


def finalise_round(round_id: int, now: datetime) -> int:
    """The same for one round: call it before reading a round's results or standings."""
    return _finalise(_overdue_ids(now, round_id), now)


def finalise_if_overdue(attempt: Attempt, now: datetime) -> bool:
    """Submit this attempt if its time is up (and commit); True if this call submitted it."""
    if not taking.overdue(attempt, now):
        return False
    done = taking.submit(attempt, now, by=taking.SERVER)
    db.session.commit()
    return done


# ---- the loop in each serving process -----------------------------------------------------------

_lock = threading.Lock()
_started_in: int | None = None  # the process id the loop runs in (a fork must start its own)


def start_loop(app: Flask) -> bool:
    """Start the finalising loop in this process, once; False if off, testing or running."""
    global _started_in
    if app.config.get("TESTING") or not app.config.get("ONLINE_FINALISER", True):
        return False
    with _lock:
        if _started_in == os.getpid():
            return False
        _started_in = os.getpid()
    socketio.start_background_task(_loop, app)
    return True


def _loop(app: Flask) -> None:
    while True:
        socketio.sleep(INTERVAL_S)
        with app.app_context():
            try:
                finalise_overdue(utcnow())
                boards.refresh_due(utcnow())
            except Exception:  # noqa: BLE001 - a database hiccup must not end the loop
                db.session.rollback()
                app.logger.exception("finalising overdue online attempts failed")
            finally:
                db.session.remove()
