"""Routing: case routes (re-route records), people's presence and last assignment, cases' language and issue type.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("batch_key", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_team_id", sa.Integer(), nullable=True),
        sa.Column("to_team_id", sa.Integer(), nullable=True),
        sa.Column("from_assignee_id", sa.Integer(), nullable=True),
        sa.Column("to_assignee_id", sa.Integer(), nullable=True),
        sa.Column("from_stage", sa.String(length=32), nullable=False),
        sa.Column("to_stage", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("overridden_rules_json", sa.Text(), nullable=True),
        sa.Column("explanation_json", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("transition_id", sa.Integer(), nullable=True),
        sa.Column("previous_last_assigned_at", sa.DateTime(), nullable=True),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["people.id"], name=op.f("fk_case_routes_actor_id_people")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_routes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"], ["escalations.id"], name=op.f("fk_case_routes_escalation_id_escalations")
        ),
        sa.ForeignKeyConstraint(
            ["from_assignee_id"], ["people.id"], name=op.f("fk_case_routes_from_assignee_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["from_team_id"], ["teams.id"], name=op.f("fk_case_routes_from_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_case_routes_outbox_id_outbox"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["to_assignee_id"], ["people.id"], name=op.f("fk_case_routes_to_assignee_id_people")
        ),
        sa.ForeignKeyConstraint(["to_team_id"], ["teams.id"], name=op.f("fk_case_routes_to_team_id_teams")),
        sa.ForeignKeyConstraint(
            ["transition_id"],
            ["stage_transitions.id"],
            name=op.f("fk_case_routes_transition_id_stage_transitions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_routes")),
    )
    with op.batch_alter_table("case_routes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_routes_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_routes_batch_key"), ["batch_key"], unique=False)

    # Plain ADD COLUMN (no table rebuild): cases and people keep their triggers and data as they are.
    op.execute("ALTER TABLE people ADD COLUMN presence VARCHAR(16) NOT NULL DEFAULT 'available'")
    op.execute("ALTER TABLE people ADD COLUMN last_assigned_at DATETIME")
    op.execute("ALTER TABLE cases ADD COLUMN language VARCHAR(16)")
    op.execute("ALTER TABLE cases ADD COLUMN issue_type VARCHAR(32)")


def downgrade() -> None:
    raise NotImplementedError("Handoff never downgrades a workspace; restore a backup instead.")
