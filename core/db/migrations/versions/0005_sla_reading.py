"""SLA reading at scale and the helpdesks' own SLA data.

- ``vendor_sla_targets``: a helpdesk's own SLA targets for a case (Zendesk SLA policy metrics,
  Freshdesk due dates, Salesforce milestones), kept beside Handoff's clocks as synced;
- ``ix_timeline_events_case_time`` also covers ``kind`` and ``visibility``: reading every open
  case's messages and replies for the SLA clocks never touches the event bodies;
- ``ix_cases_sla_warning_at``: the SLA alerts find the cases entering their warning window
  without scanning the open cases.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vendor_sla_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("source_system", sa.String(length=32), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("handoff_metric", sa.String(length=32), nullable=True),
        sa.Column("policy_name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_vendor_sla_targets_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_sla_targets")),
        sa.UniqueConstraint("case_id", "source_system", "metric", name="uq_vendor_sla_targets_case_metric"),
    )
    op.drop_index("ix_timeline_events_case_time", table_name="timeline_events")
    op.create_index(
        "ix_timeline_events_case_time",
        "timeline_events",
        ["case_id", "occurred_at", "kind", "visibility"],
        unique=False,
    )
    op.create_index("ix_cases_sla_warning_at", "cases", ["sla_warning_at"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("Handoff never downgrades a workspace; restore a backup instead.")
