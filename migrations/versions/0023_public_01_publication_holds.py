"""The public register: assessments a reviewer keeps unpublished, with the reason, who and when

Revision ID: public_01
Revises: voices_03
Create Date: 2026-11-30 08:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "public_01"
down_revision = "voices_03"
branch_labels = None
depends_on = None


def upgrade():
    # Publication follows from the state (approved or decided) unless a row here keeps the assessment back.
    op.create_table(
        "publication_holds",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("held_by_id", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("reason <> ''", name=op.f("ck_publication_holds_reason_given")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_publication_holds_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["held_by_id"], ["users.id"], name=op.f("fk_publication_holds_held_by_id_users")),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_publication_holds")),
    )
    with op.batch_alter_table("publication_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_holds_held_by_id"), ["held_by_id"], unique=False)


def downgrade():
    with op.batch_alter_table("publication_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_holds_held_by_id"))
    op.drop_table("publication_holds")
