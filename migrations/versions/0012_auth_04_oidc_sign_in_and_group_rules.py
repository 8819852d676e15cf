"""Sign in with the municipality's account (OpenID Connect); roles, department and remit from its groups

Revision ID: auth_04
Revises: perf_03
Create Date: 2026-11-29 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'auth_04'
down_revision = 'perf_03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.Enum('role', 'department', 'municipality_wide', name='group_rule_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('role', sa.Enum('case_officer', 'reviewer', 'auditor', 'admin', name='group_rule_role', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(kind = 'role' AND role IS NOT NULL AND department_id IS NULL) OR (kind = 'department' AND department_id IS NOT NULL AND role IS NULL) OR (kind = 'municipality_wide' AND role IS NULL AND department_id IS NULL)", name=op.f('ck_group_rules_target_matches_kind')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_group_rules_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_rules'))
    )
    with op.batch_alter_table('group_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_rules_group'), ['group'], unique=False)

    # Every role held so far was granted by an admin.
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Enum('manual', 'group', name='role_source', native_enum=False, create_constraint=True), server_default='manual', nullable=False))

    # Plain ALTER TABLE rather than a batch: on SQLite a batch rebuilds ``users``, which the other tables' foreign
    # keys refer to, and the rebuild fails on a database that has data.
    op.add_column('users', sa.Column('oidc_subject', sa.String(length=255), nullable=True))
    op.add_column('users', sa.Column('oidc_link_allowed', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('users', sa.Column('municipality_wide_from_groups', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index(op.f('ix_users_oidc_subject'), 'users', ['oidc_subject'], unique=True)


def downgrade():
    op.drop_index(op.f('ix_users_oidc_subject'), table_name='users')
    op.drop_column('users', 'municipality_wide_from_groups')
    op.drop_column('users', 'oidc_link_allowed')
    op.drop_column('users', 'oidc_subject')

    # SQLite rebuilds the table: the column's CHECK constraint must go first, or the copy still names the column.
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_roles_role_source'), type_='check')
        batch_op.drop_column('source')

    with op.batch_alter_table('group_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_rules_group'))

    op.drop_table('group_rules')
