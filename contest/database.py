"""Column types and connection settings shared by every domain package."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import DateTime, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def upsert_insert(table, dialect: str):
    """INSERT for `dialect` ("postgresql" or "sqlite"), with the ON CONFLICT clauses both share:
    the writes that can race are upserts, and SQLAlchemy spells them per database."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class UTCDateTime(TypeDecorator):
    """Stores UTC, hands back aware datetimes on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    """WAL lets readers work while a writer commits; the busy timeout waits instead of failing."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Reads of a large bank come from the mapped file, not copied through SQLite's small cache.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


@event.listens_for(Engine, "savepoint")
def _savepoint_inside_a_transaction(conn, _name):
    """On SQLite, open the transaction a savepoint belongs to before the SAVEPOINT itself.

    Python's sqlite3 driver begins a transaction only before its first INSERT/UPDATE/DELETE. A
    SAVEPOINT sent first then starts a transaction of its own, and releasing it COMMITS: the
    rows written "inside" `session.begin_nested()` would stay even if the outer transaction
    rolled back (an attempt without its questions). PostgreSQL always has the transaction.
    """
    dbapi_connection = conn.connection.dbapi_connection
    if isinstance(dbapi_connection, sqlite3.Connection) and not dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")


# Tables the migrations create by hand because SQLAlchemy cannot describe them: SQLite's FTS5
# word index and its shadow tables (migration 0006). Autogenerate must not drop them.
UNMODELLED_TABLE_PREFIXES = ("question_version_fts",)


def include_name(name, type_, parent_names) -> bool:
    """Alembic's filter: leave the hand-made tables above out of model comparisons."""
    return not (type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIXES))
