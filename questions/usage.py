"""Where questions were used, and how they fared: written by contests, read by the bank.

Contests call `record_use` when they pin the versions they drew, and online rounds call
`record_statistics` when they close. Both are safe to repeat (unique on version and place).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from contest.database import upsert_insert, utcnow
from contest.extensions import db
from questions.models import Question, QuestionStat, QuestionUse, QuestionVersion, Status
from questions.search import Filters, search


def record_use(versions: Iterable[QuestionVersion], used_in: str, label: str = "") -> int:
    """Note that `versions` were drawn into `used_in` ("round:12"); returns how many were new.

    Many attempts of a round start at once and draw overlapping questions. The missing rows go
    in as one INSERT … ON CONFLICT DO NOTHING, in version order: concurrent transactions then
    take the unique index's locks in the same order and wait for each other instead of
    deadlocking (seen on PostgreSQL with 1,000 simultaneous starts, bench/online_round.py).
    """
    by_id = {version.id: version for version in versions}
    if not by_id:
        return 0
    known = set(
        db.session.scalars(
            select(QuestionUse.version_id).where(
                QuestionUse.used_in == used_in, QuestionUse.version_id.in_(list(by_id))
            )
        )
    )
    rows = [
        {
            "question_id": by_id[version_id].question_id,
            "version_id": version_id,
            "used_in": used_in,
            "label": label,
            "used_at": utcnow(),
        }
        for version_id in sorted(by_id)
        if version_id not in known
    ]
    if not rows:
        return 0
    statement = upsert_insert(QuestionUse.__table__, db.session.get_bind().dialect.name)
    statement = statement.values(rows)
    statement = statement.on_conflict_do_nothing(index_elements=["version_id", "used_in"])
    # RETURNING names only the rows this call inserted (rowcount is -1 here on psycopg).
    return len(db.session.execute(statement.returning(QuestionUse.id)).all())


def record_statistics(
    version: QuestionVersion,
    used_in: str,
    answered: int,
    correct: int,
    discrimination: float | None,
) -> QuestionStat:
    """Write (or overwrite, when a round is closed again) how `version` fared in `used_in`."""
    stat = db.session.scalar(
        select(QuestionStat).where(
            QuestionStat.version_id == version.id, QuestionStat.used_in == used_in
        )
    )
    if stat is None:
        stat = QuestionStat(question_id=version.question_id, version_id=version.id, used_in=used_in)
        db.session.add(stat)
    stat.answered, stat.correct, stat.discrimination = answered, correct, discrimination
    db.session.flush()
    return stat


def never_used(limit: int = 20) -> tuple[int, list]:
    """Approved questions no contest has drawn yet: how many, and the oldest `limit` of them."""
    query = search(Filters(status=Status.APPROVED.value, used="unused", sort="oldest"))
    total = db.session.scalar(
        select(func.count()).select_from(query.with_only_columns(Question.id).subquery())
    )
    return total, db.session.execute(query.limit(limit)).all()


def statistics(limit: int = 20) -> list:
    """(stat, question, version) rows, the hardest first: the smallest share answered correctly."""
    share = QuestionStat.correct * 1.0 / func.nullif(QuestionStat.answered, 0)
    query = (
        select(QuestionStat, Question, QuestionVersion)
        .join(Question, Question.id == QuestionStat.question_id)
        .join(QuestionVersion, QuestionVersion.id == QuestionStat.version_id)
        .where(QuestionStat.answered > 0)
        .order_by(share, QuestionStat.id)
        .limit(limit)
    )
    return db.session.execute(query).all()
