"""Foundation schema: organisation, users, grounds, assessments, audit trail, settings

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 02:32:49.375563

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('committee', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('code', name=op.f('uq_departments_code')),
    sa.UniqueConstraint('name', name=op.f('uq_departments_name'))
    )
    op.create_table('districts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_districts')),
    sa.UniqueConstraint('name', name=op.f('uq_districts_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('municipality_wide', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_users_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_department_id'), ['department_id'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('template_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'retired', name='template_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_template_versions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_versions')),
    sa.UniqueConstraint('number', name=op.f('uq_template_versions_number'))
    )
    op.create_table('user_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('case_officer', 'reviewer', 'auditor', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_roles'))
    )
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_version_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'approved', 'withdrawn', 'archived', name='assessment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amends_id', sa.Integer(), nullable=True),
    sa.Column('version_number', sa.Integer(), server_default='1', nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=False),
    sa.Column('committee', sa.String(length=200), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('concerns', sa.Text(), nullable=False),
    sa.Column('whole_municipality', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('affects_people', sa.Boolean(), nullable=True),
    sa.Column('screening_reason', sa.Text(), nullable=False),
    sa.Column('overall_assessment', sa.Text(), nullable=False),
    sa.Column('combined_effects', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.Column('follow_up_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("status NOT IN ('approved', 'archived') OR (decided_at IS NOT NULL AND decided_by_id IS NOT NULL)", name=op.f('ck_assessments_approved_has_decision')),
    sa.CheckConstraint("status NOT IN ('submitted', 'approved', 'archived') OR submitted_at IS NOT NULL", name=op.f('ck_assessments_submitted_has_time')),
    sa.ForeignKeyConstraint(['amends_id'], ['assessments.id'], name=op.f('fk_assessments_amends_id_assessments')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assessments_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_assessments_decided_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_assessments_department_id_departments')),
    sa.ForeignKeyConstraint(['template_version_id'], ['template_versions.id'], name=op.f('fk_assessments_template_version_id_template_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_amends_id'), ['amends_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_case_number'), ['case_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_assessments_department_status', ['department_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_status'), ['status'], unique=False)

    op.create_table('grounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_sv', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('guidance_sv', sa.Text(), nullable=False),
    sa.Column('guidance_en', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['template_version_id'], ['template_versions.id'], name=op.f('fk_grounds_template_version_id_template_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grounds')),
    sa.UniqueConstraint('template_version_id', 'key', name=op.f('uq_grounds_template_version_id_key'))
    )
    with op.batch_alter_table('grounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grounds_template_version_id'), ['template_version_id'], unique=False)

    op.create_table('assessment_authors',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_authors_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assessment_authors_user_id_users')),
    sa.PrimaryKeyConstraint('assessment_id', 'user_id', name=op.f('pk_assessment_authors'))
    )
    with op.batch_alter_table('assessment_authors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_authors_user_id'), ['user_id'], unique=False)

    op.create_table('assessment_districts',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_districts_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_assessment_districts_district_id_districts')),
    sa.PrimaryKeyConstraint('assessment_id', 'district_id', name=op.f('pk_assessment_districts'))
    )
    with op.batch_alter_table('assessment_districts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_districts_district_id'), ['district_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_audit_events_assessment_id_assessments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash')),
    sa.UniqueConstraint('prev_hash', name=op.f('uq_audit_events_prev_hash'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('ground_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('ground_id', sa.Integer(), nullable=False),
    sa.Column('relevant', sa.Boolean(), nullable=True),
    sa.Column('not_relevant_reason', sa.Text(), nullable=False),
    sa.Column('impact', sa.Enum('significantly_negative', 'negative', 'neutral', 'positive', 'significantly_positive', 'cannot_assess', name='impact', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('missing_information', sa.Text(), nullable=False),
    sa.Column('affected_groups', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('evidence_links', sa.Text(), nullable=False),
    sa.Column('confidence', sa.Enum('low', 'medium', 'high', name='confidence', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('district_notes', sa.Text(), nullable=False),
    sa.Column('acceptance_justification', sa.Text(), nullable=False),
    sa.Column('actual_outcome', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_ground_answers_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ground_id'], ['grounds.id'], name=op.f('fk_ground_answers_ground_id_grounds')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_ground_answers_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ground_answers')),
    sa.UniqueConstraint('assessment_id', 'ground_id', name=op.f('uq_ground_answers_assessment_id_ground_id'))
    )
    with op.batch_alter_table('ground_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ground_answers_ground_id'), ['ground_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ground_answers_impact'), ['impact'], unique=False)

    op.create_table('guiding_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ground_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text_sv', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['ground_id'], ['grounds.id'], name=op.f('fk_guiding_questions_ground_id_grounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guiding_questions'))
    )
    with op.batch_alter_table('guiding_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guiding_questions_ground_id'), ['ground_id'], unique=False)

    op.create_table('ground_answer_districts',
    sa.Column('ground_answer_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_ground_answer_districts_district_id_districts')),
    sa.ForeignKeyConstraint(['ground_answer_id'], ['ground_answers.id'], name=op.f('fk_ground_answer_districts_ground_answer_id_ground_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ground_answer_id', 'district_id', name=op.f('pk_ground_answer_districts'))
    )
    with op.batch_alter_table('ground_answer_districts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ground_answer_districts_district_id'), ['district_id'], unique=False)

    op.create_table('mitigations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ground_answer_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'done', 'dropped', name='mitigation_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('dropped_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('outcome', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'dropped' OR dropped_reason <> ''", name=op.f('ck_mitigations_dropped_has_reason')),
    sa.ForeignKeyConstraint(['ground_answer_id'], ['ground_answers.id'], name=op.f('fk_mitigations_ground_answer_id_ground_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_mitigations_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mitigations'))
    )
    with op.batch_alter_table('mitigations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mitigations_ground_answer_id'), ['ground_answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mitigations_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_mitigations_status_due', ['status', 'due_date'], unique=False)



def downgrade():
    with op.batch_alter_table('mitigations', schema=None) as batch_op:
        batch_op.drop_index('ix_mitigations_status_due')
        batch_op.drop_index(batch_op.f('ix_mitigations_owner_id'))
        batch_op.drop_index(batch_op.f('ix_mitigations_ground_answer_id'))

    op.drop_table('mitigations')
    with op.batch_alter_table('ground_answer_districts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ground_answer_districts_district_id'))

    op.drop_table('ground_answer_districts')
    with op.batch_alter_table('guiding_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guiding_questions_ground_id'))

    op.drop_table('guiding_questions')
    with op.batch_alter_table('ground_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ground_answers_impact'))
        batch_op.drop_index(batch_op.f('ix_ground_answers_ground_id'))

    op.drop_table('ground_answers')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('assessment_districts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_districts_district_id'))

    op.drop_table('assessment_districts')
    with op.batch_alter_table('assessment_authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_authors_user_id'))

    op.drop_table('assessment_authors')
    with op.batch_alter_table('grounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grounds_template_version_id'))

    op.drop_table('grounds')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_status'))
        batch_op.drop_index('ix_assessments_department_status')
        batch_op.drop_index(batch_op.f('ix_assessments_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_created_at'))
        batch_op.drop_index(batch_op.f('ix_assessments_case_number'))
        batch_op.drop_index(batch_op.f('ix_assessments_amends_id'))

    op.drop_table('assessments')
    op.drop_table('user_roles')
    op.drop_table('template_versions')
    op.drop_table('settings')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_department_id'))

    op.drop_table('users')
    op.drop_table('districts')
    op.drop_table('departments')
