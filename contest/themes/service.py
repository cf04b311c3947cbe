"""Theme rules: what a valid theme is, uniqueness per organisation, retiring, listing."""

from __future__ import annotations

import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select
from sqlalchemy.exc import IntegrityError

from contest.extensions import db
from contest.text import clean_line, fold
from contest.themes.models import Theme, ThemeKind

YEAR_MIN = 1930  # the Party's founding: no theme predates it
YEAR_MAX = 2100
# Keeps (organisation, title) well inside PostgreSQL's limit for a unique index entry;
# official titles run to about 300 characters.
TITLE_MAX = 500
SHORT_NAME_MAX = 120
ORGANISATION_MAX = 200
DOCUMENT_CODE_MAX = 50
SOURCE_MAX = 500

STATUS_ACTIVE = "active"
STATUS_RETIRED = "retired"
STATUS_ALL = "all"

KIND_ORDER = {kind.value: position for position, kind in enumerate(ThemeKind)}


class ThemeError(ValueError):
    """A request the rules refuse; `field` names the form field the message belongs beside.

    Messages are lazy: they are translated when shown, so the rules also run from the
    command line (the demo loader) where there is no request to take a language from.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def clean_block(text: str | None) -> str | None:
    """Free text as stored: NFC, line breaks kept, None when blank."""
    text = unicodedata.normalize("NFC", text or "").strip()
    return text or None


def find_theme(organisation: str, title: str) -> Theme | None:
    """The theme this organisation already has under this exact title, if any."""
    return db.session.scalar(
        select(Theme).where(
            Theme.organisation == clean_line(organisation), Theme.title == clean_line(title)
        )
    )


def _check_length(value: str, limit: int, field: str) -> None:
    if len(value) > limit:
        raise ThemeError(_l("At most %(max)d characters.", max=limit), field)


def _validated(
    *,
    kind,
    short_name,
    title,
    organisation,
    year_from,
    year_to=None,
    document_code=None,
    issued_on: date | None = None,
    description=None,
    source=None,
    current: Theme | None = None,
) -> dict:
    """The cleaned values, or ThemeError for the first rule broken."""
    try:
        kind = ThemeKind(kind)
    except ValueError:
        raise ThemeError(_l("Choose a kind of theme."), "kind") from None
    values = {
        "kind": kind.value,
        "short_name": clean_line(short_name),
        "title": clean_line(title),
        "organisation": clean_line(organisation),
        "document_code": clean_line(document_code) or None,
        "source": clean_line(source) or None,
        "description": clean_block(description),
        "issued_on": issued_on,
        "year_from": year_from,
        "year_to": year_to,
    }
    for field in ("short_name", "title", "organisation"):
        if not values[field]:
            raise ThemeError(_l("This field is required."), field)
    _check_length(values["short_name"], SHORT_NAME_MAX, "short_name")
    _check_length(values["title"], TITLE_MAX, "title")
    _check_length(values["organisation"], ORGANISATION_MAX, "organisation")
    _check_length(values["document_code"] or "", DOCUMENT_CODE_MAX, "document_code")
    _check_length(values["source"] or "", SOURCE_MAX, "source")

    for field in ("year_from", "year_to"):
        year = values[field]
        if year is None and field == "year_to":
            continue
        if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
            raise ThemeError(
                _l("Enter a year from %(min)s to %(max)s.", min=YEAR_MIN, max=YEAR_MAX), field
            )
    if year_to is not None and year_to < year_from:
        raise ThemeError(_l("The last year cannot come before the first year."), "year_to")

    existing = find_theme(values["organisation"], values["title"])
    if existing is not None and existing is not current:
        raise ThemeError(
            _l(
                "%(organisation)s already has a theme with this title.",
                organisation=existing.organisation,
            ),
            "title",
        )
    return values


def _flush_or_refuse() -> None:
    # The check above misses a twin saved a moment ago by someone else; the unique
    # constraint catches it. The caller must roll back after a ThemeError.
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise ThemeError(
            _l("This organisation already has a theme with this title."), "title"
        ) from exc


def create_theme(**fields) -> Theme:
    """Add a theme (fields as in `Theme`); the caller commits, or rolls back on ThemeError."""
    theme = Theme(active=True, **_validated(**fields))
    theme.refresh_search_text()
    db.session.add(theme)
    _flush_or_refuse()
    return theme


def update_theme(theme: Theme, **fields) -> None:
    """Change a theme's fields; the caller commits, or rolls back on ThemeError."""
    for name, value in _validated(current=theme, **fields).items():
        setattr(theme, name, value)
    theme.refresh_search_text()
    _flush_or_refuse()


def set_active(theme: Theme, active: bool) -> None:
    """Retire a theme (kept for the questions and contests that use it) or bring it back.

    Setting the state it already has is harmless, so a double click changes nothing.
    """
    theme.active = active


def theme_query(
    kind: str | None = None,
    year: int | None = None,
    status: str = STATUS_ACTIVE,
    query: str | None = None,
) -> Select:
    """Themes matching the filters, in list order: by kind, newest first, then by name."""
    stmt = select(Theme)
    if kind:
        stmt = stmt.where(Theme.kind == kind)
    if year is not None:
        # A theme spans year_from..year_to; without year_to it covers only year_from.
        stmt = stmt.where(
            Theme.year_from <= year, func.coalesce(Theme.year_to, Theme.year_from) >= year
        )
    if status == STATUS_ACTIVE:
        stmt = stmt.where(Theme.active.is_(True))
    elif status == STATUS_RETIRED:
        stmt = stmt.where(Theme.active.is_(False))
    # Every word must occur somewhere, in any order: "05 chi thi" finds "Chỉ thị 05-CT/TW".
    for word in fold(query).split():
        stmt = stmt.where(Theme.search_text.contains(word, autoescape=True))
    kind_rank = case(KIND_ORDER, value=Theme.kind, else_=len(KIND_ORDER))
    return stmt.order_by(kind_rank, Theme.year_from.desc(), Theme.short_name, Theme.id)


def list_themes(**filters) -> list[Theme]:
    """The themes for the list page (filters as in `theme_query`)."""
    return list(db.session.scalars(theme_query(**filters)))
