"""Counts for the bank's dashboard: questions by theme, level and status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from contest.extensions import db
from contest.themes.models import Theme
from questions.models import Level, Status, question_theme
from questions.search import current_versions

NO_THEME = None


@dataclass
class ThemeRow:
    theme: str | None  # short name; None for questions with no theme
    by_level: Counter = field(default_factory=Counter)  # level -> questions
    by_status: Counter = field(default_factory=Counter)  # status -> questions

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def counts() -> list[tuple[str | None, str, str, int]]:
    """(theme short name or None, level, status, how many) over each question's current version.

    A question with two themes counts under each; the totals row counts it once.
    """
    versions = current_versions().subquery()
    query = (
        select(Theme.short_name, versions.c.level, versions.c.status, func.count())
        .select_from(versions)
        .outerjoin(question_theme, question_theme.c.question_id == versions.c.id)
        .outerjoin(Theme, Theme.id == question_theme.c.theme_id)
        .group_by(Theme.short_name, versions.c.level, versions.c.status)
    )
    return [tuple(row) for row in db.session.execute(query)]


def theme_rows(rows) -> list[ThemeRow]:
    """One row per theme (no theme last), with counts by level and by status."""
    by_theme: dict[str | None, ThemeRow] = {}
    for theme, level, status, count in rows:
        row = by_theme.setdefault(theme, ThemeRow(theme))
        row.by_level[level] += count
        row.by_status[status] += count
    named = sorted((r for t, r in by_theme.items() if t is not None), key=lambda r: r.theme)
    return named + ([by_theme[NO_THEME]] if NO_THEME in by_theme else [])


def totals() -> tuple[Counter, Counter]:
    """Each question once: how many per status and per level."""
    versions = current_versions().subquery()
    by_status = Counter(
        dict(
            db.session.execute(
                select(versions.c.status, func.count()).group_by(versions.c.status)
            ).all()
        )
    )
    by_level = Counter(
        dict(
            db.session.execute(
                select(versions.c.level, func.count()).group_by(versions.c.level)
            ).all()
        )
    )
    return by_status, by_level


LEVELS = [level.value for level in Level]
STATUSES = [status.value for status in Status]


# Kelley's classic choice: the top and bottom 27% of people by total score.
DISCRIMINATION_GROUP = 0.27
DISCRIMINATION_MIN_PEOPLE = 10


def discrimination_index(results: list[tuple[float, bool]]) -> float | None:
    """How well a question separates strong from weak participants, from -1 to 1.

    `results` holds, per person, (their total score in the round, whether they got this question
    right). The index is the share correct in the top 27% by total score minus the share correct
    in the bottom 27%. Near 0 or below: the question does not tell who knows the material (or
    misleads the strong ones). None when fewer than 10 people answered.
    """
    if len(results) < DISCRIMINATION_MIN_PEOPLE:
        return None
    ranked = sorted(results, key=lambda result: result[0], reverse=True)
    size = max(1, round(len(ranked) * DISCRIMINATION_GROUP))
    upper = sum(1 for _score, right in ranked[:size] if right) / size
    lower = sum(1 for _score, right in ranked[-size:] if right) / size
    return round(upper - lower, 3)
