"""Finding questions: accent-blind words plus filters, over each question's current version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import contains_eager

from contest.extensions import db
from contest.text import fold
from questions.models import Question, QuestionVersion, Tag, question_tag, question_theme

SORTS = {
    "updated": (Question.updated_at.desc(), Question.id.desc()),
    "oldest": (Question.created_at, Question.id),
    "id": (Question.id,),
}


@dataclass(frozen=True)
class Filters:
    text: str = ""
    theme_id: int | None = None
    tag: str = ""
    type: str = ""
    level: str = ""
    status: str = ""
    author_id: int | None = None
    sort: str = "updated"


def _like_escaped(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def current_versions() -> Select:
    """Questions joined to their current version (which also fills `Question.current`).

    Without contains_eager the relationship's own eager load would join the versions a second
    time, doubling the width of every row the database sorts.
    """
    return (
        select(Question, QuestionVersion)
        .join(
            QuestionVersion,
            and_(
                QuestionVersion.question_id == Question.id,
                QuestionVersion.number == Question.revision,
            ),
        )
        .options(contains_eager(Question.current))
    )


def search(filters: Filters) -> Select:
    """The questions matching every filter; each word of `text` must appear, accents ignored."""
    query = current_versions()
    for word in fold(filters.text).split():
        query = query.where(QuestionVersion.search_text.like(_like_escaped(word), escape="\\"))
    if filters.theme_id:
        query = query.where(
            Question.id.in_(
                select(question_theme.c.question_id).where(
                    question_theme.c.theme_id == filters.theme_id
                )
            )
        )
    if filters.tag:
        tagged = (
            select(question_tag.c.question_id)
            .join(Tag, Tag.id == question_tag.c.tag_id)
            .where(Tag.name == filters.tag.strip().lower())
        )
        query = query.where(Question.id.in_(tagged))
    if filters.type:
        query = query.where(QuestionVersion.type == filters.type)
    if filters.level:
        query = query.where(QuestionVersion.level == filters.level)
    if filters.status:
        query = query.where(Question.status == filters.status)
    if filters.author_id:
        query = query.where(Question.author_id == filters.author_id)
    return query.order_by(*SORTS.get(filters.sort, SORTS["updated"]))


@dataclass(frozen=True)
class Page:
    """One page of (question, version) rows; Flask-SQLAlchemy's pager keeps only one entity."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(query: Select, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    if total == 0:  # nothing matched: don't scan the texts a second time
        return Page(items=[], page=1, per_page=per_page, total=0)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(rows), page=page, per_page=per_page, total=total)
