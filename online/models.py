"""Online contests for individuals: contests, rounds, participants, attempts and their answers.

An attempt pins the question versions it drew (`AttemptQuestion.version_id`), so editing the bank
never changes a past result. Writes that can race are made harmless by constraints: one attempt
number per person and round, one answer per question of an attempt (saving again is an upsert),
one phone number per contest; a submit is a conditional update that only one request can win.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.database import UTCDateTime, utcnow
from contest.extensions import db


class Counted(StrEnum):
    """Which of a person's attempts in a round counts."""

    BEST = "best"  # the highest score, then the earliest submitted
    FIRST = "first"


class Review(StrEnum):
    """When a participant may see the correct answers and explanations."""

    IMMEDIATELY = "immediately"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class Prediction(StrEnum):
    """What the tie-break question asks people to predict."""

    NONE = "none"
    ALL_CORRECT = "all_correct"  # how many attempts in the round will have every answer right
    ATTEMPTS = "attempts"  # how many attempts the round will have


class Standings(StrEnum):
    SUM = "sum"
    BEST = "best"


REVIEW_LABELS = {
    Review.IMMEDIATELY: _l("Right after submitting"),
    Review.AFTER_CLOSE: _l("After the round closes"),
    Review.NEVER: _l("Never"),
}
PREDICTION_LABELS = {
    Prediction.NONE: _l("No prediction question"),
    Prediction.ALL_CORRECT: _l("How many entries will have every answer right"),
    Prediction.ATTEMPTS: _l("How many entries the round will have"),
}

contest_theme = Table(
    "online_contest_theme",
    db.metadata,
    Column("contest_id", ForeignKey("online_contest.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id"), primary_key=True),
)


class OnlineContest(db.Model):
    __tablename__ = "online_contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    standings: Mapped[str] = mapped_column(String(10), default=Standings.SUM.value)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    # Registration fields: {"date_of_birth": "required" | "optional" | "off", ..., "custom": [...]}
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    themes = relationship("Theme", secondary=contest_theme, lazy="selectin")
    rounds: Mapped[list[Round]] = relationship(
        back_populates="contest", order_by="Round.number", cascade="all, delete-orphan"
    )


class Round(db.Model):
    """A "tuần thi" / "đợt thi": open between two times, each person answering a fresh draw."""

    __tablename__ = "online_round"
    __table_args__ = (UniqueConstraint("contest_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("online_contest.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # {"rows": [{"theme_id", "level", "count"}]} or {"question_ids": [...]}
    draw: Mapped[dict] = mapped_column(JSON, default=dict)
    time_limit_s: Mapped[int] = mapped_column(Integer, default=600)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1)
    counted: Mapped[str] = mapped_column(String(10), default=Counted.BEST.value)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=True)
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True)
    one_per_screen: Mapped[bool] = mapped_column(Boolean, default=True)
    review: Mapped[str] = mapped_column(String(20), default=Review.AFTER_CLOSE.value)
    prediction: Mapped[str] = mapped_column(String(20), default=Prediction.ALL_CORRECT.value)
    prediction_text: Mapped[str] = mapped_column(Text, default="")
    grace_s: Mapped[int] = mapped_column(Integer, default=15)
    # The figure predictions are measured against, fixed when the round is closed.
    actual: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Prize tiers [{"name": "Giải Nhất", "count": 1}, …] and collective prizes
    # [{"kind": "participants" | "attempts" | "rate", "name": …, "count": …}].
    prize_tiers: Mapped[list] = mapped_column(JSON, default=list)
    collective_prizes: Mapped[list] = mapped_column(JSON, default=list)
    prizes_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contest: Mapped[OnlineContest] = relationship(back_populates="rounds")


class Participant(db.Model):
    """A registered person; no password: a personal link (`token`), or phone + date of birth."""

    __tablename__ = "online_participant"
    __table_args__ = (UniqueConstraint("contest_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("online_contest.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str | None] = mapped_column(String(15))
    email: Mapped[str] = mapped_column(String(200), default="")
    # Only an HMAC of the national ID is kept (to find duplicates), and its last four digits.
    national_id_hash: Mapped[str | None] = mapped_column(String(64))
    national_id_last4: Mapped[str] = mapped_column(String(4), default="")
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    custom: Mapped[dict] = mapped_column(JSON, default=dict)
    # Staff accounts may take part but never win a prize.
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit = relationship("Unit")


class Attempt(db.Model):
    __tablename__ = "online_attempt"
    __table_args__ = (UniqueConstraint("round_id", "participant_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("online_round.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("online_participant.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer, default=1)
    # What the taking page and the API present to prove it is this attempt.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    seed: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    finalised_by: Mapped[str | None] = mapped_column(String(12))  # "participant" | "server"
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    prediction: Mapped[int | None] = mapped_column(Integer)
    time_taken_ms: Mapped[int | None] = mapped_column(Integer)
    disqualified: Mapped[str | None] = mapped_column(Text)  # the organiser's recorded reason
    disqualified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    disqualified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[Round] = relationship()
    participant: Mapped[Participant] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        order_by="AttemptQuestion.position", cascade="all, delete-orphan"
    )


class AttemptQuestion(db.Model):
    """The n-th question of an attempt: the pinned version and the order its options are shown."""

    __tablename__ = "online_attempt_question"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("online_attempt.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    # shown position -> stored option index (choice questions) or item index (ordering)
    shown_order: Mapped[list | None] = mapped_column(JSON)
    points: Mapped[int] = mapped_column(Integer, default=10)

    version = relationship("QuestionVersion", lazy="joined")


class Answer(db.Model):
    """The latest saved response to one question of an attempt (saving again replaces it)."""

    __tablename__ = "online_answer"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("online_attempt.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    response: Mapped[object] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    fraction: Mapped[float | None] = mapped_column(Float)  # set when the attempt is scored


class Award(db.Model):
    """A published prize: to a person (their counted attempt's rank) or to a unit (collective).

    Written when the organiser publishes a round's prizes; the list is then fixed, whatever
    happens to the attempts later.
    """

    __tablename__ = "online_award"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("online_round.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("online_participant.id", ondelete="CASCADE")
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), default="individual")  # or "collective"
    tier: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant = relationship("Participant")
    unit = relationship("Unit")


# ---- published boards: a round's ranking computed once, read many times --------------------------


class RoundBoard(db.Model):
    """When a round's ranking snapshot was built, with what figure, and whether it is behind.

    A national round has a million entries; ranking them on every page view would take seconds.
    The snapshot (RoundRank, RoundUnitTally) is rebuilt when something changed (`stale`) and the
    refresh interval has passed, so pages read a few indexed rows.
    """

    __tablename__ = "online_round_board"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("online_round.id", ondelete="CASCADE"), primary_key=True
    )
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    building_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a build's claim
    stale: Mapped[bool] = mapped_column(Boolean, default=True)
    actual: Mapped[int | None] = mapped_column(Integer)  # the figure the snapshot measured with
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    entries: Mapped[int] = mapped_column(Integer, default=0)


class RoundRank(db.Model):
    """One line of a round's ranking snapshot: a participant's counted attempt and its place."""

    __tablename__ = "online_round_rank"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    round_id: Mapped[int] = mapped_column(
        ForeignKey("online_round.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1.. in the order shown
    rank: Mapped[int] = mapped_column(Integer)  # equal entries share it: 1, 2, 2, 4
    participant_id: Mapped[int] = mapped_column(Integer)
    attempt_id: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)  # submitted, not disqualified, in the round
    score: Mapped[float] = mapped_column(Float)
    prediction: Mapped[int | None] = mapped_column(Integer)
    prediction_error: Mapped[int | None] = mapped_column(Integer)
    time_taken_ms: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RoundUnitTally(db.Model):
    """A unit's own figures in a round's snapshot (people attached to it directly)."""

    __tablename__ = "online_round_unit_tally"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("online_round.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registered: Mapped[int] = mapped_column(Integer)
    participants: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    score_sum: Mapped[float] = mapped_column(Float)
    scored: Mapped[int] = mapped_column(Integer)
