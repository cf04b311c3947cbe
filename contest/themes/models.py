"""Themes: the documents and study themes that questions and contests are about."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contest.database import UTCDateTime, utcnow
from contest.extensions import db
from contest.text import fold


class ThemeKind(StrEnum):
    """The declaration order is the order themes are listed in."""

    DIRECTIVE = "directive"
    CONCLUSION = "conclusion"
    WHOLE_TERM = "whole_term"
    ANNUAL = "annual"
    OTHER = "other"

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    ThemeKind.DIRECTIVE: _l("Directive"),
    ThemeKind.CONCLUSION: _l("Conclusion"),
    ThemeKind.WHOLE_TERM: _l("Whole-term theme"),
    ThemeKind.ANNUAL: _l("Annual theme"),
    ThemeKind.OTHER: _l("Other"),
}


class Theme(db.Model):
    """A document or study theme, owned by the organisation that issued or chose it.

    Annual themes are chosen locally, so the title is free text and only the pair
    (organisation, title) has to be unique. Themes in use are retired, never deleted.
    """

    __tablename__ = "theme"
    __table_args__ = (
        UniqueConstraint("organisation", "title"),
        CheckConstraint("year_to IS NULL OR year_to >= year_from", name="year_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The exact official wording: questions quote it, so it is never reworded or abbreviated.
    title: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(200))
    year_from: Mapped[int]
    # None: a single year (a directive's year of issue, or a one-year annual theme).
    year_to: Mapped[int | None]
    document_code: Mapped[str | None] = mapped_column(String(50))
    issued_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    # Folded copy of the searchable fields, so a query typed without diacritics still matches.
    search_text: Mapped[str] = mapped_column(Text, index=True, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def theme_kind(self) -> ThemeKind:
        return ThemeKind(self.kind)

    @property
    def last_year(self) -> int:
        return self.year_to if self.year_to is not None else self.year_from

    @property
    def years(self) -> str:
        """'2024–2025', or '2016' for a single year."""
        if self.last_year == self.year_from:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    def refresh_search_text(self) -> None:
        parts = (self.short_name, self.title, self.organisation, self.document_code)
        self.search_text = fold(" ".join(p for p in parts if p))

    def __repr__(self) -> str:
        return f"<Theme {self.id} {self.short_name!r}>"
