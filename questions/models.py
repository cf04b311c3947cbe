"""The bank's tables: questions, their immutable versions, tags, and their themes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    false,
)
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from contest.database import UTCDateTime, utcnow
from contest.extensions import db


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETIRED = "retired"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.IN_REVIEW: _l("In review"),
    Status.APPROVED: _l("Approved"),
    Status.REJECTED: _l("Rejected"),
    Status.RETIRED: _l("Retired"),
}


class Level(StrEnum):
    """The four cognitive levels Vietnamese test writers grade questions by."""

    RECALL = "recall"
    UNDERSTANDING = "understanding"
    APPLICATION = "application"
    ADVANCED_APPLICATION = "advanced_application"

    @property
    def label(self):
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.RECALL: _l("Recall"),
    Level.UNDERSTANDING: _l("Understanding"),
    Level.APPLICATION: _l("Application"),
    Level.ADVANCED_APPLICATION: _l("Advanced application"),
}


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT_TEXT = "short_text"
    NUMERIC = "numeric"
    ORDERING = "ordering"
    OPEN = "open"

    @property
    def label(self):
        return TYPE_LABELS[self]


TYPE_LABELS = {
    QuestionType.SINGLE: _l("Single choice"),
    QuestionType.MULTIPLE: _l("Multiple choice"),
    QuestionType.TRUE_FALSE: _l("True or false"),
    QuestionType.SHORT_TEXT: _l("Short answer"),
    QuestionType.NUMERIC: _l("Number"),
    QuestionType.ORDERING: _l("Ordering"),
    QuestionType.OPEN: _l("Open answer (scored by people)"),
}


question_theme = Table(
    "question_theme",
    db.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id"), primary_key=True),
)

question_tag = Table(
    "question_tag",
    db.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Question(db.Model):
    """A question's identity and workflow; its text lives in versions.

    `revision` is the number of the latest version: an edit must name the revision it started
    from, so two editors can't overwrite each other. `approved_revision` is the version a
    reviewer approved; a later edit goes back to review while draws keep using that version.
    """

    # The list's default order (newest first) reads this index instead of sorting the bank.
    __table_args__ = (Index("ix_question_updated_at_id", "updated_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(
        String(80), unique=True
    )  # stable id for samples/imports
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value, index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    approved_revision: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.number", cascade="all, delete-orphan"
    )
    current: Mapped[QuestionVersion] = relationship(
        primaryjoin=lambda: and_(
            foreign(QuestionVersion.question_id) == Question.id,
            foreign(QuestionVersion.number) == Question.revision,
        ),
        viewonly=True,
        uselist=False,
        lazy="joined",
    )
    themes = relationship("Theme", secondary=question_theme, lazy="selectin")
    tags: Mapped[list[Tag]] = relationship(secondary=question_tag, lazy="selectin")
    author = relationship("User", foreign_keys=[author_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])

    @property
    def question_status(self) -> Status:
        return Status(self.status)


class QuestionVersion(db.Model):
    """One saved state of a question. Never updated: contests and attempts pin versions."""

    __tablename__ = "question_version"
    # Two saves from the same starting revision both try to write number n+1: one must lose.
    __table_args__ = (
        UniqueConstraint("question_id", "number"),
        # Trigram index for `search_text LIKE '%word%'` on PostgreSQL (pg_trgm). No SQLite index
        # helps a leading '%': there it is an empty partial index that keeps the schemas equal.
        Index(
            "ix_question_version_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            sqlite_where=false(),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20), index=True)
    content: Mapped[dict] = mapped_column(JSON)
    level: Mapped[str] = mapped_column(String(30), index=True)
    points: Mapped[int] = mapped_column(Integer, default=10)
    time_limit_s: Mapped[int] = mapped_column(Integer, default=30)
    source_document: Mapped[str] = mapped_column(String(300), default="")
    source_section: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    image_path: Mapped[str | None] = mapped_column(String(200))
    # Folded text of stem, options, answers, explanation and citation, for accent-blind search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(back_populates="versions")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def question_type(self) -> QuestionType:
        return QuestionType(self.type)


class QuestionUse(db.Model):
    """A question version drawn into something people answered: a round, a stage part, a paper.

    Written by the contests when they pin versions. `used_in` names the place ("round:12");
    unique with the version, so recording the same draw twice changes nothing.
    """

    __tablename__ = "question_use"
    __table_args__ = (UniqueConstraint("version_id", "used_in"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id", ondelete="CASCADE"))
    used_in: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(300), default="")
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuestionStat(db.Model):
    """How a version fared where it was used: written back by online rounds when they close.

    `discrimination` is the upper-minus-lower-group index (questions.stats.discrimination_index);
    it is empty when too few people answered for it to mean anything.
    """

    __tablename__ = "question_stat"
    __table_args__ = (UniqueConstraint("version_id", "used_in"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id", ondelete="CASCADE"))
    used_in: Mapped[str] = mapped_column(String(80))
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    discrimination: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def correct_share(self) -> float | None:
        return self.correct / self.answered if self.answered else None


class VersionIsImmutable(RuntimeError):
    pass


@sa_event.listens_for(QuestionVersion, "before_update")
def _refuse_version_update(_mapper, _connection, target):
    raise VersionIsImmutable(f"question version {target.id} is immutable; save a new version")
