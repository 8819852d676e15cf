"""The summary tables of the dashboard and the district view: assessments per month, ground-level totals, overdue
figures by due date, district figures; "not assessed", "relevant" and "unmitigated" ground counts; indexes for
overdue follow-ups and for the list filtered on a ground and an impact.

Revision ID: perf_02
Revises: perf_01
"""

import sqlalchemy as sa
from alembic import op

revision = "perf_02"
down_revision = "perf_01"
branch_labels = None
depends_on = None

NEGATIVE = "('significantly_negative', 'negative')"
HEAT_IMPACTS = "('significantly_negative', 'negative', 'neutral', 'positive', 'significantly_positive')"
HEAT_CLASS = (
    f"CASE WHEN g.impact IN {NEGATIVE} THEN 'negative' WHEN g.impact = 'neutral' THEN 'neutral' ELSE 'positive' END"
)
UNMITIGATED = (
    f"g.impact IN {NEGATIVE} AND g.acceptance_justification = '' AND NOT EXISTS "
    "(SELECT 1 FROM mitigations m WHERE m.ground_answer_id = g.id AND m.status <> 'dropped')"
)


def _creation_month() -> tuple[str, str]:
    if op.get_bind().dialect.name == "sqlite":
        return "CAST(strftime('%Y', a.created_at) AS INTEGER)", "CAST(strftime('%m', a.created_at) AS INTEGER)"
    return "CAST(EXTRACT(year FROM a.created_at) AS INTEGER)", "CAST(EXTRACT(month FROM a.created_at) AS INTEGER)"


def upgrade():
    op.create_table(
        "assessment_counts",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.Column("neutral", sa.Integer(), nullable=False),
        sa.Column("positive", sa.Integer(), nullable=False),
        sa.Column("not_assessed", sa.Integer(), nullable=False),
        sa.Column("unmitigated", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_assessment_counts_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("department_id", "status", "year", "month", name=op.f("pk_assessment_counts")),
    )
    op.create_table(
        "impact_totals",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ground_id", sa.Integer(), nullable=False),
        sa.Column("klass", sa.String(length=12), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_impact_totals_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["ground_id"], ["grounds.id"], name=op.f("fk_impact_totals_ground_id_grounds")),
        sa.PrimaryKeyConstraint("department_id", "status", "ground_id", "klass", name=op.f("pk_impact_totals")),
    )
    op.create_table(
        "due_counts",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_due_counts_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("kind", "due", "department_id", "status", name=op.f("pk_due_counts")),
    )
    op.create_table(
        "due_month_counts",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_due_month_counts_department_id_departments")
        ),
        sa.PrimaryKeyConstraint(
            "kind", "year", "month", "department_id", "status", name=op.f("pk_due_month_counts")
        ),
    )
    op.create_table(
        "district_assessment_counts",
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_district_assessment_counts_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_district_assessment_counts_district_id_districts")
        ),
        sa.PrimaryKeyConstraint(
            "district_id", "department_id", "year", "month", name=op.f("pk_district_assessment_counts")
        ),
    )
    op.create_table(
        "district_counts",
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("ground_id", sa.Integer(), nullable=False),
        sa.Column("klass", sa.String(length=12), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_district_counts_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_district_counts_district_id_districts")),
        sa.ForeignKeyConstraint(["ground_id"], ["grounds.id"], name=op.f("fk_district_counts_ground_id_grounds")),
        sa.PrimaryKeyConstraint(
            "district_id", "department_id", "year", "month", "ground_id", "klass", name=op.f("pk_district_counts")
        ),
    )
    op.create_table(
        "district_totals",
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("ground_id", sa.Integer(), nullable=False),
        sa.Column("klass", sa.String(length=12), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_district_totals_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_district_totals_district_id_districts")),
        sa.ForeignKeyConstraint(["ground_id"], ["grounds.id"], name=op.f("fk_district_totals_ground_id_grounds")),
        sa.PrimaryKeyConstraint("district_id", "department_id", "ground_id", "klass", name=op.f("pk_district_totals")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_status_follow_up", ["status", "follow_up_date"], unique=False)
    with op.batch_alter_table("ground_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ground_answers_ground_impact", ["ground_id", "impact", "assessment_id", "relevant"], unique=False
        )

    # Existing data: count it once; from here on every flush keeps the tables in step.
    year, month = _creation_month()
    op.execute(
        "INSERT INTO assessment_counts (department_id, status, year, month, n, negative, neutral, positive, "
        f"not_assessed, unmitigated) SELECT a.department_id, a.status, {year}, {month}, count(a.id), "
        "COALESCE(SUM(f.negative), 0), COALESCE(SUM(f.neutral), 0), COALESCE(SUM(f.positive), 0), "
        "COALESCE(SUM(f.not_assessed), 0), "
        "COALESCE(SUM(f.unmitigated), 0) FROM assessments a LEFT JOIN ("
        "SELECT g.assessment_id, "
        f"MAX(CASE WHEN g.impact IN {NEGATIVE} THEN 1 ELSE 0 END) AS negative, "
        "MAX(CASE WHEN g.impact = 'neutral' THEN 1 ELSE 0 END) AS neutral, "
        "MAX(CASE WHEN g.impact IN ('positive', 'significantly_positive') THEN 1 ELSE 0 END) AS positive, "
        "MAX(CASE WHEN g.impact = 'cannot_assess' THEN 1 ELSE 0 END) AS not_assessed, "
        f"MAX(CASE WHEN {UNMITIGATED} THEN 1 ELSE 0 END) AS unmitigated "
        "FROM ground_answers g WHERE g.relevant GROUP BY g.assessment_id"
        ") f ON f.assessment_id = a.id GROUP BY 1, 2, 3, 4"
    )
    for klass, condition in (
        ("not_assessed", "g.impact = 'cannot_assess'"),
        ("relevant", "1 = 1"),
        ("unmitigated", UNMITIGATED),
    ):
        op.execute(
            "INSERT INTO impact_counts (department_id, status, year, month, ground_id, klass, n) "
            f"SELECT a.department_id, a.status, {year}, {month}, g.ground_id, '{klass}', count(*) "
            "FROM ground_answers g JOIN assessments a ON a.id = g.assessment_id "
            f"WHERE g.relevant AND {condition} GROUP BY 1, 2, 3, 4, 5"
        )


    op.execute(
        "INSERT INTO impact_totals (department_id, status, ground_id, klass, n) "
        "SELECT department_id, status, ground_id, klass, SUM(n) FROM impact_counts GROUP BY 1, 2, 3, 4"
    )
    open_mitigations = (
        "FROM mitigations m JOIN ground_answers g ON g.id = m.ground_answer_id "
        "JOIN assessments a ON a.id = g.assessment_id "
        "WHERE g.relevant AND m.status IN ('planned', 'in_progress') AND m.due_date IS NOT NULL"
    )
    columns = "INSERT INTO due_counts (kind, due, department_id, status, n) "
    op.execute(
        f"{columns}SELECT 'mitigation', m.due_date, a.department_id, a.status, count(*) {open_mitigations} "
        "GROUP BY 1, 2, 3, 4"
    )
    op.execute(
        f"{columns}SELECT 'assessment', e.due, e.department_id, e.status, count(*) FROM ("
        f"SELECT a.id, a.department_id, a.status, MIN(m.due_date) AS due {open_mitigations} "
        "GROUP BY a.id, a.department_id, a.status) e GROUP BY 1, 2, 3, 4"
    )
    op.execute(
        f"{columns}SELECT 'follow_up', a.follow_up_date, a.department_id, a.status, count(*) FROM assessments a "
        "WHERE a.status = 'approved' AND a.follow_up_date IS NOT NULL AND EXISTS (SELECT 1 FROM ground_answers g "
        "WHERE g.assessment_id = a.id AND g.relevant AND g.actual_outcome = '') GROUP BY 1, 2, 3, 4"
    )
    if op.get_bind().dialect.name == "sqlite":
        due_year, due_month = "CAST(strftime('%Y', due) AS INTEGER)", "CAST(strftime('%m', due) AS INTEGER)"
    else:
        due_year, due_month = "CAST(EXTRACT(year FROM due) AS INTEGER)", "CAST(EXTRACT(month FROM due) AS INTEGER)"
    op.execute(
        "INSERT INTO due_month_counts (kind, year, month, department_id, status, n) "
        f"SELECT kind, {due_year}, {due_month}, department_id, status, SUM(n) FROM due_counts GROUP BY 1, 2, 3, 4, 5"
    )

    approved_in_districts = (
        "FROM assessments a JOIN assessment_districts ad ON ad.assessment_id = a.id WHERE a.status = 'approved'"
    )
    op.execute(
        "INSERT INTO district_assessment_counts (district_id, department_id, year, month, n) "
        f"SELECT ad.district_id, a.department_id, {year}, {month}, count(*) {approved_in_districts} GROUP BY 1, 2, 3, 4"
    )
    op.execute(
        "INSERT INTO district_counts (district_id, department_id, year, month, ground_id, klass, n) "
        f"SELECT ad.district_id, a.department_id, {year}, {month}, g.ground_id, {HEAT_CLASS}, count(*) "
        "FROM assessments a JOIN assessment_districts ad ON ad.assessment_id = a.id "
        "JOIN ground_answers g ON g.assessment_id = a.id "
        f"WHERE a.status = 'approved' AND g.relevant AND g.impact IN {HEAT_IMPACTS} GROUP BY 1, 2, 3, 4, 5, 6"
    )
    op.execute(
        "INSERT INTO district_totals (district_id, department_id, ground_id, klass, n) "
        "SELECT district_id, department_id, ground_id, klass, SUM(n) FROM district_counts GROUP BY 1, 2, 3, 4"
    )


def downgrade():
    op.execute("DELETE FROM impact_counts WHERE klass IN ('not_assessed', 'relevant', 'unmitigated')")
    with op.batch_alter_table("ground_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_ground_answers_ground_impact")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_status_follow_up")
    op.drop_table("district_totals")
    op.drop_table("district_counts")
    op.drop_table("district_assessment_counts")
    op.drop_table("due_month_counts")
    op.drop_table("due_counts")
    op.drop_table("impact_totals")
    op.drop_table("assessment_counts")
