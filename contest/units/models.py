"""The organisation unit: a node of the tree (Tỉnh ủy → Huyện ủy → Chi bộ; Trường → Khoa → Lớp)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.database import UTCDateTime, utcnow
from contest.extensions import db
from contest.text import fold


class Unit(db.Model):
    __tablename__ = "unit"
    __table_args__ = (CheckConstraint("headcount >= 0", name="headcount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Case is kept and compared as is: "CB01" and "cb01" are two codes.
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    # No cascade: a unit with units below it cannot be deleted. NO ACTION (the default) rather
    # than RESTRICT, because RESTRICT checks row by row and so refuses even one statement that
    # removes a whole branch (or clears the table), while NO ACTION checks at statement end.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # Unknown until someone enters it; used later for participation rates.
    headcount: Mapped[int | None]
    # fold(code + " " + name), so a search for "dang uy" finds "Đảng ủy".
    search_text: Mapped[str] = mapped_column(String(600), index=True, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


@event.listens_for(Unit, "before_insert")
@event.listens_for(Unit, "before_update")
def _keep_search_text(_mapper, _connection, unit: Unit) -> None:
    # At flush time, so every write path (forms, import, shell) keeps the search column in step.
    unit.search_text = fold(f"{unit.code} {unit.name}")
