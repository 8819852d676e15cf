"""Full-text search over assessments: the search index (a generated tsvector with a GIN index on PostgreSQL, an FTS5
table on SQLite), filled from the assessments already there

Revision ID: search_01
Revises: public_01
Create Date: 2026-11-30 12:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "search_01"
down_revision = "public_01"
branch_labels = None
depends_on = None


def upgrade():
    from impact.assessments.search import index, schema

    connection = op.get_bind()
    for statement in schema.create_statements(connection.dialect.name):
        op.execute(statement)
    index.rebuild(connection)


def downgrade():
    from impact.assessments.search import schema

    for statement in schema.DROP:
        op.execute(statement)
