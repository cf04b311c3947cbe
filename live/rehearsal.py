"""Rehearsals ("Tổng duyệt"): the show run from the same setup into a log of its own.

A rehearsal writes its events under run "rehearsal-N" and the live run's rows are never touched,
so results (which read only the live run) can't pick up a rehearsal's answers or scores, and
returning to the live run finds it exactly as it was. Switching is one column on the contest
(`StageContest.current_run`, read by every action); then every connected screen is told to
fetch its whole view again, since the new run's numbers may be lower than the old one's.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from contest.extensions import db, socketio
from live import events, service
from live.models import LIVE_RUN, StageContest, StageEvent

PREFIX = "rehearsal-"
RUN_NUMBER = re.compile(r"^rehearsal-(\d+)$")


def is_rehearsal(run: str | None) -> bool:
    return bool(run) and run != LIVE_RUN


def rehearsal_runs(contest_id: int) -> list[str]:
    """The rehearsal runs that wrote anything to the log, in the order they were numbered."""
    runs = db.session.scalars(
        select(StageEvent.run)
        .where(StageEvent.contest_id == contest_id, StageEvent.run != LIVE_RUN)
        .distinct()
    ).all()
    return sorted(runs, key=_number)


def _number(run: str) -> int:
    found = RUN_NUMBER.match(run or "")
    return int(found.group(1)) if found else 0


def _next_run(contest: StageContest) -> str:
    """One more than the rehearsals so far, and than the current one (which may have no events)."""
    runs = rehearsal_runs(contest.id)
    highest = max([len(runs), *(_number(run) for run in runs), _number(contest.current_run)])
    return f"{PREFIX}{highest + 1}"


def start(contest: StageContest) -> str:
    """Switch the show to a new, empty rehearsal run; every screen re-syncs. Returns its name."""
    run = _next_run(contest)
    _switch(contest, run)
    return run


def stop(contest: StageContest) -> None:
    """Back to the live run, as it was before the rehearsal; every screen re-syncs."""
    _switch(contest, LIVE_RUN)


def _switch(contest: StageContest, run: str) -> None:
    contest.current_run = run
    db.session.commit()
    service.forget(contest.id)
    resync(contest)


def rooms(contest: StageContest) -> list[str]:
    """Every Socket.IO room of the contest: shared screens, each team's and judge's pads."""
    cid = contest.id
    names = [events.room(cid, role) for role in ("host", "projector", "scoreboard", "audience")]
    names.append(events.room(cid, "player"))
    names += [events.room(cid, "team", team.id) for team in contest.teams]
    names += [events.room(cid, "judge", judge.id) for judge in contest.judges]
    return names


def resync(contest: StageContest) -> None:
    """Tell every connected screen to ask for its whole view again (client.js `sync`)."""
    for name in rooms(contest):
        socketio.emit("resync", {}, to=name, namespace=events.NAMESPACE)
