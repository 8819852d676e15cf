"""Audit events are written without a chain lock and sealed into the hash chain after their transaction commits.

Every existing event is already linked; it keeps its hashes and takes its id as its chain position, so the chain
verifies exactly as before. New events get a position, a previous hash and a hash when they are sealed.

Revision ID: audit_02
Revises: perf_02
"""

import sqlalchemy as sa
from alembic import op

revision = "audit_02"
down_revision = "perf_02"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_position", sa.BigInteger(), nullable=True))
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=True)
    op.execute("UPDATE audit_events SET chain_position = id")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_chain_position"), ["chain_position"])


def downgrade():
    from impact.audit.trail import extend_chain

    # The old schema needs every event linked: seal what is pending (this migration's transaction is the only
    # writer), so no event is lost.
    extend_chain(op.get_bind())
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_chain_position"), type_="unique")
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("chain_position")
