"""Indexes for the assessment list's keyset pages and the dashboard's impact summary table.

Revision ID: perf_01
Revises: api_01
"""

import sqlalchemy as sa
from alembic import op

revision = "perf_01"
down_revision = "api_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "impact_counts",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("ground_id", sa.Integer(), nullable=False),
        sa.Column("klass", sa.String(length=12), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_impact_counts_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["ground_id"], ["grounds.id"], name=op.f("fk_impact_counts_ground_id_grounds")),
        sa.PrimaryKeyConstraint(
            "department_id", "status", "year", "month", "ground_id", "klass", name=op.f("pk_impact_counts")
        ),
    )
    # Existing data: count it once; from here on every flush keeps the table in step.
    if op.get_bind().dialect.name == "sqlite":
        year, month = "CAST(strftime('%Y', a.created_at) AS INTEGER)", "CAST(strftime('%m', a.created_at) AS INTEGER)"
    else:
        year, month = (
            "CAST(EXTRACT(year FROM a.created_at) AS INTEGER)",
            "CAST(EXTRACT(month FROM a.created_at) AS INTEGER)",
        )
    op.execute(
        "INSERT INTO impact_counts (department_id, status, year, month, ground_id, klass, n) "
        f"SELECT a.department_id, a.status, {year}, {month}, g.ground_id, "
        "CASE WHEN g.impact IN ('significantly_negative', 'negative') THEN 'negative' "
        "WHEN g.impact = 'neutral' THEN 'neutral' "
        "WHEN g.impact IN ('positive', 'significantly_positive') THEN 'positive' END, count(*) "
        "FROM ground_answers g JOIN assessments a ON a.id = g.assessment_id "
        "WHERE g.relevant AND g.impact IN ('significantly_negative', 'negative', 'neutral', 'positive', "
        "'significantly_positive') GROUP BY 1, 2, 3, 4, 5, 6"
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_updated_id", ["updated_at", "id"], unique=False)
        batch_op.create_index("ix_assessments_created_id", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_assessments_title_id", ["title", "id"], unique=False)


def downgrade():
    op.drop_table("impact_counts")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_title_id")
        batch_op.drop_index("ix_assessments_created_id")
        batch_op.drop_index("ix_assessments_updated_id")
