"""Builders for the sync-state tests: a Zendesk connection and pulled pages in Handoff's terms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from core.remote.connections import ConnectionDraft, save_connection
from core.remote.dtos import (
    AuthMethod,
    Connection,
    FieldMapping,
    RemoteComment,
    RemoteGroup,
    RemoteOrganization,
    RemotePage,
    RemoteTicket,
    RemoteUser,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
AGENT = RemoteUser("900", "Priya Raman", "priya@acme.example", is_agent=True)
CUSTOMER = RemoteUser("500", "Dana Whitfield", "dana@northwind.example", is_agent=False, organization_id="70")
ORG = RemoteOrganization("70", "Northwind Traders", "northwind.example")
GROUP = RemoteGroup("30", "Identity & SSO")


def add_zendesk(
    session: Session, name: str = "Acme Zendesk", mapping: FieldMapping | None = None
) -> Connection:
    """A saved Zendesk connection with the default mapping."""
    draft = ConnectionDraft(
        name=name,
        kind="zendesk",
        base_url="https://acme.zendesk.com",
        auth_method=AuthMethod.API_TOKEN,
        account_email="priya@acme.example",
        mapping=mapping,
    )
    return save_connection(session, draft)


def ticket(
    remote_id: str = "1001",
    *,
    status: str = "open",
    stage: str = "investigating",
    priority: str = "normal",
    subject: str = "SSO login loops",
    minutes: int = 0,
    assignee_id: str | None = "900",
    group_id: str | None = "30",
    tier: int | None = None,
) -> RemoteTicket:
    """A ticket as a connector maps it (stage already mapped from the status)."""
    updated = T0 + timedelta(minutes=minutes)
    return RemoteTicket(
        remote_id=remote_id,
        subject=subject,
        description="Users are sent back to the sign-in page.",
        stage=stage,
        status=status,
        priority=priority,
        requester_id="500",
        organization_id="70",
        group_id=group_id,
        assignee_id=assignee_id,
        tags=("sso",),
        tier=tier,
        product_area=None,
        created_at=T0 - timedelta(days=1),
        updated_at=updated,
        version=updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        url=f"https://acme.zendesk.com/agent/tickets/{remote_id}",
    )


def comment(
    remote_id: str,
    ticket_id: str = "1001",
    *,
    author_id: str = "500",
    public: bool = True,
    body: str = "It still loops.",
    minutes: int = 0,
    marker: str | None = None,
) -> RemoteComment:
    """A comment of ``ticket_id``."""
    return RemoteComment(
        remote_id=remote_id,
        ticket_id=ticket_id,
        author_id=author_id,
        public=public,
        body_text=body,
        body_html=f"<p>{body}</p>",
        created_at=T0 + timedelta(minutes=minutes),
        marker=marker,
    )


def page(
    *tickets: RemoteTicket,
    comments: tuple[RemoteComment, ...] = (),
    deleted: tuple[str, ...] = (),
    cursor: str = "c1",
    with_people: bool = True,
) -> RemotePage:
    """A page with the usual agent, customer, organization and group side-loaded."""
    return RemotePage(
        resource="tickets",
        cursor=cursor,
        end_of_stream=True,
        tickets=tickets,
        comments=comments,
        users=(AGENT, CUSTOMER) if with_people else (),
        organizations=(ORG,) if with_people else (),
        groups=(GROUP,) if with_people else (),
        deleted_ticket_ids=deleted,
    )
