"""The committees' lists of cases, imported from the case-management system, for coverage

Revision ID: coverage_01
Revises: decision_01
Create Date: 2026-11-30 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'coverage_01'
down_revision = 'decision_01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('committee_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('committee', sa.String(length=200), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_committee_cases_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_cases')),
    sa.UniqueConstraint('committee', 'meeting_date', 'case_number', name=op.f('uq_committee_cases_committee_meeting_date_case_number'))
    )
    with op.batch_alter_table('committee_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_cases_case_number'), ['case_number'], unique=False)
        batch_op.create_index('ix_committee_cases_committee_meeting', ['committee', 'meeting_date'], unique=False)


def downgrade():
    with op.batch_alter_table('committee_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_committee_cases_committee_meeting')
        batch_op.drop_index(batch_op.f('ix_committee_cases_case_number'))

    op.drop_table('committee_cases')
