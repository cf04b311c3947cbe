"""A round's public leaderboard as a snapshot: ranked once in SQL, then read a page at a time.

A national round has a million entries. Ranking them in Python on every page view takes seconds,
so the ranking rule of online/ranking.py is also written as one SQL statement with window
functions, and its result is stored (RoundRank: one line per person, with the rank and the
position; RoundUnitTally: each unit's own figures). Pages then read 100 lines by position, one
line by participant, and a few thousand unit rows — all through primary keys.

When the snapshot is rebuilt:
- a submit, a disqualification, a reinstatement, a registration and closing the round mark it
  stale (`mark_stale`: an UPDATE that writes only when the board was fresh, so a busy round does
  not write the same row for every submit);
- a stale board is rebuilt by the serving process's background loop once ONLINE_BOARD_REFRESH_S
  seconds have passed since the last build (`refresh_due`), or at once when that setting is 0
  (`current`); closing a round rebuilds it at once, with the final figure;
- one process builds at a time: a build first claims the board with a conditional UPDATE
  (`_claim`), and a claim older than CLAIM_EXPIRES is taken over, in case its process died.

The SQL must rank exactly as `ranking.rank_round` does; tests compare the two on generated
rounds full of ties, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, delete, func, insert, literal, select, update

from contest.database import upsert_insert
from contest.extensions import db
from online import ranking, units_table
from online.models import (
    Attempt,
    Counted,
    Participant,
    Round,
    RoundBoard,
    RoundRank,
    RoundUnitTally,
)

CLAIM_EXPIRES = timedelta(minutes=10)
_RANK_COLUMNS = [
    "round_id",
    "position",
    "rank",
    "participant_id",
    "attempt_id",
    "attempts",
    "score",
    "prediction",
    "prediction_error",
    "time_taken_ms",
    "submitted_at",
]


def refresh_interval() -> int:
    return int(current_app.config.get("ONLINE_BOARD_REFRESH_S", 30))


# ---- marking -------------------------------------------------------------------------------------


def mark_stale(*round_ids: int) -> None:
    """Something these rounds' rankings read has changed. Part of the caller's transaction."""
    if round_ids:
        _mark(round_ids)


def mark_contest_stale(contest_id: int) -> None:
    """A registration changes every round's unit table (people registered per unit)."""
    _mark(select(Round.id).where(Round.contest_id == contest_id).scalar_subquery())


def _mark(round_ids) -> None:
    # Only fresh boards are written: a busy round does not rewrite its board for every submit.
    db.session.execute(
        update(RoundBoard)
        .where(RoundBoard.round_id.in_(round_ids), RoundBoard.stale.is_(False))
        .values(stale=True)
        .execution_options(synchronize_session=False)
    )


# ---- building ------------------------------------------------------------------------------------


def _ensure_row(round_id: int) -> None:
    statement = upsert_insert(RoundBoard.__table__, db.session.get_bind().dialect.name)
    db.session.execute(
        statement.values(
            round_id=round_id, stale=True, final=False, entries=0
        ).on_conflict_do_nothing(index_elements=["round_id"])
    )


def _claim(round_id: int, now: datetime) -> bool:
    """Take the right to build, and call the board fresh from here: a change committed while
    this build runs marks it stale again, so nothing waits for the build to finish."""
    _ensure_row(round_id)
    claimed = db.session.execute(
        update(RoundBoard)
        .where(
            RoundBoard.round_id == round_id,
            (RoundBoard.building_since.is_(None))
            | (RoundBoard.building_since < now - CLAIM_EXPIRES),
        )
        .values(building_since=now, stale=False)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def ranked_select(round_: Round, actual: int | None):
    """The round's ranking as one SELECT, in RoundRank's columns: the published rule in SQL.

    Each person's counted attempt is the first by the round's rule (ROW_NUMBER per person); the
    ranking orders those by score, prediction error (when there is a figure: any prediction
    before none), time taken, submission time. RANK() gives equal entries the same place.
    """
    score = func.coalesce(Attempt.score, 0.0)
    if round_.counted == Counted.FIRST.value:
        pick = [Attempt.submitted_at, Attempt.id]
    else:
        pick = [score.desc(), Attempt.submitted_at, Attempt.id]
    attempts = (
        select(
            Attempt.id.label("attempt_id"),
            Attempt.participant_id,
            score.label("score"),
            Attempt.prediction,
            func.coalesce(Attempt.time_taken_ms, 0).label("time_taken_ms"),
            Attempt.submitted_at,
            func.row_number().over(partition_by=Attempt.participant_id, order_by=pick).label("nth"),
            func.count().over(partition_by=Attempt.participant_id).label("attempts"),
        )
        .where(
            Attempt.round_id == round_.id,
            Attempt.submitted_at.is_not(None),
            Attempt.disqualified.is_(None),
        )
        .subquery()
    )
    if actual is None:
        error = literal(None, type_=db.Integer)
        closeness = []
    else:
        error = func.abs(attempts.c.prediction - actual)
        closeness = [
            case((attempts.c.prediction.is_(None), 1), else_=0),
            func.coalesce(error, 0),
        ]
    order = [
        attempts.c.score.desc(),
        *closeness,
        attempts.c.time_taken_ms,
        attempts.c.submitted_at,
    ]
    return select(
        literal(round_.id).label("round_id"),
        func.row_number().over(order_by=[*order, attempts.c.attempt_id]).label("position"),
        func.rank().over(order_by=order).label("rank"),
        attempts.c.participant_id,
        attempts.c.attempt_id,
        attempts.c.attempts,
        attempts.c.score,
        attempts.c.prediction,
        error.label("prediction_error"),
        attempts.c.time_taken_ms,
        attempts.c.submitted_at,
    ).where(attempts.c.nth == 1)


def _tally_select(round_: Round):
    """Each unit's own figures: people registered in it, and those with an entry in the round."""
    return (
        select(
            literal(round_.id).label("round_id"),
            Participant.unit_id,
            func.count(Participant.id).label("registered"),
            func.count(RoundRank.participant_id).label("participants"),
            func.coalesce(func.sum(RoundRank.attempts), 0).label("attempts"),
            func.coalesce(func.sum(RoundRank.score), 0.0).label("score_sum"),
            func.count(RoundRank.score).label("scored"),
        )
        .select_from(Participant)
        .outerjoin(
            RoundRank,
            and_(RoundRank.round_id == round_.id, RoundRank.participant_id == Participant.id),
        )
        .where(Participant.contest_id == round_.contest_id, Participant.unit_id.is_not(None))
        .group_by(Participant.unit_id)
    )


def build(round_: Round, now: datetime) -> bool:
    """Rebuild the round's snapshot and commit; False if another process is building it."""
    from online import standings  # standings reads boards too; import here, not at the top

    round_id, contest_id = round_.id, round_.contest_id
    if not _claim(round_id, now):
        return False
    try:
        round_ = db.session.get(Round, round_id)
        actual, final = standings.figure(round_)
        db.session.execute(delete(RoundRank).where(RoundRank.round_id == round_id))
        db.session.execute(delete(RoundUnitTally).where(RoundUnitTally.round_id == round_id))
        db.session.execute(
            insert(RoundRank).from_select(_RANK_COLUMNS, ranked_select(round_, actual))
        )
        tally = _tally_select(round_)
        db.session.execute(
            insert(RoundUnitTally).from_select([c.name for c in tally.selected_columns], tally)
        )
        entries = db.session.scalar(
            select(func.count()).select_from(RoundRank).where(RoundRank.round_id == round_id)
        )
        db.session.execute(
            update(RoundBoard)
            .where(RoundBoard.round_id == round_id)
            .values(built_at=now, building_since=None, actual=actual, final=final, entries=entries)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        db.session.execute(
            update(RoundBoard)
            .where(RoundBoard.round_id == round_id)
            .values(building_since=None, stale=True)
        )
        db.session.commit()
        current_app.logger.exception("building the board of online round %s failed", round_id)
        raise
    current_app.logger.info(
        "online round %s (contest %s): board built, %s entries", round_id, contest_id, entries
    )
    return True


@dataclass(frozen=True)
class Snapshot:
    """What a page says about the snapshot it reads: when, with which figure, how many lines."""

    built_at: datetime | None
    actual: int | None
    final: bool
    entries: int


def current(round_: Round, now: datetime) -> Snapshot:
    """The round's board as pages read it: built now if there is none yet, if the round was
    closed since, or if it is stale and boards refresh at once (ONLINE_BOARD_REFRESH_S = 0);
    else as the last build left it, however busy the round."""
    board = db.session.get(RoundBoard, round_.id, populate_existing=True)
    if (
        board is None
        or board.built_at is None
        or (round_.closed_at is not None and not board.final and board.stale)
        or (board.stale and refresh_interval() == 0)
    ):
        build(round_, now)
        board = db.session.get(RoundBoard, round_.id, populate_existing=True)
    if board is None or board.built_at is None:  # another process is building the first one
        return Snapshot(None, None, False, 0)
    return Snapshot(board.built_at, board.actual, board.final, board.entries)


def entry_pending(round_id: int, participant_id: int) -> bool:
    """Whether the person has an entry the snapshot does not show yet (submitted since)."""
    return (
        db.session.scalar(
            select(Attempt.id)
            .where(
                Attempt.round_id == round_id,
                Attempt.participant_id == participant_id,
                Attempt.submitted_at.is_not(None),
                Attempt.disqualified.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def refresh_due(now: datetime) -> int:
    """Rebuild every stale board whose refresh interval has passed; returns how many."""
    due = now - timedelta(seconds=refresh_interval())
    round_ids = db.session.scalars(
        select(RoundBoard.round_id).where(RoundBoard.stale.is_(True), RoundBoard.built_at <= due)
    ).all()
    built = 0
    for round_id in round_ids:
        round_ = db.session.get(Round, round_id)
        if round_ is not None and build(round_, now):
            built += 1
    return built


# ---- reading -------------------------------------------------------------------------------------


def _ranked(line: RoundRank) -> ranking.Ranked:
    entry = ranking.Entry(
        line.participant_id, line.score, line.prediction, line.time_taken_ms, line.submitted_at
    )
    return ranking.Ranked(line.rank, entry, line.prediction_error)


def top(round_id: int, size: int) -> list[ranking.Ranked]:
    """The first `size` lines, in the order of the ranking."""
    lines = db.session.scalars(
        select(RoundRank)
        .where(RoundRank.round_id == round_id, RoundRank.position <= size)
        .order_by(RoundRank.position)
    )
    return [_ranked(line) for line in lines]


def find(round_id: int, participant_id: int) -> ranking.Ranked | None:
    """One person's line, or None when they have no counted entry in the snapshot."""
    line = db.session.scalar(
        select(RoundRank).where(
            RoundRank.round_id == round_id, RoundRank.participant_id == participant_id
        )
    )
    return None if line is None else _ranked(line)


def scores(round_id: int, participant_ids: Sequence[int]) -> dict[int, float]:
    rows = db.session.execute(
        select(RoundRank.participant_id, RoundRank.score).where(
            RoundRank.round_id == round_id, RoundRank.participant_id.in_(list(participant_ids))
        )
    )
    return dict(rows.all())


def unit_rows(
    round_id: int, units: Sequence[units_table.Unit], winner_ids: set[int], depth: int
) -> list[units_table.TableRow]:
    """The unit table at `depth` from the snapshot's tallies, with the published winners."""
    winners: dict[int, int] = {}
    if winner_ids:
        winners = dict(
            db.session.execute(
                select(Participant.unit_id, func.count())
                .where(Participant.id.in_(list(winner_ids)), Participant.unit_id.is_not(None))
                .group_by(Participant.unit_id)
            ).all()
        )
    tallies = db.session.execute(
        select(
            RoundUnitTally.unit_id,
            RoundUnitTally.registered,
            RoundUnitTally.participants,
            RoundUnitTally.attempts,
            RoundUnitTally.score_sum,
            RoundUnitTally.scored,
        ).where(RoundUnitTally.round_id == round_id)
    )
    own = {
        unit_id: units_table.Totals(
            registered, participants, attempts, winners.get(unit_id, 0), score_sum, scored, None
        )
        for unit_id, registered, participants, attempts, score_sum, scored in tallies
    }
    for unit_id, count in winners.items():  # a winner whose unit had no tally line (moved since)
        own.setdefault(unit_id, units_table.Totals(0, 0, 0, count, 0.0, 0, None))
    return units_table.table_from_totals(units, own, depth)
