"""Audience votes: one per device and poll (a second tap replaces the first), counted at close.

Votes live in their own table, not in the show's log: thousands of phones would bury it. The
host's close of a poll carries the tally counted here, so the log still says what the hall chose.
"""

from __future__ import annotations

from sqlalchemy import func, select

from contest.database import upsert_insert, utcnow
from contest.extensions import db
from live.models import StageVote


def cast(contest_id: int, run: str, poll: int, device_id: int, choice: int) -> None:
    """Record the device's choice; voting again changes it (an upsert: safe to repeat)."""
    values = {
        "contest_id": contest_id,
        "run": run,
        "poll": poll,
        "device_id": device_id,
        "choice": choice,
        "at": utcnow(),
    }
    statement = upsert_insert(StageVote.__table__, db.engine.dialect.name).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["contest_id", "run", "poll", "device_id"],
        set_={"choice": statement.excluded.choice, "at": statement.excluded.at},
    )
    db.session.execute(statement)
    db.session.commit()


def tally(contest_id: int, run: str, poll: int) -> dict[int, int]:
    """Votes per choice, as they stand."""
    rows = db.session.execute(
        select(StageVote.choice, func.count())
        .where(StageVote.contest_id == contest_id, StageVote.run == run, StageVote.poll == poll)
        .group_by(StageVote.choice)
    )
    return {choice: count for choice, count in rows}
