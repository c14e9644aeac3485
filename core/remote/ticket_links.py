"""Where a synced case's ticket opens in the helpdesk's own agent interface (a web address).

A case pulled from a helpdesk keeps its ticket id (``remote_id``) and its helpdesk
(``source_system``); the address is the connection's base URL followed by the helpdesk's path
for a ticket (Zendesk: ``/agent/tickets/<id>``).
"""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import ConnectionRow
from core.domain.enums import SourceSystem

TICKET_PATHS: dict[str, str] = {
    SourceSystem.ZENDESK.value: "/agent/tickets/{id}",
}
"""The path of a ticket in each helpdesk's agent interface, after the connection's base URL."""


def ticket_url(session: Session, source_system: str, remote_id: str | None) -> str | None:
    """The address of ticket ``remote_id`` of ``source_system`` (None: a local case, a helpdesk
    without a known ticket path, or no connection to that helpdesk any more).

    With several connections of the same helpdesk, the oldest enabled one is used.
    """
    path = TICKET_PATHS.get(source_system)
    if path is None or not remote_id:
        return None
    base_url = session.scalar(
        select(ConnectionRow.base_url)
        .where(ConnectionRow.kind == source_system)
        .order_by(ConnectionRow.enabled.desc(), ConnectionRow.id)
        .limit(1)
    )
    if base_url is None:
        return None
    return base_url.rstrip("/") + path.format(id=quote(remote_id, safe=""))
