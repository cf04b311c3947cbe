"""The answer save most of a round's traffic is: one INSERT, checked against an in-process plan.

Everyone saves 20 answers, all in the same hour, so this path is kept to one statement. What a
save must check that never changes after the start — the attempt's id, its deadline,
and for each position the question's type and the order its options were shown in — is read
once per attempt and process and kept (`_plans`, least recently used first out). What can change
— whether the attempt was submitted, the round's grace period — is checked by the write itself:

    INSERT INTO online_answer … SELECT … FROM online_attempt JOIN online_round …
        WHERE online_attempt.id = :attempt AND submitted_at IS NULL
          AND deadline = :deadline_kept AND grace_s >= :seconds_past_the_deadline
        FOR SHARE OF online_attempt
    ON CONFLICT (attempt_id, position) DO UPDATE …  RETURNING 1

On PostgreSQL the shared lock makes a submit wait for a save in progress (and score it), and a
save that comes after a submit finds no row and writes nothing. SQLite runs one write at a time.
A False from `save` leaves the rare cases (unknown, late or submitted attempts) to
`taking.save_answer`, which says why.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, bindparam, literal_column, select

from contest.database import upsert_insert
from contest.extensions import db
from online.attempt_view import shaped_to_stored, stored_order
from online.models import Answer, Attempt, AttemptQuestion, Round
from questions.models import QuestionVersion

PLANS_KEPT = 20_000  # attempts per process; about 2 kB each


@dataclass(frozen=True)
class Plan:
    """What checking a save needs of an attempt, none of which changes after the start (the
    deadline is set then; time limits and closing times changed later apply to new attempts)."""

    attempt_id: int
    deadline: datetime
    questions: dict[int, tuple[str, list[int]]]  # position → (type, stored index per shown)


class _Recent:
    """A small least-recently-used map; a lock because the development server uses threads."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_plans = _Recent(PLANS_KEPT)

_ATTEMPT, _ROUND = Attempt.__table__, Round.__table__
_ITEM, _VERSION = AttemptQuestion.__table__, QuestionVersion.__table__
_PLAN_READ = (
    select(
        _ATTEMPT.c.id,
        _ATTEMPT.c.deadline,
        _ITEM.c.position,
        _ITEM.c.shown_order,
        _VERSION.c.content,
    )
    .outerjoin(_ITEM, _ITEM.c.attempt_id == _ATTEMPT.c.id)
    .outerjoin(_VERSION, _VERSION.c.id == _ITEM.c.version_id)
    .where(_ATTEMPT.c.token == bindparam("token"))
)


def _shape(content: dict, shown_order: list | None) -> tuple[str, list[int]]:
    return content["type"], stored_order(content, shown_order)


def plan(token: str) -> Plan | None:
    """The attempt's plan, from memory or read once; None for a token no attempt has."""
    found = _plans.get(token)
    if found is None:
        found = _load(token)
        if found is not None:  # an unknown token is not kept: the next try reads again
            _plans.put(token, found)
    return found


def _load(token: str) -> Plan | None:
    rows = db.session.execute(_PLAN_READ, {"token": token}).all()
    if not rows:
        return None
    first = rows[0]
    questions = {
        row.position: _shape(row.content, row.shown_order)
        for row in rows
        if row.position is not None
    }
    return Plan(first.id, first.deadline, questions)


def remember(attempt: Attempt) -> None:
    """Keep the plan of an attempt just started or resumed here: its saves mostly follow on the
    same connection, so the round's opening minute does not read every plan again."""
    questions = {
        item.position: _shape(item.version.content, item.shown_order) for item in attempt.questions
    }
    _plans.put(attempt.token, Plan(attempt.id, attempt.deadline, questions))


@functools.cache
def _write(dialect: str):
    """The one statement of a save, built once per database kind."""
    answers = Answer.__table__
    source = (
        select(
            bindparam("attempt_id", type_=answers.c.attempt_id.type),
            bindparam("position", type_=answers.c.position.type),
            bindparam("response", type_=answers.c.response.type),
            bindparam("saved_at", type_=answers.c.saved_at.type),
        )
        .select_from(_ATTEMPT)
        .join(_ROUND, _ROUND.c.id == _ATTEMPT.c.round_id)
        .where(
            _ATTEMPT.c.id == bindparam("attempt_id"),
            _ATTEMPT.c.submitted_at.is_(None),
            # The deadline kept in memory must still be the attempt's: nothing is trusted stale.
            _ATTEMPT.c.deadline == bindparam("deadline", type_=_ATTEMPT.c.deadline.type),
            # The grace period is the round's and an organiser may change it: read it here.
            _ROUND.c.grace_s >= bindparam("late_s", type_=Float),
        )
        .with_for_update(read=True, of=_ATTEMPT)
    )
    statement = upsert_insert(answers, dialect).from_select(
        ["attempt_id", "position", "response", "saved_at"], source
    )
    return statement.on_conflict_do_update(
        index_elements=["attempt_id", "position"],
        set_={"response": statement.excluded.response, "saved_at": statement.excluded.saved_at},
    ).returning(literal_column("1"))


class NoSuchQuestion(Exception):
    """The attempt has no question at that position."""


def save(token: str, position: int, response, now: datetime) -> bool:
    """Save the answer in one statement; False when the attempt is unknown, late or submitted.

    Raises NoSuchQuestion for a position the attempt does not have, and BadResponse for a
    response that does not fit the question. Part of the caller's transaction.
    """
    if not token or len(token) > 64:
        return False
    found = plan(token)
    if found is None:
        return False
    question = found.questions.get(position)
    if question is None:
        raise NoSuchQuestion(position)
    kind, order = question
    stored = shaped_to_stored(kind, order, response)
    values = {
        "attempt_id": found.attempt_id,
        "position": position,
        "response": stored,
        "saved_at": now,
        "deadline": found.deadline,
        "late_s": (now - found.deadline).total_seconds(),
    }
    written = db.session.execute(_write(db.session.get_bind().dialect.name), values)
    return written.first() is not None
