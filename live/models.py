"""Stage contests: the setup (teams, judges, parts, questions) and the append-only event log.

The setup is edited before the show. Everything that happens during the show — each host
action, answer, buzz and judge's score — is a row of `StageEvent`, numbered per contest; state,
scores and standings are folded from those rows by `live.engine`. Rows are never updated or
deleted: a correction or an undo is a new row. Two writers that read the same last number both
try to insert number n+1 and the unique constraint lets only one of them in.

A question used on stage is copied into `StageQuestion.content` when it is chosen, with the bank
version it came from, so a later edit of the bank never changes a show already set up.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.database import UTCDateTime, utcnow
from contest.extensions import db


class PartFormat(StrEnum):
    ALL_ANSWER = "all_answer"  # every team answers on its pad ("trả lời trên thiết bị")
    BUZZER = "buzzer"  # first to buzz answers aloud ("giành quyền trả lời")
    JUDGED = "judged"  # judges score a performance by a rubric ("chấm điểm")
    PACKAGES = "packages"  # each team answers its package; star of hope; steals ("Về đích")
    ELIMINATION = "elimination"  # players on seats; a miss eliminates ("Rung chuông vàng")
    SUDDEN_DEATH = "sudden_death"  # a tie-break question that orders tied teams ("câu hỏi phụ")

    @property
    def label(self):
        return FORMAT_LABELS[self]


FORMAT_LABELS = {
    PartFormat.ALL_ANSWER: _l("Everyone answers on their pad"),
    PartFormat.BUZZER: _l("Buzzer: first to buzz answers"),
    PartFormat.JUDGED: _l("Judged by a rubric"),
    PartFormat.PACKAGES: _l("Question packages with the star of hope and steals"),
    PartFormat.ELIMINATION: _l("Elimination for many players (Rung chuông vàng)"),
    PartFormat.SUDDEN_DEATH: _l("Sudden-death question to break a tie"),
}


class DeviceRole(StrEnum):
    TEAM = "team"
    JUDGE = "judge"
    PROJECTOR = "projector"
    PLAYER = "player"  # one person on a numbered seat, in an elimination part
    AUDIENCE = "audience"  # a phone in the hall: votes, never scores


LIVE_RUN = "live"  # the run whose events make the results; rehearsals are "rehearsal-1", …


class StageContest(db.Model):
    """A live show ("hội thi"): teams compete through an ordered run of parts."""

    __tablename__ = "stage_contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # {"tiebreak": "none" | "part" | "sudden_death", "tiebreak_part_id": int | None}
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    projector_code: Mapped[str] = mapped_column(String(12), unique=True)
    # Players of an elimination part join with this code and their seat number; the audience
    # joins with its own code (the QR code on the projector). Both made on first use.
    player_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    audience_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    # Which log the show is writing: the live run, or a rehearsal that records no result.
    current_run: Mapped[str] = mapped_column(String(20), default=LIVE_RUN, server_default=LIVE_RUN)
    logo_path: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    teams: Mapped[list[StageTeam]] = relationship(
        back_populates="contest", order_by="StageTeam.position", cascade="all, delete-orphan"
    )
    judges: Mapped[list[StageJudge]] = relationship(
        back_populates="contest", order_by="StageJudge.position", cascade="all, delete-orphan"
    )
    parts: Mapped[list[StagePart]] = relationship(
        back_populates="contest", order_by="StagePart.position", cascade="all, delete-orphan"
    )


class StageTeam(db.Model):
    """A team ("đội thi"); its pads join with `join_code`."""

    __tablename__ = "stage_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("stage_contest.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    members: Mapped[str] = mapped_column(Text, default="")  # one name a line
    colour: Mapped[str] = mapped_column(String(7), default="#1d4ed8")
    join_code: Mapped[str] = mapped_column(String(12), unique=True)

    contest: Mapped[StageContest] = relationship(back_populates="teams")
    unit = relationship("Unit")

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]


class StageJudge(db.Model):
    """A judge ("giám khảo") of the judged parts; their pad joins with `join_code`."""

    __tablename__ = "stage_judge"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("stage_contest.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(12), unique=True)

    contest: Mapped[StageContest] = relationship(back_populates="judges")


class StagePart(db.Model):
    """A part ("phần thi") of the show, in one format, with its rules in `settings`.

    Settings by format (defaults in `live.rules.part_rules`): all_answer — points, time_limit_s,
    speed_bonus, multiple_scoring; buzzer — points, wrong_penalty, time_limit_s; judged —
    criteria [{name, max}], trimmed_mean, stage_time_limit_s, overtime penalties.
    """

    __tablename__ = "stage_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("stage_contest.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20))
    settings: Mapped[dict] = mapped_column(JSON, default=dict)

    contest: Mapped[StageContest] = relationship(back_populates="parts")
    questions: Mapped[list[StageQuestion]] = relationship(
        back_populates="part", order_by="StageQuestion.position", cascade="all, delete-orphan"
    )

    @property
    def part_format(self) -> PartFormat:
        return PartFormat(self.format)


class StageQuestion(db.Model):
    """A question of a part: a copy of the bank version it came from, or typed for this show."""

    __tablename__ = "stage_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(
        ForeignKey("stage_part.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_version.id", ondelete="SET NULL")
    )
    content: Mapped[dict] = mapped_column(
        JSON
    )  # the bank's content shape (docs/question-content.md)
    points: Mapped[int | None] = mapped_column(Integer)  # None: the part's points
    time_limit_s: Mapped[int | None] = mapped_column(Integer)  # None: the part's time
    notes: Mapped[str] = mapped_column(Text, default="")  # for the MC only: pronunciation, cues

    part: Mapped[StagePart] = relationship(back_populates="questions")


class StageEvent(db.Model):
    """One thing that happened on stage. Never updated, never deleted."""

    __tablename__ = "stage_event"
    __table_args__ = (UniqueConstraint("contest_id", "run", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("stage_contest.id", ondelete="CASCADE"))
    run: Mapped[str] = mapped_column(String(20), default=LIVE_RUN, server_default=LIVE_RUN)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(80))  # "host:5", "team:12", "judge:3"
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventIsImmutable(RuntimeError):
    pass


@event.listens_for(StageEvent, "before_update")
@event.listens_for(StageEvent, "before_delete")
def _refuse_changing_the_log(_mapper, _connection, target):
    raise EventIsImmutable(f"stage event {target.seq} is part of the log: append a correction")


class StageDevice(db.Model):
    """A pad or projector bound to its seat by a token (only its hash is kept)."""

    __tablename__ = "stage_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("stage_contest.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column(Integer)  # the team's or judge's id
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StageVote(db.Model):
    """An audience phone's answer to a poll; one per device and poll, so a second tap replaces.

    Votes are not events: thousands of phones would bury the show's log. The tally is written
    into the log when the host closes the poll, and that is what results and bonuses read.
    """

    __tablename__ = "stage_vote"
    __table_args__ = (UniqueConstraint("contest_id", "run", "poll", "device_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("stage_contest.id", ondelete="CASCADE"))
    run: Mapped[str] = mapped_column(String(20), default=LIVE_RUN)
    poll: Mapped[int] = mapped_column(Integer)  # the seq of the event that opened the poll
    device_id: Mapped[int] = mapped_column(ForeignKey("stage_device.id", ondelete="CASCADE"))
    choice: Mapped[int] = mapped_column(Integer)  # a team's id, or an option's index
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
