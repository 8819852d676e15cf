"""The dashboard's follow-up figures from the summary tables: answers and assessments with an actual impact
recorded, and those where it is the predicted one

``assessment_counts`` gains the columns ``recorded`` and ``held``; ``impact_counts`` and ``impact_totals`` gain
rows of the classes "recorded" and "held" (no schema change: the class is a column). Where there is data, every
summary table is recounted once from the base tables with the app's own definitions
(``impact.reports.derived.rebuild_all``): the actual impacts already recorded, and any recount an earlier migration
left to this one because the definitions read columns added since (perf_03). On an empty database (a new
installation, the tests) there is nothing to count and the app's code is not used.

Revision ID: perf_04
Revises: voices_01
Create Date: 2026-11-30 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'perf_04'
down_revision = 'voices_01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessment_counts") as batch_op:
        batch_op.add_column(sa.Column("recorded", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("held", sa.Integer(), server_default="0", nullable=False))
    from impact.reports.derived import recount_in_migration

    recount_in_migration(op.get_bind())


def downgrade():
    op.execute(sa.text("DELETE FROM impact_counts WHERE klass IN ('recorded', 'held')"))
    op.execute(sa.text("DELETE FROM impact_totals WHERE klass IN ('recorded', 'held')"))
    with op.batch_alter_table("assessment_counts") as batch_op:
        batch_op.drop_column("held")
        batch_op.drop_column("recorded")
