"""Transactions behave the same on SQLite and PostgreSQL: a savepoint never commits on its own."""

from sqlalchemy import func, select

from contest.extensions import db
from questions.models import Tag


def test_a_savepoint_first_in_a_transaction_is_rolled_back_with_it(app):
    # Races are settled with savepoints (record_use, starting an attempt, saving an answer):
    # on SQLite a savepoint opened before any write used to commit when released.
    with db.session.begin_nested():
        db.session.add(Tag(name="trong-savepoint"))
    db.session.add(Tag(name="sau-savepoint"))
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 0
