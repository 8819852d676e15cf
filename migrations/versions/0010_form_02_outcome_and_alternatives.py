"""The outcome of the assessment, with what was adjusted or why continuing is justified, and the alternatives considered

Revision ID: form_02
Revises: auth_02
Create Date: 2026-11-29 22:27:49.672901

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'form_02'
down_revision = 'auth_02'
branch_labels = None
depends_on = None


def upgrade():
    # Existing assessments keep no outcome: drafts choose one on the conclusion page before they are submitted;
    # those already submitted or approved were decided without it and show none.
    op.create_table('alternatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('effects', sa.Text(), server_default='', nullable=False),
    sa.Column('why_not_chosen', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_alternatives_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alternatives'))
    )
    with op.batch_alter_table('alternatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alternatives_assessment_id'), ['assessment_id'], unique=False)

    # Plain ADD COLUMN, not a batch copy: SQLite would copy the assessments table and drop the old one, and with
    # foreign keys on, dropping it deletes every row that cascades from it (answers, authors, districts).
    if op.get_bind().dialect.name == 'sqlite':
        # Alembic leaves out the enum's CHECK constraint from SQLite's ADD COLUMN; SQLite accepts it on the column.
        op.execute(
            "ALTER TABLE assessments ADD COLUMN analysis_outcome VARCHAR(16) CONSTRAINT ck_assessments_analysis_outcome "
            "CHECK (analysis_outcome IN ('no_major_change', 'adjust', 'continue_despite', 'stop'))"
        )
    else:
        op.add_column('assessments', sa.Column('analysis_outcome', sa.Enum('no_major_change', 'adjust', 'continue_despite', 'stop', name='analysis_outcome', native_enum=False, create_constraint=True), nullable=True))
    op.add_column('assessments', sa.Column('adjustments', sa.Text(), server_default='', nullable=False))
    op.add_column('assessments', sa.Column('outcome_justification', sa.Text(), server_default='', nullable=False))
    op.create_index(op.f('ix_assessments_analysis_outcome'), 'assessments', ['analysis_outcome'], unique=False)


def downgrade():
    # Plain DROP COLUMN for the same reason (SQLite 3.35 or later).
    op.drop_index(op.f('ix_assessments_analysis_outcome'), table_name='assessments')
    op.drop_column('assessments', 'outcome_justification')
    op.drop_column('assessments', 'adjustments')
    # Its CHECK constraint goes first: once a later migration has rebuilt the table (decision_01 on SQLite), the
    # constraint is the table's, and SQLite refuses to drop a column a table CHECK names.
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_assessments_analysis_outcome'), type_='check')
        batch_op.drop_column('analysis_outcome')

    with op.batch_alter_table('alternatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alternatives_assessment_id'))

    op.drop_table('alternatives')
