"""search indexes: newest-first browsing, and trigram word search on PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 06:00:00.000000

Measured by bench/question_search.py (figures in bench/RESULTS.md).

- question (updated_at, id): the list's default order. Without it every page sorts the whole
  bank; with it the first page reads 25 index entries.
- question_version.search_text: a GIN trigram index on PostgreSQL, which answers
  `search_text LIKE '%word%'` without reading every version. SQLite has no index that helps a
  LIKE with a leading '%', so there the index is an empty partial index (WHERE 0): it costs
  nothing, and it keeps the schema identical to the model on both databases. A plain B-tree on
  the text would have grown a 20,000-question SQLite file by about half for no gain, and on
  PostgreSQL it would refuse texts longer than about 2.7 kB.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_question_updated_at_id', 'question', ['updated_at', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # A trusted extension since PostgreSQL 13: the database owner may create it.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_index(
        'ix_question_version_search_text',
        'question_version',
        ['search_text'],
        unique=False,
        postgresql_using='gin',
        postgresql_ops={'search_text': 'gin_trgm_ops'},
        sqlite_where=sa.false(),
    )


def downgrade():
    op.drop_index('ix_question_version_search_text', table_name='question_version')
    op.drop_index('ix_question_updated_at_id', table_name='question')
    # pg_trgm stays: other objects in the database may have come to rely on it.
