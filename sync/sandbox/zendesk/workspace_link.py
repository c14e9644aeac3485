"""A workspace and the sandbox Zendesk made from it, as one account (what ``handoff demo`` runs).

:func:`seed_from_workspace` reads a workspace into the sandbox's seed (its teams become groups,
customers organizations, people agents, contacts end users, cases tickets numbered as the
cases, customer-visible messages and replies public comments), and :func:`link_workspace`
gives the workspace's records the ids the sandbox gives them, so the first sync matches every
ticket, user and comment instead of copying them: the demo workspace becomes the replica of a
live helpdesk. Linking is redone on every start (the sandbox keeps its tickets in memory);
the cases' ticket versions and the connection's cursor are reset, so the first pull reads
every ticket once and later changes arrive incrementally.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.domain.enums import SourceSystem
from core.workspace import open_workspace
from sync.sandbox.zendesk.model import (
    END_USER_ID_BASE,
    GROUP_ID_BASE,
    ORGANIZATION_ID_BASE,
    USER_ID_BASE,
    comment_id,
)
from sync.sandbox.zendesk.seed import SeedData, read_seed

ZENDESK = SourceSystem.ZENDESK.value

# The same events, in the same order, that the seed turns into each ticket's public comments.
_RANKED_COMMENTS = """
    SELECT e.id AS event_id, c.number AS number,
           ROW_NUMBER() OVER (PARTITION BY e.case_id ORDER BY e.occurred_at, e.id) - 1 AS position
    FROM timeline_events e JOIN cases c ON c.id = e.case_id
    WHERE e.visibility = 'customer' AND e.kind IN ('customer_message', 'agent_reply')
"""


def seed_from_workspace(database_dir: Path) -> SeedData:
    """The sandbox seed of the workspace in ``database_dir`` (times kept as they are)."""
    engine, _report = open_workspace(database_dir, create=False)
    try:
        anchor = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        return read_seed(engine, int(anchor.timestamp()))
    finally:
        engine.dispose()


def link_workspace(engine: Engine, connection_name: str) -> int:
    """Give the workspace's records the sandbox's ids; returns how many cases are now tickets."""
    with Session(engine) as session, session.begin():
        execute = session.execute
        for table, base in (
            ("teams", GROUP_ID_BASE),
            ("people", USER_ID_BASE),
            ("customers", ORGANIZATION_ID_BASE),
            ("contacts", END_USER_ID_BASE),
        ):
            execute(
                text(f"UPDATE {table} SET source_system = :zendesk, remote_id = CAST(:base + id AS TEXT)"),
                {"zendesk": ZENDESK, "base": base},
            )
        execute(
            text(
                "UPDATE cases SET source_system = :zendesk, remote_id = CAST(number AS TEXT), "
                "remote_updated_at = NULL"
            ),
            {"zendesk": ZENDESK},
        )
        linked = session.execute(text("SELECT count(*) FROM cases")).scalar_one()
        execute(
            text("UPDATE timeline_events SET remote_id = NULL WHERE source_system = :zendesk"),
            {"zendesk": ZENDESK},
        )
        comments = [
            {"id": event_id, "remote_id": str(comment_id(number, position)), "zendesk": ZENDESK}
            for event_id, number, position in execute(text(_RANKED_COMMENTS))
        ]
        if comments:
            execute(
                text(
                    "UPDATE timeline_events SET source_system = :zendesk, remote_id = :remote_id "
                    "WHERE id = :id"
                ),
                comments,
            )
        execute(text("DELETE FROM sync_cursors WHERE connection_id = :name"), {"name": connection_name})
    return int(linked or 0)
