"""Key figures: an admin's threshold for figures resting on few individuals, per indicator, and the count of
individuals a figure rests on (an optional column of the import)

Revision ID: figures_01
Revises: areas_01
Create Date: 2026-11-30 11:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "figures_01"
down_revision = "areas_01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("few_below", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("value_counts_people", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.add_column(sa.Column("individuals", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_column("individuals")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("value_counts_people")
        batch_op.drop_column("few_below")
