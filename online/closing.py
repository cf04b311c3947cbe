"""Closing a round: the real figure fixed, the questions' figures written back to the bank.

A round is closed once its closing time has passed and every attempt in it is submitted (the
server finalises the abandoned ones first; those still inside their grace period make the
organiser wait a few seconds). Closing is a conditional update, so two organisers pressing the
button at once close it once; closing an already closed round changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from contest.extensions import db
from online import boards, stats_service
from online.models import Attempt, Round
from online.standings import measured_figure
from online.taking import grace
from questions.usage import record_statistics


class CloseRefused(Exception):
    """The round can't be closed yet; `code` for tests, the message for the organiser."""

    def __init__(self, code: str, message: str, until: datetime | None = None) -> None:
        self.code = code
        self.until = until
        super().__init__(message)


@dataclass(frozen=True)
class Closed:
    actual: int | None
    closed_at: datetime
    questions: int  # versions whose figures were written to the bank
    already: bool  # the round was closed before this call


def _finalise(round_: Round, now: datetime) -> None:
    try:
        from online import finaliser
    except ImportError:  # the finaliser is optional: without it, unfinished attempts just wait
        return
    finaliser.finalise_round(round_.id, now)


def close_round(round_: Round, now: datetime) -> Closed:
    """Close the round: fix `actual`, set `closed_at`, write each question's figures to the bank.

    Raises CloseRefused before the closing time, or while an attempt is still running. The caller
    commits.
    """
    if round_.closed_at is not None:
        return Closed(round_.actual, round_.closed_at, 0, already=True)
    if now < round_.closes_at:
        raise CloseRefused(
            "not_over", _("The round is still open: it can be closed after it ends.")
        )
    _finalise(round_, now)
    running = db.session.execute(
        select(func.count(), func.max(Attempt.deadline)).where(
            Attempt.round_id == round_.id, Attempt.submitted_at.is_(None)
        )
    ).one()
    if running[0]:
        until = running[1] + grace(round_)
        raise CloseRefused(
            "running",
            _(
                "%(n)d attempts are still inside their grace period; try again in a minute.",
                n=running[0],
            ),
            until,
        )
    actual = measured_figure(round_)
    claimed = db.session.execute(
        update(Round)
        .where(Round.id == round_.id, Round.closed_at.is_(None))
        .values(closed_at=now, actual=actual)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(round_)
    if claimed.rowcount != 1:
        return Closed(round_.actual, round_.closed_at, 0, already=True)
    boards.mark_stale(round_.id)  # the figure is final now
    written = write_statistics(round_)
    return Closed(actual, now, written, already=False)


def write_statistics(round_: Round) -> int:
    """Each drawn version's figures, as `round:<id>` in the bank.

    "Answered" there is every submitted attempt the version was drawn into: a question left
    blank in a finished attempt counts as answered wrongly (see online/stats_service.py).
    """
    figures = stats_service.question_figures(round_)
    for item in figures:
        record_statistics(
            item.version, f"round:{round_.id}", item.asked, item.correct, item.discrimination
        )
    return len(figures)
