"""Taking a round: start (or resume) an attempt, save answers, submit, read the result.

Every write here can race — two tabs starting at once, a save repeated by a retrying phone, a
submit from the page crossing the server's own finaliser — so each is made harmless to repeat:

- start: the unique (round, participant, number) lets one of two simultaneous starts win; the
  other returns the winner's attempt.
- save: one Answer row per (attempt, position), its primary key, written by
  `INSERT … ON CONFLICT DO UPDATE`. The save takes a shared lock on the attempt row
  (PostgreSQL), so a submit waits for a save in progress and scores it, and a save that comes
  after a submit sees it and is refused (online/quick_save.py holds the common case).
- submit: `UPDATE … SET submitted_at WHERE submitted_at IS NULL`: only one request changes a
  row, and only that one scores.

Times are passed in (`now`), never read here, so tests say exactly when things happen. Functions
flush; the caller commits (the API after each request, the finaliser after each attempt).
"""

from __future__ import annotations

import functools
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from contest.database import upsert_insert
from contest.extensions import db
from online import boards, draw, quick_save
from online.attempt_view import BadResponse, review_view, to_stored
from online.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Participant,
    Prediction,
    Review,
    Round,
)
from questions.checking import check
from questions.models import QuestionVersion, question_theme
from questions.service import drawable_versions
from questions.usage import record_use

PARTICIPANT, SERVER = "participant", "server"
PREDICTION_MAX = 2_000_000_000  # fits the column; more than any contest's entries


class Refused(Exception):
    """The rules refuse a request; `code` is stable for the API, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class StartRefused(Refused):
    """An attempt can't be started: not registered, round not open, no attempts left."""


def grace_period(grace_s: int | None) -> timedelta:
    return timedelta(seconds=max(grace_s or 0, 0))


def grace(round_: Round) -> timedelta:
    """How long after the deadline the last saves still count (network delays)."""
    return grace_period(round_.grace_s)


def is_open(round_: Round, now: datetime) -> bool:
    """A round takes new attempts between its opening and closing times, unless closed early."""
    return round_.closed_at is None and round_.opens_at <= now < round_.closes_at


def overdue(attempt: Attempt, now: datetime) -> bool:
    """Not submitted, and the deadline plus the grace period has passed."""
    return attempt.submitted_at is None and now > attempt.deadline + grace(attempt.round)


# ---- starting -----------------------------------------------------------------------------------


def _pool(rows: list[draw.DrawRow]) -> dict[tuple[int, str], list[int]]:
    """Drawable version ids per (theme, level) for the themes the rows name, in id order."""
    versions = drawable_versions().subquery()
    statement = (
        select(question_theme.c.theme_id, versions.c.level, versions.c.id)
        .join(question_theme, question_theme.c.question_id == versions.c.question_id)
        .where(question_theme.c.theme_id.in_({row.theme_id for row in rows}))
        .order_by(versions.c.id)
    )
    pool: dict[tuple[int, str], list[int]] = {}
    for theme_id, level, version_id in db.session.execute(statement):
        pool.setdefault((theme_id, level), []).append(version_id)
    return pool


def _draw(round_: Round, rng: random.Random) -> list[QuestionVersion]:
    """The versions this attempt answers, in the order asked."""
    spec = round_.draw or {}
    if spec.get("rows"):
        rows = [draw.DrawRow(int(r["theme_id"]), r["level"], int(r["count"])) for r in spec["rows"]]
        try:
            ids = draw.draw(_pool(rows), rows, rng)
        except draw.NotEnough as exc:
            raise StartRefused(
                "draw_failed", _("The question bank cannot fill this round.")
            ) from exc
    else:
        wanted = [int(i) for i in spec.get("question_ids", [])]
        # A question retired since the round was set up is left out rather than asked.
        by_question = {
            version.question_id: version.id
            for version in db.session.scalars(
                drawable_versions().where(QuestionVersion.question_id.in_(wanted))
            )
        }
        ids = list(dict.fromkeys(by_question[q] for q in wanted if q in by_question))
    if not ids:
        raise StartRefused("draw_failed", _("The question bank cannot fill this round."))
    versions = {
        v.id: v
        for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(ids)))
    }
    drawn = [versions[i] for i in ids]
    return draw.order(drawn, round_.shuffle_questions, rng)


def _pinned(version: QuestionVersion, position: int, rng: random.Random, shuffle: bool):
    content = version.content
    shown_order = None
    if content["type"] in ("single", "multiple"):
        texts = [option["text"] for option in content["options"]]
        shown_order = draw.option_order(texts, shuffle, rng)
    elif content["type"] == "ordering":
        # Items are stored in the right order: they are always shown shuffled.
        shown_order = draw.order(list(range(len(content["items"]))), True, rng)
    return AttemptQuestion(
        position=position, version_id=version.id, shown_order=shown_order, points=version.points
    )


def _attempts(round_: Round, participant: Participant) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.round_id == round_.id, Attempt.participant_id == participant.id)
            .order_by(Attempt.number)
        )
    )


def start_attempt(round_: Round, participant: Participant, now: datetime) -> Attempt:
    """A new attempt with freshly drawn questions, or the unfinished one to resume.

    The deadline is start + time limit, but never after the round closes: an attempt begun five
    minutes before closing has five minutes (plus the grace period for the last saves).
    """
    if participant.contest_id != round_.contest_id:
        raise StartRefused("not_registered", _("You are not registered for this contest."))
    attempts = _attempts(round_, participant)
    for attempt in attempts:
        if attempt.submitted_at is None:
            if not overdue(attempt, now):
                return attempt
            submit(attempt, now, by=SERVER)
    if not is_open(round_, now):
        raise StartRefused("not_open", _("This round is not open now."))
    if len(attempts) >= round_.attempts_allowed:
        raise StartRefused("no_attempts_left", _("You have used every attempt this round allows."))

    seed = secrets.randbelow(2**31)
    rng = random.Random(seed)
    versions = _draw(round_, rng)
    attempt = Attempt(
        round_id=round_.id,
        participant_id=participant.id,
        number=max((a.number for a in attempts), default=0) + 1,
        token=secrets.token_urlsafe(32),
        seed=seed,
        started_at=now,
        deadline=min(now + timedelta(seconds=round_.time_limit_s), round_.closes_at),
        max_score=float(sum(version.points for version in versions)),
        questions=[
            _pinned(version, position, rng, round_.shuffle_options)
            for position, version in enumerate(versions, start=1)
        ],
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request started this attempt number first (a double tap, two tabs): theirs
        # stands, and this one resumes it.
        winner = db.session.scalar(
            select(Attempt).where(
                Attempt.round_id == round_.id,
                Attempt.participant_id == participant.id,
                Attempt.number == attempt.number,
            )
        )
        if winner is None:
            raise
        return winner
    record_use(versions, f"round:{round_.id}", round_.title)
    return attempt


# ---- answering ----------------------------------------------------------------------------------


def _writable(attempt: Attempt, now: datetime) -> None:
    """Refuse writes after the deadline plus grace (410) or to a submitted attempt (409).

    The shared row lock (FOR SHARE on PostgreSQL; SQLite has one writer at a time anyway) holds
    a concurrent submit back until this save commits, so the submit scores it.
    """
    submitted_at = db.session.scalar(
        select(Attempt.submitted_at).where(Attempt.id == attempt.id).with_for_update(read=True)
    )
    if now > attempt.deadline + grace(attempt.round):
        raise Refused("past_deadline", _("Time is up: this answer was not saved."))
    if submitted_at is not None:
        raise Refused("submitted", _("This attempt has been submitted; answers can't change."))


def _stored(content: dict, shown_order: list | None, response) -> object:
    try:
        return to_stored(content, shown_order, response)
    except BadResponse as exc:
        raise Refused("bad_response", _("This answer does not fit the question.")) from exc


def _no_such_question() -> Refused:
    return Refused("no_such_question", _("This attempt has no such question."))


@functools.cache
def _upsert_statement(dialect: str):
    statement = upsert_insert(Answer.__table__, dialect)
    return statement.on_conflict_do_update(
        index_elements=["attempt_id", "position"],
        set_={"response": statement.excluded.response, "saved_at": statement.excluded.saved_at},
    )


def _upsert(attempt_id: int, position: int, stored, now: datetime) -> None:
    """INSERT … ON CONFLICT DO UPDATE: saving again replaces, even two saves racing (a retry)."""
    statement = _upsert_statement(db.session.get_bind().dialect.name)
    values = {"attempt_id": attempt_id, "position": position, "response": stored, "saved_at": now}
    db.session.execute(statement, values)


def save_answer(attempt: Attempt, position: int, response, now: datetime) -> Answer:
    """Save (or replace) the answer to the question at `position`, given in shown indices."""
    _writable(attempt, now)
    item = db.session.get(AttemptQuestion, (attempt.id, position))  # one row, not all of them
    if item is None:
        raise _no_such_question()
    _upsert(attempt.id, position, _stored(item.version.content, item.shown_order, response), now)
    return db.session.get(Answer, (attempt.id, position), populate_existing=True)


def save_by_token(token: str, position: int, response, now: datetime) -> bool:
    """The common save, in one statement (online/quick_save.py): False when the attempt is
    unknown, late or submitted, leaving those rare cases to `save_answer`, which says why."""
    try:
        return quick_save.save(token, position, response, now)
    except quick_save.NoSuchQuestion:
        raise _no_such_question() from None
    except BadResponse as exc:
        raise Refused("bad_response", _("This answer does not fit the question.")) from exc


def save_prediction(attempt: Attempt, value, now: datetime) -> None:
    """Save the answer to the prediction question: a whole number, 0 or more."""
    _writable(attempt, now)
    if attempt.round.prediction == Prediction.NONE.value:
        raise Refused("no_prediction", _("This round has no prediction question."))
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= PREDICTION_MAX:
        raise Refused("bad_response", _("The prediction is a whole number, 0 or more."))
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(prediction=value)
    )


# ---- submitting ---------------------------------------------------------------------------------


def submit(attempt: Attempt, now: datetime, by: str = PARTICIPANT) -> bool:
    """Submit and score the attempt; True if this call did it, False if it was already done.

    After the deadline plus grace nothing the participant sends changes anything, so a late
    submit is the server's: it records the end of the grace period as the submission time.
    Open questions score 0 here; people score them later.
    """
    end = attempt.deadline + grace(attempt.round)
    if by == PARTICIPANT and now > end:
        by = SERVER
    submitted_at = min(now, end) if by == SERVER else now
    claimed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=submitted_at, finalised_by=by)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.refresh(attempt)
        return False
    boards.mark_stale(attempt.round_id)
    db.session.refresh(attempt)
    answers = saved_answers(attempt)
    score, correct = 0.0, 0
    for item in attempt.questions:
        answer = answers.get(item.position)
        if answer is None:
            continue
        fraction = check(item.version.content, answer.response)
        answer.fraction = fraction
        score += (fraction or 0.0) * item.points
        correct += fraction == 1.0
    attempt.score = round(score, 6)
    attempt.correct = correct
    attempt.max_score = float(sum(item.points for item in attempt.questions))
    taken = min(submitted_at, attempt.deadline) - attempt.started_at
    attempt.time_taken_ms = max(int(taken.total_seconds() * 1000), 0)
    db.session.flush()
    return True


# ---- the result ---------------------------------------------------------------------------------


def review_allowed(round_: Round, now: datetime) -> bool:
    """Whether the round's policy lets participants see the answers and explanations now."""
    if round_.review == Review.IMMEDIATELY.value:
        return True
    if round_.review == Review.AFTER_CLOSE.value:
        return round_.closed_at is not None or now >= round_.closes_at
    return False


@dataclass
class Result:
    score: float
    max_score: float
    correct_count: int
    question_count: int
    time_taken_ms: int
    submitted_at: datetime
    finalised_by: str
    prediction: int | None
    review_policy: str
    review_from: datetime | None  # when the review opens, if it will
    review: list[dict] | None  # per question, only when the policy allows it now


def result(attempt: Attempt, now: datetime, image_url=None) -> Result:
    """Score and time of a submitted attempt, and the review when the policy allows it now.

    `image_url(item)` gives the address of a question's image, or None.
    """
    if attempt.submitted_at is None:
        raise Refused("not_submitted", _("This attempt has not been submitted yet."))
    round_ = attempt.round
    review = None
    if review_allowed(round_, now):
        answers = saved_answers(attempt)
        review = [
            review_view(item, answers.get(item.position), image_url and image_url(item))
            for item in attempt.questions
        ]
    return Result(
        score=attempt.score or 0.0,
        max_score=attempt.max_score,
        correct_count=attempt.correct,
        question_count=len(attempt.questions),
        time_taken_ms=attempt.time_taken_ms or 0,
        submitted_at=attempt.submitted_at,
        finalised_by=attempt.finalised_by or PARTICIPANT,
        prediction=attempt.prediction,
        review_policy=round_.review,
        review_from=round_.closes_at if round_.review == Review.AFTER_CLOSE.value else None,
        review=review,
    )


def saved_answers(attempt: Attempt) -> dict[int, Answer]:
    """The attempt's saved answers by position."""
    return {
        answer.position: answer
        for answer in db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))
    }


def answered_count(attempt: Attempt) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Answer).where(Answer.attempt_id == attempt.id)
    )
