"""One action plan per assessment: an action (the table keeps its name, mitigations) belongs to the assessment and
addresses one or more grounds, with an optional cost; the action plan can be commented on in review. Every
mitigation typed per ground becomes an action of its assessment linked to that ground, keeping its id, owner,
dates, status, outcome and so its history in the audit trail.

The summary tables count actions through their assessment and grounds from now on: where there is data, they are
recounted once with the app's own definitions (as perf_04 does), including any recount an earlier migration left
to this one because the definitions read the columns added here.

Revision ID: actions_01
Revises: voices_02
Create Date: 2026-11-30 08:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "actions_01"
down_revision = "voices_02"
branch_labels = None
depends_on = None

SECTIONS = ("proposal", "screening", "involvement", "conclusion", "overall", "child_rights")


def _section_check(sections, length):
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_comments_review_section"), type_="check")
        batch_op.alter_column("section", existing_type=sa.String(), type_=sa.String(length=length))
        batch_op.create_check_constraint(
            op.f("ck_review_comments_review_section"), f"section IN ({', '.join(map(repr, sections))})"
        )


def upgrade():
    op.create_table(
        "mitigation_grounds",
        sa.Column("mitigation_id", sa.Integer(), nullable=False),
        sa.Column("ground_answer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ground_answer_id"],
            ["ground_answers.id"],
            name=op.f("fk_mitigation_grounds_ground_answer_id_ground_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mitigation_id"],
            ["mitigations.id"],
            name=op.f("fk_mitigation_grounds_mitigation_id_mitigations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mitigation_id", "ground_answer_id", name=op.f("pk_mitigation_grounds")),
    )
    op.create_index(
        op.f("ix_mitigation_grounds_ground_answer_id"), "mitigation_grounds", ["ground_answer_id"], unique=False
    )
    with op.batch_alter_table("mitigations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assessment_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cost", sa.Text(), server_default="", nullable=False))
    # Each mitigation becomes an action of its assessment, linked to the ground it was typed on.
    op.execute(
        "UPDATE mitigations SET assessment_id = "
        "(SELECT ground_answers.assessment_id FROM ground_answers WHERE ground_answers.id = mitigations.ground_answer_id)"
    )
    op.execute("INSERT INTO mitigation_grounds (mitigation_id, ground_answer_id) SELECT id, ground_answer_id FROM mitigations")
    with op.batch_alter_table("mitigations", schema=None) as batch_op:
        batch_op.alter_column("assessment_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f("ix_mitigations_ground_answer_id"))
        batch_op.drop_constraint(batch_op.f("fk_mitigations_ground_answer_id_ground_answers"), type_="foreignkey")
        batch_op.drop_column("ground_answer_id")
        batch_op.create_index(batch_op.f("ix_mitigations_assessment_id"), ["assessment_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_mitigations_assessment_id_assessments"),
            "assessments",
            ["assessment_id"],
            ["id"],
            ondelete="CASCADE",
        )
    _section_check((*SECTIONS, "actions"), 12)
    from impact.reports.derived import recount_in_migration

    recount_in_migration(op.get_bind())


def downgrade():
    op.execute("DELETE FROM review_comments WHERE section = 'actions'")
    _section_check(SECTIONS, 12)
    with op.batch_alter_table("mitigations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ground_answer_id", sa.Integer(), nullable=True))
    # An action for several grounds goes back to its first ground; one that addresses none is lost on the way back.
    op.execute(
        "UPDATE mitigations SET ground_answer_id = (SELECT MIN(mitigation_grounds.ground_answer_id) "
        "FROM mitigation_grounds WHERE mitigation_grounds.mitigation_id = mitigations.id)"
    )
    op.execute("DELETE FROM mitigations WHERE ground_answer_id IS NULL")
    with op.batch_alter_table("mitigations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_mitigations_assessment_id_assessments"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_mitigations_assessment_id"))
        batch_op.drop_column("cost")
        batch_op.drop_column("assessment_id")
        batch_op.alter_column("ground_answer_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_mitigations_ground_answer_id"), ["ground_answer_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_mitigations_ground_answer_id_ground_answers"),
            "ground_answers",
            ["ground_answer_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.drop_index(op.f("ix_mitigation_grounds_ground_answer_id"), table_name="mitigation_grounds")
    op.drop_table("mitigation_grounds")
