"""The demo's live helpdesk: a sandbox Zendesk made from the demo workspace, and the connection to it.

``handoff demo`` starts ``handoff sandbox zendesk --from-workspace`` in a child process (a
customer writes back on an open ticket every :data:`CUSTOMER_REPLY_EVERY_S` seconds), gives the
workspace's records the sandbox's ids (:func:`sync.sandbox.zendesk.workspace_link.link_workspace`)
and points the connection :data:`DEMO_CONNECTION` at it. The sandbox's token is throwaway and
lives only in this session (never in the keychain).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from core.db.engine import writer
from core.remote.connections import connection_named, save_connection
from core.workspace import open_workspace
from desktop.sandbox_process import RunningSandbox
from sync.sandbox.zendesk.workspace_link import link_workspace

DEMO_CONNECTION = "Zendesk sandbox (demo)"
CUSTOMER_REPLY_EVERY_S = 90


def sandbox_arguments(workspace: Path) -> list[str]:
    """How ``handoff sandbox zendesk`` is started for the demo workspace."""
    return ["--from-workspace", str(workspace), "--replies-every", str(CUSTOMER_REPLY_EVERY_S)]


def connect_demo(workspace: Path, sandbox: RunningSandbox) -> int:
    """Link the workspace to ``sandbox`` and point the demo connection at it; how many tickets it has."""
    engine, _report = open_workspace(workspace, create=False)
    try:
        linked = link_workspace(engine, DEMO_CONNECTION)
        draft = sandbox.connection_draft(DEMO_CONNECTION)
        with Session(writer(engine)) as session, session.begin():
            existing = connection_named(session, DEMO_CONNECTION)
            save_connection(session, draft, existing.id if existing is not None else None)
    finally:
        engine.dispose()
    return linked
