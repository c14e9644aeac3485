"""Reading the context of a batch of cases for export: timelines, escalations, transitions and notes.

Each reader fetches its table for the whole batch in one query and returns
the records grouped by case id, in the order the document lists them. The
orders matter: links between records are indexes into these lists, and an
import inserts the records in the same order, so a re-export lists them alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, aliased

from core.db.models import (
    EscalationRow,
    InvestigationNoteRow,
    OutboxRow,
    PersonRow,
    StageTransitionRow,
    TeamRow,
    TimelineEventRow,
)
from core.domain.enums import (
    EventKind,
    NoteKind,
    OutboxState,
    ReasonCode,
    SourceSystem,
    Stage,
    TransitionKind,
    Visibility,
)
from core.transfer.json_values import stored_object
from core.transfer.schema import EscalationRecord, EventRecord, NoteRecord, TransitionRecord

Grouped = dict[int, tuple[Any, ...]]


@dataclass(frozen=True)
class Indexes:
    """Where rows landed in their case's lists, to write links as indexes instead of database ids.

    A link to a row of another case cannot be written as an index; it is left out (None).
    """

    events: dict[int, tuple[int, int]] = field(default_factory=dict)
    escalations: dict[int, tuple[int, int]] = field(default_factory=dict)
    events_by_outbox: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    transitions: dict[int, tuple[int, int]] = field(default_factory=dict)
    outbox: dict[int, tuple[int, int]] = field(default_factory=dict)

    def event(self, case_id: int, event_id: int | None) -> int | None:
        """The index of event ``event_id`` in the timeline of case ``case_id``."""
        return _within(self.events, case_id, event_id)

    def escalation(self, case_id: int, escalation_id: int | None) -> int | None:
        """The index of escalation ``escalation_id`` in the escalations of case ``case_id``."""
        return _within(self.escalations, case_id, escalation_id)

    def transition(self, case_id: int, transition_id: int | None) -> int | None:
        """The index of transition ``transition_id`` in the stage transitions of case ``case_id``."""
        return _within(self.transitions, case_id, transition_id)

    def outbox_entry(self, case_id: int, outbox_id: int | None) -> int | None:
        """The index of outbox entry ``outbox_id`` in the outbox of case ``case_id``."""
        return _within(self.outbox, case_id, outbox_id)

    def outbox_events(self, case_id: int, outbox_id: int) -> tuple[int, ...]:
        """The indexes of the events of case ``case_id`` that outbox entry ``outbox_id`` delivers."""
        return tuple(self.events_by_outbox.get((case_id, outbox_id), ()))


def _within(indexes: dict[int, tuple[int, int]], case_id: int, row_id: int | None) -> int | None:
    found = None if row_id is None else indexes.get(row_id)
    return found[1] if found is not None and found[0] == case_id else None


def columns(table: type[Any]) -> list[Any]:
    """Every column of an ORM table, for a select that returns rows rather than slow ORM objects."""
    return list(table.__table__.columns)


def group(rows: Iterable[tuple[int, Any]]) -> Grouped:
    """``(case id, record)`` pairs as each case's records, in the order given."""
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for case_id, item in rows:
        grouped[case_id].append(item)
    return {case_id: tuple(items) for case_id, items in grouped.items()}


def number_within_cases(rows: Iterable[Any], indexes: dict[int, tuple[int, int]]) -> None:
    """Record each row's case and index within it in ``indexes`` (rows come in document order)."""
    per_case: defaultdict[int, int] = defaultdict(int)
    for row in rows:
        indexes[row.id] = (row.case_id, per_case[row.case_id])
        per_case[row.case_id] += 1


def case_rows(
    session: Session, table: type[Any], case_ids: list[int], *order: Any, **people: Any
) -> Sequence[Row[Any]]:
    """Every column of ``table``'s rows of the cases, by case, then ``order``, then id.

    Each keyword names a foreign key to a person; the row gets that person's name under the
    keyword (None when the key is empty).
    """
    statement = select(*columns(table))
    for label, person_id in people.items():
        person = aliased(PersonRow)
        statement = statement.add_columns(person.name.label(label)).outerjoin(person, person.id == person_id)
    return session.execute(
        statement.where(table.case_id.in_(case_ids)).order_by(table.case_id, *order, table.id)
    ).all()


def timelines(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Timeline events per case; fills ``indexes.events`` and ``indexes.events_by_outbox``."""
    rows = session.execute(
        select(*columns(TimelineEventRow), OutboxRow.state.label("outbox_state"))
        .outerjoin(OutboxRow, OutboxRow.id == TimelineEventRow.outbox_id)
        .where(TimelineEventRow.case_id.in_(case_ids))
        .order_by(TimelineEventRow.case_id, TimelineEventRow.occurred_at, TimelineEventRow.id)
    ).all()
    number_within_cases(rows, indexes.events)
    for event in rows:
        if event.outbox_id is not None:
            delivered = indexes.events_by_outbox.setdefault((event.case_id, event.outbox_id), [])
            delivered.append(indexes.events[event.id][1])
    return group(
        (
            event.case_id,
            EventRecord(
                kind=EventKind(event.kind),
                visibility=Visibility(event.visibility),
                occurred_at=event.occurred_at,
                author=event.author_name,
                body_text=event.body_text,
                body_html=event.body_html,
                meta=stored_object(event.meta_json),
                source_system=SourceSystem(event.source_system),
                remote_id=event.remote_id,
                pending=event.outbox_state not in (None, OutboxState.DONE.value),
            ),
        )
        for event in rows
    )


def escalations(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Escalation episodes per case; fills ``indexes.escalations``."""
    requester = aliased(PersonRow)
    rows = session.execute(
        select(*columns(EscalationRow), TeamRow.name.label("team"), requester.name.label("requested_by"))
        .outerjoin(TeamRow, TeamRow.id == EscalationRow.team_id)
        .outerjoin(requester, requester.id == EscalationRow.requested_by_id)
        .where(EscalationRow.case_id.in_(case_ids))
        .order_by(EscalationRow.case_id, EscalationRow.requested_at, EscalationRow.id)
    ).all()
    number_within_cases(rows, indexes.escalations)
    return group(
        (
            escalation.case_id,
            EscalationRecord(
                tier=escalation.tier,
                reason_code=ReasonCode(escalation.reason_code),
                stage=Stage(escalation.stage),
                team=escalation.team,
                requested_by=escalation.requested_by,
                requested_at=escalation.requested_at,
                justification=escalation.justification,
                override_reason=escalation.override_reason,
                closed_at=escalation.closed_at,
                recommended_tier=escalation.recommended_tier,
                recommendation=stored_object(escalation.recommendation_json),
                readiness=stored_object(escalation.readiness_json),
            ),
        )
        for escalation in rows
    )


def transitions(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Recorded stage changes per case, each naming its escalation by index; fills ``indexes.transitions``."""
    rows = case_rows(
        session, StageTransitionRow, case_ids, StageTransitionRow.at, actor=StageTransitionRow.actor_id
    )
    number_within_cases(rows, indexes.transitions)
    return group(
        (
            transition.case_id,
            TransitionRecord(
                from_stage=None if transition.from_stage is None else Stage(transition.from_stage),
                to_stage=Stage(transition.to_stage),
                actor=transition.actor,
                at=transition.at,
                reason=transition.reason,
                escalation=indexes.escalation(transition.case_id, transition.escalation_id),
                kind=None if transition.kind is None else TransitionKind(transition.kind),
                details=stored_object(transition.details_json),
            ),
        )
        for transition in rows
    )


def notes(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Investigation notes per case, each naming the timeline event that shows it by index."""
    rows = case_rows(
        session,
        InvestigationNoteRow,
        case_ids,
        InvestigationNoteRow.created_at,
        author=InvestigationNoteRow.author_id,
    )
    return group(
        (
            note.case_id,
            NoteRecord(
                kind=NoteKind(note.kind),
                body=note.body,
                author=note.author,
                created_at=note.created_at,
                updated_at=note.updated_at,
                event=indexes.event(note.case_id, note.event_id),
            ),
        )
        for note in rows
    )
