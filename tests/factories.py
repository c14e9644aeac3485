"""Small builders for test data, written through the ORM on a real session."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from core.db.models import CaseRow, ContactRow, CustomerRow, PersonRow, TeamRow, TimelineEventRow
from core.domain.enums import DEFAULT_VISIBILITY, EventKind, Priority, Stage

BASE_TIME = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def add_customer(session: Session, name: str = "Northwind Traders", tier: str = "enterprise") -> CustomerRow:
    """A customer account."""
    customer = CustomerRow(name=name, tier=tier, arr_cents=12_000_000, domain="northwind.example")
    session.add(customer)
    session.flush()
    return customer


def add_team(session: Session, name: str = "Identity & SSO", key: str | None = None) -> TeamRow:
    """A team (lane)."""
    team = TeamRow(key=key or name.lower().replace(" ", "-").replace("&", "and"), name=name, tier=2)
    session.add(team)
    session.flush()
    return team


def add_person(session: Session, name: str = "Priya Raman", team: TeamRow | None = None) -> PersonRow:
    """A specialist."""
    person = PersonRow(name=name, role="specialist", team_id=team.id if team else None, email=None)
    session.add(person)
    session.flush()
    return person


def add_case(
    session: Session,
    number: int,
    subject: str,
    *,
    description: str = "",
    customer: CustomerRow | None = None,
    team: TeamRow | None = None,
    assignee: PersonRow | None = None,
    stage: Stage = Stage.INVESTIGATING,
    priority: Priority = Priority.NORMAL,
    tier: int = 2,
    updated_at: datetime | None = None,
    resolved_at: datetime | None = None,
) -> CaseRow:
    """A case with no timeline yet."""
    when = updated_at or BASE_TIME + timedelta(minutes=number % 1000)
    contact = None
    if customer is not None:
        contact = ContactRow(customer_id=customer.id, name="Dana Whitfield", email="dana@northwind.example")
        session.add(contact)
        session.flush()
    case = CaseRow(
        number=number,
        subject=subject,
        description=description,
        priority=priority.value,
        stage=stage.value,
        tier=tier,
        customer_id=customer.id if customer else None,
        contact_id=contact.id if contact else None,
        team_id=team.id if team else None,
        assignee_id=assignee.id if assignee else None,
        created_at=when - timedelta(days=2),
        updated_at=when,
        resolved_at=resolved_at,
    )
    session.add(case)
    session.flush()
    return case


def add_event(
    session: Session,
    case: CaseRow,
    kind: EventKind,
    body_text: str,
    *,
    body_html: str | None = None,
    author: str = "Dana Whitfield",
    minutes_after: int = 0,
    meta: dict[str, str] | None = None,
) -> TimelineEventRow:
    """A timeline event on ``case``."""
    event = TimelineEventRow(
        case_id=case.id,
        kind=kind.value,
        visibility=DEFAULT_VISIBILITY[kind].value,
        occurred_at=case.created_at + timedelta(minutes=minutes_after),
        author_name=author,
        body_text=body_text,
        body_html=body_html,
        meta_json=json.dumps(meta) if meta else None,
    )
    session.add(event)
    session.flush()
    return event
