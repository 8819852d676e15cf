"""Involvement and dialogue: who was heard about a proposal (consultations), why nobody was, the national minorities,
an admin-kept list of kinds of group, and reviewers' comments on the step

Revision ID: voices_01
Revises: decision_02
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'voices_01'
down_revision = 'decision_02'
branch_labels = None
depends_on = None

SECTIONS = ('proposal', 'screening', 'conclusion', 'overall')

# The kinds of group first offered (admins change the list); (Swedish, English).
GROUP_KINDS = (
    ('Ungdomsrådet', 'The youth council'),
    ('Pensionärsrådet', "The pensioners' council"),
    ('Rådet för funktionshinderfrågor', 'The disability council'),
    ('Sverigefinsk förening', 'A Sweden Finnish association'),
    ('Boende i en kommundel', 'Residents of a district'),
    ('Brukare av en verksamhet', 'Users of a service'),
    ('Förening eller organisation', 'An association or organisation'),
    ('Personal', 'Staff'),
)


def _section_check(sections, length):
    # On SQLite by rebuilding review_comments; migrations/env.py turns off foreign keys while a migration runs.
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_review_comments_review_section'), type_='check')
        batch_op.alter_column('section', existing_type=sa.String(), type_=sa.String(length=length))
        batch_op.create_check_constraint(
            op.f('ck_review_comments_review_section'), f"section IN ({', '.join(map(repr, sections))})"
        )


def upgrade():
    # Existing assessments get no involvement row: they were started before the step existed, so it is not
    # required of them (Assessment.asks_involvement). Nothing in the existing tables changes but the CHECK on the
    # reviewers' sections, which now allows comments on the step.
    group_kinds = op.create_table('group_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_sv', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), server_default='', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_kinds')),
    sa.UniqueConstraint('name_sv', name=op.f('uq_group_kinds_name_sv'))
    )
    op.bulk_insert(group_kinds, [{'name_sv': sv, 'name_en': en, 'active': True} for sv, en in GROUP_KINDS])
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('group_kind_id', sa.Integer(), nullable=True),
    sa.Column('group_name', sa.String(length=300), server_default='', nullable=False),
    sa.Column('method', sa.Enum('meeting', 'survey', 'walk_through', 'focus_group', 'digital', 'other', name='consultation_method', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('views', sa.Text(), server_default='', nullable=False),
    sa.Column('changes_made', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('participants IS NULL OR participants >= 0', name=op.f('ck_consultations_participants_not_negative')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_consultations_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_kind_id'], ['group_kinds.id'], name=op.f('fk_consultations_group_kind_id_group_kinds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_group_kind_id'), ['group_kind_id'], unique=False)

    op.create_table('involvements',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('no_consultation_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('national_minority', sa.Enum('yes', 'no', 'unknown', name='minority_answer', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('minorities', sa.JSON(), nullable=False),
    sa.Column('minority_consulted', sa.Boolean(), nullable=True),
    sa.Column('minority_not_consulted_reason', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_involvements_assessment_id_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_involvements'))
    )
    _section_check((*SECTIONS, 'involvement'), 11)


def downgrade():
    # Comments on the step would break the old CHECK; they go with it (the audit trail keeps their text).
    op.execute("DELETE FROM review_comments WHERE section = 'involvement'")
    _section_check(SECTIONS, 10)
    op.drop_table('involvements')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_group_kind_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_assessment_id'))

    op.drop_table('consultations')
    op.drop_table('group_kinds')
