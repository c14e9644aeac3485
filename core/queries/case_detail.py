"""Loading one case with its whole context (header, timeline, escalations, notes)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from core.db.models import (
    CaseRow,
    ContactRow,
    CustomerRow,
    EscalationRow,
    InvestigationNoteRow,
    OutboxRow,
    PersonRow,
    ProductAreaRow,
    TeamRow,
    TimelineEventRow,
)
from core.domain.dtos import CaseDetail, CaseHeader, Escalation, InvestigationNote, TimelineEvent
from core.domain.enums import EventKind, OutboxState, Priority, Stage, Visibility
from core.routing.history import reroute_count_of


class CaseNotFoundError(LookupError):
    """No case has the given id or number."""


def case_id_for_number(session: Session, number: int) -> int:
    """The id of the case numbered ``number``; raises :class:`CaseNotFoundError`."""
    case_id = session.scalar(select(CaseRow.id).where(CaseRow.number == number))
    if case_id is None:
        raise CaseNotFoundError(f"There is no case number {number} in this workspace.")
    return case_id


def load_case(session: Session, case_id: int) -> CaseDetail:
    """The case ``case_id`` with its timeline in order; raises :class:`CaseNotFoundError`."""
    assignee = aliased(PersonRow)
    row = session.execute(
        select(CaseRow, CustomerRow, ContactRow, ProductAreaRow.name, TeamRow.name, assignee.name)
        .outerjoin(CustomerRow, CustomerRow.id == CaseRow.customer_id)
        .outerjoin(ContactRow, ContactRow.id == CaseRow.contact_id)
        .outerjoin(ProductAreaRow, ProductAreaRow.id == CaseRow.product_area_id)
        .outerjoin(TeamRow, TeamRow.id == CaseRow.team_id)
        .outerjoin(assignee, assignee.id == CaseRow.assignee_id)
        .where(CaseRow.id == case_id)
    ).one_or_none()
    if row is None:
        raise CaseNotFoundError(f"There is no case with id {case_id} in this workspace.")
    case, customer, contact, area_name, team_name, assignee_name = row
    header = CaseHeader(
        id=case.id,
        number=case.number,
        subject=case.subject,
        description=case.description,
        priority=Priority(case.priority),
        tier=case.tier,
        stage=Stage(case.stage),
        customer_name=customer.name if customer else "",
        customer_tier=customer.tier if customer else "",
        arr_cents=customer.arr_cents if customer else 0,
        renewal_date=customer.renewal_date if customer else None,
        contact_name=contact.name if contact else "",
        contact_email=(contact.email or "") if contact else "",
        product_area=area_name or "",
        team_name=team_name or "",
        assignee_name=assignee_name or "",
        created_at=case.created_at,
        updated_at=case.updated_at,
        resolution=case.resolution,
        root_cause=case.root_cause,
        source_system=case.source_system,
        remote_id=case.remote_id,
        reroute_count=reroute_count_of(session, case.id),
    )
    return CaseDetail(
        header=header,
        timeline=tuple(load_timeline(session, case_id)),
        escalations=tuple(_load_escalations(session, case_id)),
        notes=tuple(_load_notes(session, case_id)),
    )


def load_timeline(session: Session, case_id: int) -> list[TimelineEvent]:
    """The timeline events of a case, oldest first; ``pending`` while their outbox entry is not done."""
    rows = session.execute(
        select(TimelineEventRow, OutboxRow.state)
        .outerjoin(OutboxRow, OutboxRow.id == TimelineEventRow.outbox_id)
        .where(TimelineEventRow.case_id == case_id)
        .order_by(TimelineEventRow.occurred_at, TimelineEventRow.id)
    )
    return [
        TimelineEvent(
            id=event.id,
            kind=EventKind(event.kind),
            visibility=Visibility(event.visibility),
            occurred_at=event.occurred_at,
            author_name=event.author_name,
            body_text=event.body_text,
            body_html=event.body_html,
            meta=_meta_texts(event.meta_json),
            pending=outbox_state is not None and outbox_state != OutboxState.DONE.value,
        )
        for event, outbox_state in rows
    ]


def _load_escalations(session: Session, case_id: int) -> list[Escalation]:
    rows = session.execute(
        select(EscalationRow, TeamRow.name, PersonRow.name)
        .outerjoin(TeamRow, TeamRow.id == EscalationRow.team_id)
        .outerjoin(PersonRow, PersonRow.id == EscalationRow.requested_by_id)
        .where(EscalationRow.case_id == case_id)
        .order_by(EscalationRow.requested_at, EscalationRow.id)
    ).all()
    return [
        Escalation(
            id=esc.id,
            tier=esc.tier,
            reason_code=esc.reason_code,
            stage=Stage(esc.stage),
            team_name=team or "",
            requested_by=person or "",
            requested_at=esc.requested_at,
            justification=esc.justification,
            override_reason=esc.override_reason,
            closed_at=esc.closed_at,
        )
        for esc, team, person in rows
    ]


def _load_notes(session: Session, case_id: int) -> list[InvestigationNote]:
    rows = session.execute(
        select(InvestigationNoteRow, PersonRow.name)
        .outerjoin(PersonRow, PersonRow.id == InvestigationNoteRow.author_id)
        .where(InvestigationNoteRow.case_id == case_id)
        .order_by(InvestigationNoteRow.created_at, InvestigationNoteRow.id)
    ).all()
    return [
        InvestigationNote(
            id=note.id,
            kind=note.kind,
            body=note.body,
            author_name=author or "",
            created_at=note.created_at,
            updated_at=note.updated_at,
        )
        for note, author in rows
    ]


def _meta_texts(meta_json: str | None) -> dict[str, str]:
    """An event's metadata as display texts (a JSON null becomes an empty text, not "None")."""
    if not meta_json:
        return {}
    return {str(key): "" if value is None else str(value) for key, value in json.loads(meta_json).items()}
