"""SLA: the policy each cycle of a case started with, and each case's soonest deadline.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 17:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sla_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("policy_key", sa.String(length=64), nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=False),
        sa.Column("policy_json", sa.Text(), nullable=False),
        sa.Column("calendar_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_sla_cycles_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"], ["escalations.id"], name=op.f("fk_sla_cycles_escalation_id_escalations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_cycles")),
    )
    with op.batch_alter_table("sla_cycles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sla_cycles_case_id"), ["case_id"], unique=False)

    # Plain ADD COLUMN (no table rebuild): cases keep their full-text triggers.
    op.execute("ALTER TABLE cases ADD COLUMN sla_due_at DATETIME")
    op.execute("ALTER TABLE cases ADD COLUMN sla_warning_at DATETIME")
    op.execute("ALTER TABLE cases ADD COLUMN sla_metric VARCHAR(32)")
    op.create_index("ix_cases_sla_due_at", "cases", ["sla_due_at"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("Handoff never downgrades a workspace; restore a backup instead.")
