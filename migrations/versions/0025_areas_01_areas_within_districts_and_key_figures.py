"""Areas within districts (chosen on the proposal and per ground beside the districts), and key figures: indicators,
the grounds that show them, and their yearly values per area, district or the whole municipality

Revision ID: areas_01
Revises: search_01
Create Date: 2026-11-30 08:37:05.096980

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "areas_01"
down_revision = "search_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name_sv", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), server_default="", nullable=False),
        sa.Column("unit", sa.String(length=40), server_default="", nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("source_url", sa.String(length=500), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("code", name=op.f("uq_indicators_code")),
    )
    op.create_table(
        "areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_areas_district_id_districts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_areas")),
        sa.UniqueConstraint("code", name=op.f("uq_areas_code")),
    )
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_areas_district_id"), ["district_id"], unique=False)

    op.create_table(
        "indicator_grounds",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("ground_key", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_grounds_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("indicator_id", "ground_key", name=op.f("pk_indicator_grounds")),
    )
    with op.batch_alter_table("indicator_grounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_grounds_ground_key"), ["ground_key"], unique=False)

    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum("total", "women", "men", name="sex", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("shown", sa.String(length=40), server_default="", nullable=False),
        sa.Column("few", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("example", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("area_id IS NULL OR district_id IS NULL", name=op.f("ck_indicator_values_one_place")),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_indicator_values_area_id_areas")),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_indicator_values_district_id_districts")
        ),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["users.id"], name=op.f("fk_indicator_values_imported_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_values_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
        sa.UniqueConstraint(
            "indicator_id", "year", "sex", "place", name=op.f("uq_indicator_values_indicator_id_year_sex_place")
        ),
    )
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_values_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_values_district_id"), ["district_id"], unique=False)
        batch_op.create_index("ix_indicator_values_indicator_year", ["indicator_id", "year"], unique=False)

    op.create_table(
        "assessment_areas",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_assessment_areas_area_id_areas")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_areas_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "area_id", name=op.f("pk_assessment_areas")),
    )
    with op.batch_alter_table("assessment_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_areas_area_id"), ["area_id"], unique=False)

    op.create_table(
        "ground_answer_areas",
        sa.Column("ground_answer_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_ground_answer_areas_area_id_areas")),
        sa.ForeignKeyConstraint(
            ["ground_answer_id"],
            ["ground_answers.id"],
            name=op.f("fk_ground_answer_areas_ground_answer_id_ground_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ground_answer_id", "area_id", name=op.f("pk_ground_answer_areas")),
    )
    with op.batch_alter_table("ground_answer_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ground_answer_areas_area_id"), ["area_id"], unique=False)

    # The ground page's combined effects read the approved assessments of the last twelve months.
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_status_decided", ["status", "decided_at"], unique=False)


def downgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_status_decided")
    with op.batch_alter_table("ground_answer_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ground_answer_areas_area_id"))

    op.drop_table("ground_answer_areas")
    with op.batch_alter_table("assessment_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_areas_area_id"))

    op.drop_table("assessment_areas")
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_values_indicator_year")
        batch_op.drop_index(batch_op.f("ix_indicator_values_district_id"))
        batch_op.drop_index(batch_op.f("ix_indicator_values_area_id"))

    op.drop_table("indicator_values")
    with op.batch_alter_table("indicator_grounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_grounds_ground_key"))

    op.drop_table("indicator_grounds")
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_areas_district_id"))

    op.drop_table("areas")
    op.drop_table("indicators")
