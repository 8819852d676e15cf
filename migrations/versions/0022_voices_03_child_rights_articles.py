"""The articles of the Convention the child-rights step offers become a list per template version, which admins keep
in a draft version: every existing version gets today's list, so every existing right chosen in an assessment keeps
its article and its name.

Revision ID: voices_03
Revises: actions_01
Create Date: 2026-11-30 11:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "voices_03"
down_revision = "actions_01"
branch_labels = None
depends_on = None

# The list as it stood in the code (number -> Swedish, English, a general principle); copied, not imported, so the
# migration stays what it was whatever the code becomes.
ARTICLES = {
    2: ("Icke-diskriminering", "Non-discrimination", True),
    3: ("Barnets bästa", "The best interests of the child", True),
    6: ("Liv, överlevnad och utveckling", "Life, survival and development", True),
    12: ("Rätt att uttrycka sina åsikter och bli hörd", "The right to be heard", True),
    4: ("Genomförande av rättigheterna", "Implementing the rights", False),
    5: ("Föräldrarnas vägledning", "Parental guidance", False),
    7: ("Namn, medborgarskap och vård", "Name, nationality and care", False),
    8: ("Identitet", "Identity", False),
    9: ("Inte skiljas från sina föräldrar", "Not separated from parents", False),
    10: ("Familjeåterförening", "Family reunification", False),
    13: ("Yttrandefrihet", "Freedom of expression", False),
    14: ("Tanke-, samvets- och religionsfrihet", "Freedom of thought, conscience and religion", False),
    15: ("Förenings- och mötesfrihet", "Freedom of association", False),
    16: ("Skydd för privatliv", "Privacy", False),
    17: ("Tillgång till information", "Access to information", False),
    18: ("Föräldrarnas gemensamma ansvar", "Parents' responsibility", False),
    19: ("Skydd mot våld", "Protection from violence", False),
    20: ("Barn utan familj", "Children without a family", False),
    22: ("Barn på flykt", "Refugee children", False),
    23: ("Barn med funktionsnedsättning", "Children with disabilities", False),
    24: ("Hälsa och sjukvård", "Health and health care", False),
    26: ("Social trygghet", "Social security", False),
    27: ("Skälig levnadsstandard", "Standard of living", False),
    28: ("Utbildning", "Education", False),
    29: ("Utbildningens mål", "Aims of education", False),
    30: ("Barn i minoriteter och urfolk", "Children of minorities and indigenous peoples", False),
    31: ("Lek, vila och fritid", "Play, rest and leisure", False),
    32: ("Skydd mot ekonomiskt utnyttjande", "Protection from economic exploitation", False),
    33: ("Skydd mot narkotika", "Protection from drugs", False),
    34: ("Skydd mot sexuellt utnyttjande", "Protection from sexual exploitation", False),
    36: ("Skydd mot annat utnyttjande", "Protection from other exploitation", False),
    39: ("Rehabilitering och återanpassning", "Recovery and rehabilitation", False),
    40: ("Barn i rättsprocesser", "Children in the justice system", False),
}


def upgrade():
    articles = op.create_table(
        "child_rights_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_version_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name_sv", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), server_default="", nullable=False),
        sa.Column("principle", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "number >= 1 AND number <= 54", name=op.f("ck_child_rights_articles_number_in_convention")
        ),
        sa.ForeignKeyConstraint(
            ["template_version_id"],
            ["template_versions.id"],
            name=op.f("fk_child_rights_articles_template_version_id_template_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_rights_articles")),
        sa.UniqueConstraint(
            "template_version_id", "number", name=op.f("uq_child_rights_articles_template_version_id_number")
        ),
    )
    with op.batch_alter_table("child_rights_articles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_child_rights_articles_template_version_id"), ["template_version_id"], unique=False
        )
    versions = op.get_bind().scalars(sa.text("SELECT id FROM template_versions ORDER BY id")).all()
    rows = [
        {"template_version_id": version, "number": number, "name_sv": sv, "name_en": en, "principle": principle}
        for version in versions
        for number, (sv, en, principle) in sorted(ARTICLES.items())
    ]
    if rows:
        op.bulk_insert(articles, rows)


def downgrade():
    with op.batch_alter_table("child_rights_articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_rights_articles_template_version_id"))
    op.drop_table("child_rights_articles")
