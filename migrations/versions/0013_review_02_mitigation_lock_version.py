"""Mitigations carry a version, so two people following one up cannot overwrite each other without knowing it

Revision ID: review_02
Revises: auth_04
Create Date: 2026-11-29 23:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'review_02'
down_revision = 'auth_04'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN on both databases (SQLite 3.35+): a batch rebuild of the table on SQLite would drop and
    # recreate it under rows that point at it. Every existing row starts at version 1.
    op.add_column('mitigations', sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    op.drop_column('mitigations', 'lock_version')
