"""The notice of combined effects reads a derived table: per assessment in force, each ground its relevant answer
was negative on and each district and area its proposal names, with the moment it was approved; filled from the
assessments already there with every other summary table, which earlier migrations leave to this one once their
definitions read a table they do not yet have

Revision ID: cumulative_01
Revises: figures_01
Create Date: 2026-11-30 15:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "cumulative_01"
down_revision = "figures_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "negative_impacts",
        sa.Column("ground_key", sa.String(length=40), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place_kind", sa.String(length=8), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "ground_key", "decided_at", "place_kind", "place_id", "assessment_id", name=op.f("pk_negative_impacts")
        ),
    )
    from impact.reports.derived import recount_in_migration

    recount_in_migration(op.get_bind())


def downgrade():
    op.drop_table("negative_impacts")
