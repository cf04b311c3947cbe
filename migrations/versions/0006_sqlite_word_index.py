"""word index for search on SQLite: an FTS5 trigram table over question_version.search_text

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 07:00:00.000000

SQLite has no ordinary index that answers `LIKE '%word%'`, so a search for a rare word read all
20,000 texts (20–55 ms, bench/question_search.py). An FTS5 table with the trigram tokenizer
answers the same substring question from an index. It is an external-content table: it stores
only the index, the text stays in question_version, and triggers keep the two in step (versions
are never updated, only inserted and, with their question, deleted). PostgreSQL already has its
GIN trigram index from 0005, so nothing happens there.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'sqlite':
        return
    op.execute(
        "CREATE VIRTUAL TABLE question_version_fts USING fts5("
        "search_text, content='question_version', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER question_version_fts_insert AFTER INSERT ON question_version BEGIN "
        "INSERT INTO question_version_fts(rowid, search_text) VALUES (new.id, new.search_text); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER question_version_fts_delete AFTER DELETE ON question_version BEGIN "
        "INSERT INTO question_version_fts(question_version_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute("INSERT INTO question_version_fts(question_version_fts) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        return
    op.execute("DROP TRIGGER IF EXISTS question_version_fts_delete")
    op.execute("DROP TRIGGER IF EXISTS question_version_fts_insert")
    op.execute("DROP TABLE IF EXISTS question_version_fts")
