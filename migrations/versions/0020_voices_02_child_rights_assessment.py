"""The child-rights assessment (prövning av barnets bästa): whether a proposal concerns children, asked at the
screening, and the step's answers; one row per right of the Convention concerned; reviewers' comments on the step

Revision ID: voices_02
Revises: perf_04
Create Date: 2026-11-30 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "voices_02"
down_revision = "perf_04"
branch_labels = None
depends_on = None

SECTIONS = ("proposal", "screening", "involvement", "conclusion", "overall")
TEXTS = (
    "children",
    "districts_note",
    "heard_how",
    "not_heard_reason",
    "children_views",
    "knowledge",
    "conflicts",
    "child_alternatives",
    "conclusion",
    "against_reasons",
    "compensating_measures",
    "feedback",
)


def _section_check(sections, length):
    # On SQLite by rebuilding review_comments; migrations/env.py turns off foreign keys while a migration runs.
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_comments_review_section"), type_="check")
        batch_op.alter_column("section", existing_type=sa.String(), type_=sa.String(length=length))
        batch_op.create_check_constraint(
            op.f("ck_review_comments_review_section"), f"section IN ({', '.join(map(repr, sections))})"
        )


def upgrade():
    # Existing assessments get no child_rights row: they were started before the step existed, so neither the
    # screening question nor the step is required of them (Assessment.asks_child_rights).
    op.create_table(
        "child_rights",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("concerns_children", sa.Boolean(), nullable=True),
        sa.Column("children_heard", sa.Boolean(), nullable=True),
        *(sa.Column(name, sa.Text(), server_default="", nullable=False) for name in TEXTS),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_child_rights_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_child_rights")),
    )
    op.create_table(
        "child_right_effects",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("article", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column(
            "effect",
            sa.Enum(
                "strengthened",
                "unaffected",
                "weakened",
                name="child_right_effect",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=True,
        ),
        sa.Column("short_term", sa.Text(), server_default="", nullable=False),
        sa.Column("long_term", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("article >= 1 AND article <= 54", name=op.f("ck_child_right_effects_article_in_convention")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["child_rights.assessment_id"],
            name=op.f("fk_child_right_effects_assessment_id_child_rights"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "article", name=op.f("pk_child_right_effects")),
    )
    op.create_table(
        "child_rights_districts",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["child_rights.assessment_id"],
            name=op.f("fk_child_rights_districts_assessment_id_child_rights"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_child_rights_districts_district_id_districts")
        ),
        sa.PrimaryKeyConstraint("assessment_id", "district_id", name=op.f("pk_child_rights_districts")),
    )
    with op.batch_alter_table("child_rights_districts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_rights_districts_district_id"), ["district_id"], unique=False)
    _section_check((*SECTIONS, "child_rights"), 12)


def downgrade():
    # Comments on the step would break the old CHECK; they go with it (the audit trail keeps their text).
    op.execute("DELETE FROM review_comments WHERE section = 'child_rights'")
    _section_check(SECTIONS, 11)
    with op.batch_alter_table("child_rights_districts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_rights_districts_district_id"))
    op.drop_table("child_rights_districts")
    op.drop_table("child_right_effects")
    op.drop_table("child_rights")
