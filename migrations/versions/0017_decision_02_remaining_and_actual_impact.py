"""The impact that remains after the mitigations, and the actual impact recorded at follow-up, per ground

Revision ID: decision_02
Revises: jobs_01
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'decision_02'
down_revision = 'jobs_01'
branch_labels = None
depends_on = None

IMPACTS = ('significantly_negative', 'negative', 'neutral', 'positive', 'significantly_positive', 'cannot_assess')


def _add_impact_column(name: str) -> None:
    # Plain ADD COLUMN, not a batch copy: on SQLite a copy of ground_answers would drop the table under the
    # mitigations and districts that cascade from it. The same scale as the impact column, with its CHECK.
    if op.get_bind().dialect.name == 'sqlite':
        # Alembic leaves out the enum's CHECK constraint from SQLite's ADD COLUMN; SQLite accepts it on the column.
        values = ', '.join(f"'{value}'" for value in IMPACTS)
        op.execute(
            f"ALTER TABLE ground_answers ADD COLUMN {name} VARCHAR(22) "
            f"CONSTRAINT ck_ground_answers_{name} CHECK ({name} IN ({values}))"
        )
    else:
        op.add_column('ground_answers', sa.Column(
            name, sa.Enum(*IMPACTS, name=name, native_enum=False, create_constraint=True), nullable=True
        ))


def upgrade():
    # Existing answers are untouched: no remaining or actual impact until someone gives one.
    _add_impact_column('remaining_impact')
    _add_impact_column('actual_impact')
    op.add_column('ground_answers', sa.Column('actual_comment', sa.Text(), server_default='', nullable=False))
    op.add_column('ground_answers', sa.Column('actual_recorded_at', sa.DateTime(timezone=True), nullable=True))
    # Template versions published before this change do not ask for the remaining impact, so their drafts can still
    # be submitted as they are; versions made from now on do (the model's default).
    op.add_column('template_versions', sa.Column(
        'asks_remaining_impact', sa.Boolean(), server_default=sa.false(), nullable=False
    ))


def downgrade():
    op.drop_column('template_versions', 'asks_remaining_impact')
    op.drop_column('ground_answers', 'actual_recorded_at')
    op.drop_column('ground_answers', 'actual_comment')
    # Plain DROP COLUMN (SQLite 3.35 or later); each CHECK constraint goes with its column.
    op.drop_column('ground_answers', 'actual_impact')
    op.drop_column('ground_answers', 'remaining_impact')
