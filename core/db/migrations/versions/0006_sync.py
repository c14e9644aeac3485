"""Sync with helpdesks: connections, and what the outbox needs to deliver exactly once.

- ``connections``: a helpdesk account Handoff syncs with (URL, auth method, the scope of
  tickets that are escalations, the field mapping); never its secret (the OS keychain).
- ``outbox.sent_at``: when the entry was last handed to the network (an entry in flight after a
  crash is checked on the server before it is sent again);
- ``outbox.remote_result``: what the server answered (e.g. the comment or audit id);
- ``outbox.conflict_json``: the remote values, author and time of a conflicting edit;
- an index on ``(source_system, remote_id)`` of teams, people, customers, contacts and
  timeline events: each pulled page looks its records up by their helpdesk ids.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 19:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("auth_method", sa.String(length=16), nullable=False),
        sa.Column("account_email", sa.String(length=320), nullable=True),
        sa.Column("ca_bundle", sa.String(length=1000), nullable=True),
        sa.Column("scope_json", sa.Text(), nullable=False),
        sa.Column("mapping_json", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("status_message", sa.Text(), nullable=True),
        sa.Column("last_synced_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connections")),
        sa.UniqueConstraint("name", name=op.f("uq_connections_name")),
    )
    # Plain ADD COLUMN (no table rebuild).
    op.execute("ALTER TABLE outbox ADD COLUMN sent_at DATETIME")
    op.execute("ALTER TABLE outbox ADD COLUMN remote_result TEXT")
    op.execute("ALTER TABLE outbox ADD COLUMN conflict_json TEXT")
    # Pulled pages look records up by their helpdesk id, a page at a time.
    for table in ("teams", "people", "customers", "contacts", "timeline_events"):
        op.create_index(f"ix_{table}_remote", table, ["source_system", "remote_id"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("Handoff never downgrades a workspace; restore a backup instead.")
