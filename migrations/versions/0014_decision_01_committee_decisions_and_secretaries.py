"""The committee's decision on an assessment, a state "decided", and committee secretaries with their committees

Revision ID: decision_01
Revises: review_02
Create Date: 2026-11-30 02:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'decision_01'
down_revision = 'review_02'
branch_labels = None
depends_on = None

STATES = ('draft', 'submitted', 'returned', 'approved', 'withdrawn', 'archived')
ROLES = ('case_officer', 'reviewer', 'auditor', 'admin')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _assessment_checks(batch_op, states, reviewed, submitted):
    """Replace the CHECK constraints that name the states of an assessment (on SQLite, by rebuilding the table;
    migrations/env.py turns off foreign keys while a migration runs there, so the rows that point at it stay)."""
    for name in ('assessment_status', 'submitted_has_time', 'approved_has_decision'):
        batch_op.drop_constraint(op.f(f'ck_assessments_{name}'), type_='check')
    batch_op.create_check_constraint(op.f('ck_assessments_assessment_status'), _in('status', states))
    batch_op.create_check_constraint(
        op.f('ck_assessments_submitted_has_time'), f"status NOT IN ({', '.join(map(repr, submitted))}) OR submitted_at IS NOT NULL"
    )
    batch_op.create_check_constraint(
        op.f('ck_assessments_approved_has_decision'),
        f"status NOT IN ({', '.join(map(repr, reviewed))}) OR (decided_at IS NOT NULL AND decided_by_id IS NOT NULL)",
    )


def _role_check(table, name, roles, length):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch_op.alter_column('role', existing_type=sa.String(), type_=sa.String(length=length))
        batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'), _in('role', roles))


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        _assessment_checks(
            batch_op,
            (*STATES, 'decided'),
            reviewed=('approved', 'decided', 'archived'),
            submitted=('submitted', 'approved', 'decided', 'archived'),
        )
    _role_check('user_roles', 'role', (*ROLES, 'committee_secretary'), 19)
    _role_check('group_rules', 'group_rule_role', (*ROLES, 'committee_secretary'), 19)

    op.create_table('user_committees',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_committees_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'committee', name=op.f('pk_user_committees'))
    )
    op.create_table('committee_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=200), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('paragraph', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.Enum('approved', 'approved_with_changes', 'rejected', 'referred_back', 'postponed', name='committee_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('analysis_changed', sa.Boolean(), nullable=False),
    sa.Column('analysis_change', sa.Text(), server_default='', nullable=False),
    sa.Column('minutes_reference', sa.String(length=500), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_committee_decisions_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_committee_decisions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_decisions')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_committee_decisions_assessment_id'))
    )
    with op.batch_alter_table('committee_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_decisions_committee'), ['committee'], unique=False)
        batch_op.create_index(batch_op.f('ix_committee_decisions_meeting_date'), ['meeting_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_committee_decisions_outcome'), ['outcome'], unique=False)


def downgrade():
    # A decided assessment goes back to approved (its decision is dropped with the table); secretaries lose the role.
    op.execute("UPDATE assessments SET status = 'approved' WHERE status = 'decided'")
    op.execute("DELETE FROM user_roles WHERE role = 'committee_secretary'")
    op.execute("DELETE FROM group_rules WHERE role = 'committee_secretary'")
    op.drop_table('committee_decisions')
    op.drop_table('user_committees')
    _role_check('group_rules', 'group_rule_role', ROLES, 12)
    _role_check('user_roles', 'role', ROLES, 12)
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        _assessment_checks(
            batch_op,
            STATES,
            reviewed=('approved', 'archived'),
            submitted=('submitted', 'approved', 'archived'),
        )
