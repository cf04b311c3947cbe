"""Where questions were used, and how they fared: written by contests, read by the bank.

Contests call `record_use` when they pin the versions they drew, and online rounds call
`record_statistics` when they close. Both are safe to repeat (unique on version and place).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from contest.extensions import db
from questions.models import Question, QuestionStat, QuestionUse, QuestionVersion, Status
from questions.search import Filters, search


def record_use(versions: Iterable[QuestionVersion], used_in: str, label: str = "") -> int:
    """Note that `versions` were drawn into `used_in` ("round:12"); returns how many were new."""
    versions = list(versions)
    known = set(
        db.session.scalars(
            select(QuestionUse.version_id).where(
                QuestionUse.used_in == used_in,
                QuestionUse.version_id.in_([version.id for version in versions]),
            )
        )
    )
    added = 0
    for version in versions:
        if version.id in known:
            continue
        known.add(version.id)
        try:
            # Another process may record the same draw at the same moment: the unique
            # constraint decides, and losing that race is not an error.
            with db.session.begin_nested():
                db.session.add(
                    QuestionUse(
                        question_id=version.question_id,
                        version_id=version.id,
                        used_in=used_in,
                        label=label,
                    )
                )
            added += 1
        except IntegrityError:
            pass
    return added


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
