"""Indexes for the assessment list's keyset pages and the dashboard's impact summary table.

Revision ID: perf_01
Revises: api_01
"""

import sqlalchemy as sa
from alembic import op

revision = "perf_01"
down_revision = "api_01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_updated_id", ["updated_at", "id"], unique=False)
        batch_op.create_index("ix_assessments_created_id", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_assessments_title_id", ["title", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_title_id")
        batch_op.drop_index("ix_assessments_created_id")
        batch_op.drop_index("ix_assessments_updated_id")
