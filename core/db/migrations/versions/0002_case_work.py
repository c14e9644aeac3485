"""Case work: approvals, resolution proposals, closure records, follow-ups, attachments; links to outbox and timeline.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:38:28.480093
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_approvals_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["people.id"], name=op.f("fk_approvals_decided_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["people.id"], name=op.f("fk_approvals_requested_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
    )
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approvals_case_id"), ["case_id"], unique=False)

    op.create_table(
        "closure_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("resolution_summary", sa.Text(), nullable=False),
        sa.Column("root_cause_category", sa.String(length=100), nullable=False),
        sa.Column("root_cause_detail", sa.Text(), nullable=False),
        sa.Column("defect_key", sa.String(length=64), nullable=True),
        sa.Column("defect_url", sa.String(length=500), nullable=True),
        sa.Column("customer_notified", sa.Boolean(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_closure_records_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["people.id"], name=op.f("fk_closure_records_closed_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"], ["escalations.id"], name=op.f("fk_closure_records_escalation_id_escalations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure_records")),
    )
    with op.batch_alter_table("closure_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closure_records_case_id"), ["case_id"], unique=False)

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_attachments_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["drafts.id"], name=op.f("fk_attachments_draft_id_drafts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["timeline_events.id"], name=op.f("fk_attachments_event_id_timeline_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_case_id"), ["case_id"], unique=False)

    op.create_table(
        "follow_up_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("closure_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closure_id"],
            ["closure_records.id"],
            name=op.f("fk_follow_up_actions_closure_id_closure_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_actions")),
    )
    with op.batch_alter_table("follow_up_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_actions_closure_id"), ["closure_id"], unique=False)

    op.create_table(
        "resolution_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("next_reminder_at", sa.DateTime(), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("customer_feedback", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_resolution_proposals_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["timeline_events.id"],
            name=op.f("fk_resolution_proposals_event_id_timeline_events"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["people.id"], name=op.f("fk_resolution_proposals_proposed_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution_proposals")),
    )
    with op.batch_alter_table("resolution_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resolution_proposals_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meta_json", sa.Text(), nullable=True))

    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recommended_tier", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recommendation_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("readiness_json", sa.Text(), nullable=True))

    with op.batch_alter_table("stage_transitions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("details_json", sa.Text(), nullable=True))

    # Plain ADD COLUMN ... REFERENCES (SQLite allows it for a nullable column): no table rebuild,
    # so timeline_events keeps its full-text triggers.
    op.execute(
        "ALTER TABLE investigation_notes ADD COLUMN event_id INTEGER "
        "CONSTRAINT fk_investigation_notes_event_id_timeline_events REFERENCES timeline_events (id)"
    )
    op.execute(
        "ALTER TABLE timeline_events ADD COLUMN outbox_id INTEGER "
        "CONSTRAINT fk_timeline_events_outbox_id_outbox REFERENCES outbox (id)"
    )


def downgrade() -> None:
    raise NotImplementedError("Handoff never downgrades a workspace; restore a backup instead.")
