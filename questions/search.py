"""Finding questions: accent-blind words plus filters, over each question's current version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, column, exists, func, select, table, text
from sqlalchemy.orm import contains_eager

from contest.extensions import db
from contest.text import fold
from questions.models import (
    Question,
    QuestionUse,
    QuestionVersion,
    Tag,
    question_tag,
    question_theme,
)

USED_CHOICES = ("used", "unused")
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
    used: str = ""  # "used": drawn into a contest at least once; "unused": never
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


# SQLite's trigram index (migration 0006) can only look up words of three characters or more.
TRIGRAM = 3
_word_index = table("question_version_fts", column("rowid"))


def _word_index_match(words: list[str]) -> str:
    """An FTS5 query: every word as a quoted substring ('"chi" AND "thi"')."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def search(filters: Filters, use_word_index: bool = False, walk_in_order: bool = False) -> Select:
    """The questions matching every filter; each word of `text` must appear, accents ignored.

    With `use_word_index` on SQLite, words of three characters or more are looked up in the FTS5
    trigram index instead of read from every text: much faster for rare words, slower than
    walking the newest-first index when most of the bank matches (see `search_page`).
    `walk_in_order` is for results known to be large: SQLite is kept from choosing the type,
    level or status index (which makes it read and sort thousands of rows), so it walks the
    sort order and stops after a page.
    """
    query = current_versions()
    sqlite = db.session.get_bind().dialect.name == "sqlite"

    def equals(column, value):
        # coalesce() of a NOT NULL column changes nothing but hides the column from the planner.
        return (func.coalesce(column, "") if walk_in_order and sqlite else column) == value

    words = fold(filters.text).split()
    if use_word_index and sqlite:
        indexed = [word for word in words if len(word) >= TRIGRAM]
        if indexed:
            hits = select(_word_index.c.rowid).where(
                text("question_version_fts MATCH :words").bindparams(
                    words=_word_index_match(indexed)
                )
            )
            query = query.where(QuestionVersion.id.in_(hits))
        words = [word for word in words if len(word) < TRIGRAM]
    for word in words:
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
        query = query.where(equals(QuestionVersion.type, filters.type))
    if filters.level:
        query = query.where(equals(QuestionVersion.level, filters.level))
    if filters.status:
        query = query.where(equals(Question.status, filters.status))
    if filters.author_id:
        query = query.where(Question.author_id == filters.author_id)
    if filters.used in USED_CHOICES:
        drawn = exists().where(QuestionUse.question_id == Question.id)
        query = query.where(drawn if filters.used == "used" else ~drawn)
    return query.order_by(*SORTS.get(filters.sort, SORTS["updated"]))


# A text search counts its matches only up to here: counting every match of a common word reads
# every text in the bank (PostgreSQL's trigram index cannot narrow "chi thi" when 3 in 4
# questions hold it), and nobody pages through more than a thousand results.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Page:
    """One page of (question, version) rows; Flask-SQLAlchemy's pager keeps only one entity.

    When `total_is_exact` is false there are more than `total` matches and the number of pages
    is unknown; `has_next` is still right (one row past the page is fetched to know).
    """

    items: list
    page: int
    per_page: int
    total: int
    total_is_exact: bool = True
    more_after: bool = False

    @property
    def pages(self) -> int:
        known = max(1, -(-self.total // self.per_page))
        return known if self.total_is_exact else max(known, self.page + self.more_after)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.more_after if not self.total_is_exact else self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(
    query: Select, page: int, per_page: int, *, total: int | None = None, at_least: int = 0
) -> Page:
    """A page of `query`'s rows; `total` when it is already known, or `at_least` when the
    matches were counted only that far (then the page count stays open).

    Only question ids are sorted and paged, on the narrow (question, version) join; the page's
    rows are then loaded whole. An OFFSET over whole rows drags thousands of texts through the
    sort only to throw them away (page 400 took 100 ms on PostgreSQL).
    """
    ids_query = query.with_only_columns(Question.id)
    exact = not at_least
    if exact and total is None:
        total = db.session.scalar(
            select(func.count()).select_from(ids_query.order_by(None).subquery())
        )
    total = total if exact else at_least
    if total == 0:
        return Page(items=[], page=1, per_page=per_page, total=0)
    page = max(page, 1)
    if exact:
        page = min(page, -(-total // per_page))
    window = list(db.session.scalars(ids_query.offset((page - 1) * per_page).limit(per_page + 1)))
    if not window:  # past the end of an uncounted result: back to the first page
        return paginate(query, 1, per_page, at_least=at_least)
    more_after, ids = len(window) > per_page, window[:per_page]
    rows = db.session.execute(query.where(Question.id.in_(ids)).order_by(None)).all()
    position = {question_id: index for index, question_id in enumerate(ids)}
    rows.sort(key=lambda row: position[row[0].id])
    return Page(
        items=rows,
        page=page,
        per_page=per_page,
        total=total,
        total_is_exact=exact,
        more_after=more_after,
    )


def search_page(filters: Filters, page: int, per_page: int, options=()) -> Page:
    """The list page's search: a page of matches, counted exactly up to COUNT_CAP.

    Filters alone are counted exactly (indexes do that). A text search first counts its matches
    up to the cap, through the word index, without sorting. Few matches: the index's hits are
    sorted. Many: the newest-first walk over the bank finds a page of them in a few rows, which
    beats sorting thousands of hits (measured in bench/question_search.py).
    """
    if not fold(filters.text):
        return paginate(search(filters).options(*options), page, per_page)
    indexed = search(filters, use_word_index=True).options(*options)
    found = db.session.scalar(
        select(func.count()).select_from(
            indexed.with_only_columns(Question.id).order_by(None).limit(COUNT_CAP + 1).subquery()
        )
    )
    if found <= COUNT_CAP:
        return paginate(indexed, page, per_page, total=found)
    walk = search(filters, walk_in_order=True).options(*options)
    return paginate(walk, page, per_page, at_least=COUNT_CAP)
