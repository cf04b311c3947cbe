"""Running a show: append events to the log and keep each contest's folded state.

Each process keeps a contest's setup and folded state in memory and brings it up to date from
the log before every action (one query for the rows after the last one it saw), so a restarted
process, or a second process, ends up with the same state: the log is the truth. Appending
takes the contest's lock in this process; between processes the unique (contest, seq) does the
job — the loser of a race reloads and tries again on the new state.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contest.extensions import db
from live import devices, presenting, votes
from live.engine import (
    Event,
    JudgeSpec,
    PartSpec,
    QuestionSpec,
    Rejected,
    Setup,
    State,
    TeamSpec,
    apply,
    fold,
)
from live.models import (
    LIVE_RUN,
    StageContest,
    StageEvent,
)
from live.rules import part_rules

APPEND_TRIES = 5


@dataclass
class Stage:
    contest_id: int
    title: str
    setup: Setup
    run: str = LIVE_RUN
    state: State = field(default_factory=State)
    events: list[Event] = field(default_factory=list)


_locks_guard = threading.Lock()


def _memory() -> dict:
    """This app's cache of folded stages and their locks (one app per process in production)."""
    return current_app.extensions.setdefault("live_stages", {"stages": {}, "locks": {}})


def _stages() -> dict[int, Stage]:
    return _memory()["stages"]


def _lock(contest_id: int) -> threading.Lock:
    with _locks_guard:
        return _memory()["locks"].setdefault(contest_id, threading.Lock())


# ---- setup ---------------------------------------------------------------------------------------


def load_setup(contest: StageContest) -> Setup:
    """The contest as the engine reads it: plain values, the part rules filled in."""
    parts = []
    for part in contest.parts:
        rules = part_rules(part.format, part.settings)
        questions = tuple(
            QuestionSpec(
                id=q.id,
                content=q.content,
                points=q.points if q.points is not None else rules.get("points", 0),
                time_limit_s=q.time_limit_s or rules.get("time_limit_s", 30),
                notes=q.notes or "",
            )
            for q in part.questions
        )
        parts.append(PartSpec(part.id, part.title, part.format, rules, questions))
    settings = contest.settings or {}
    return Setup(
        teams=tuple(TeamSpec(t.id, t.name, t.colour) for t in contest.teams),
        judges=tuple(JudgeSpec(j.id, j.name) for j in contest.judges),
        parts=tuple(parts),
        tiebreak=settings.get("tiebreak", "none"),
        tiebreak_part_id=settings.get("tiebreak_part_id"),
        audience_bonus=float(settings.get("audience_bonus") or 0),
    )


def forget(contest_id: int) -> None:
    """Drop the cached state: the setup changed, or an append lost a race."""
    stages = _stages()
    for key in [key for key in stages if key[0] == contest_id]:
        stages.pop(key, None)


def _row_event(row: StageEvent) -> Event:
    return Event(row.seq, row.type, dict(row.payload or {}), row.actor, row.at.timestamp())


def current_run(contest_id: int) -> str:
    """The run the show is writing now (read each time: another process may have switched it)."""
    run = db.session.scalar(select(StageContest.current_run).where(StageContest.id == contest_id))
    if run is None:
        raise LookupError(contest_id)
    return run


def _refresh(contest_id: int, run: str | None = None) -> Stage:
    run = run or current_run(contest_id)
    current = _stages().get((contest_id, run))
    if current is None:
        contest = db.session.get(StageContest, contest_id)
        if contest is None:
            raise LookupError(contest_id)
        current = Stage(contest_id, contest.title, load_setup(contest), run)
        _stages()[(contest_id, run)] = current
    rows = db.session.scalars(
        select(StageEvent)
        .where(
            StageEvent.contest_id == contest_id,
            StageEvent.run == run,
            StageEvent.seq > current.state.seq,
        )
        .order_by(StageEvent.seq)
    ).all()
    new = [_row_event(row) for row in rows]
    current.events.extend(new)
    if any(event.type == "undo" for event in new) or not current.state.seq:
        current.state = fold(current.setup, current.events)
    else:
        for event in new:
            try:
                apply(current.setup, current.state, event)
            except Rejected as exc:
                current.state.ignored[event.seq] = exc.code
            current.state.seq = max(current.state.seq, event.seq)
    return current


def stage(contest_id: int, run: str | None = None) -> Stage:
    """The folded state of the run being written (or `run`), up to date with the log.

    LookupError if there's no such contest.
    """
    with _lock(contest_id):
        return _refresh(contest_id, run)


# ---- acting ------------------------------------------------------------------------------------


def _prepared(stage_: Stage, kind: str, payload: dict) -> dict:
    """A pad's answer in the form the checker reads; a poll's close with the votes counted."""
    if kind == "poll.close" and stage_.state.poll_open is not None:
        poll = stage_.state.poll_open
        counted = votes.tally(stage_.contest_id, stage_.run, poll)
        return {"tally": {str(choice): n for choice, n in sorted(counted.items())}}
    if kind == "part.start":
        part = stage_.setup.part(payload.get("part"))
        if part is not None and part.format == "elimination":
            # Who plays is who has a phone on a seat now; the log keeps the list.
            return {"part": part.id, "seats": devices.player_seats(stage_.contest_id)}
    if kind != "answer.submit":
        return payload
    found = stage_.setup.question(payload.get("question"))
    if found is None:
        raise Rejected("stale_question")
    try:
        response = presenting.to_stored(found[1], payload.get("response"))
    except ValueError as exc:
        raise Rejected("bad_response", str(exc)) from None
    return {"question": found[1].id, "response": response}


def perform(contest_id: int, actor: str, kind: str, payload: dict | None = None) -> Stage:
    """Append one event if it fits the current state; raise Rejected if it doesn't."""
    payload = dict(payload or {})
    for _ in range(APPEND_TRIES):
        with _lock(contest_id):
            current = _refresh(contest_id)
            clean = _prepared(current, kind, payload)
            now = datetime.now(UTC)
            event = Event(current.state.seq + 1, kind, clean, actor, now.timestamp())
            apply(current.setup, current.state, event)  # raises before changing anything
            db.session.add(
                StageEvent(
                    contest_id=contest_id,
                    run=current.run,
                    seq=event.seq,
                    type=kind,
                    payload=clean,
                    actor=actor,
                    at=now,
                )
            )
            try:
                db.session.commit()
            except IntegrityError:
                # Another process appended this number first: start again from the log.
                db.session.rollback()
                forget(contest_id)
                continue
            current.events.append(event)
            if kind == "undo":
                current.state = fold(current.setup, current.events)
            return current
    raise Rejected("busy", "too many simultaneous actions; try again")


def payload_text(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def event_rows(contest_id: int) -> list[StageEvent]:
    """Every run's log, the live run first, each in order: the audit export."""
    return db.session.scalars(
        select(StageEvent)
        .where(StageEvent.contest_id == contest_id)
        .order_by(StageEvent.run != LIVE_RUN, StageEvent.run, StageEvent.seq)
    ).all()
