"""Investigation notes: the note, its internal timeline event and its outbox entry, in one transaction."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.communication.drafts import load_draft, save_draft
from core.communication.errors import EmptyMessageError
from core.communication.notes import save_investigation_note
from core.db.models import InvestigationNoteRow, OutboxRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, EventKind, NoteKind, OutboxOperation, Visibility
from core.queries.case_detail import CaseNotFoundError, load_case
from tests.core.communication.conftest import NOW, CaseOnDesk, row_counts


def test_a_note_shows_as_a_pending_internal_event_and_replaces_its_draft(
    db: DbRunner, desk: CaseOnDesk
) -> None:
    body = "**Clock skew** between the IdP and us:\n- NotBefore is 94 s ahead"
    db.write(save_draft, desk.case_id, desk.me, DraftChannel.INVESTIGATION_NOTE, body, None, NOW).result()

    changes = db.write(
        save_investigation_note, desk.case_id, desk.me, NoteKind.HYPOTHESIS, body, NOW
    ).result()

    detail = db.read(load_case, desk.case_id).result()
    [event] = detail.timeline
    assert event.kind is EventKind.INTERNAL_NOTE
    assert event.visibility is Visibility.INTERNAL
    assert event.body_text == body
    assert event.meta == {"note_kind": "hypothesis"}
    assert event.author_name == "Priya Raman"
    assert event.occurred_at == NOW
    assert event.pending
    [note] = detail.notes
    assert (note.kind, note.body) == ("hypothesis", body)
    assert changes.cases == {desk.case_id} and changes.notes == {note.id} and len(changes.outbox) == 1
    assert db.read(load_draft, desk.case_id, DraftChannel.INVESTIGATION_NOTE, desk.me).result() is None

    def links(session: Session) -> tuple[int | None, int | None, str, dict[str, object]]:
        note_row = session.scalars(select(InvestigationNoteRow)).one()
        event_row = session.get_one(TimelineEventRow, note_row.event_id)
        outbox = session.get_one(OutboxRow, event_row.outbox_id)
        return note_row.event_id, event_row.outbox_id, outbox.operation, json.loads(outbox.payload_json)

    event_id, outbox_id, operation, payload = db.read(links).result()
    assert event_id == event.id and outbox_id in changes.outbox
    assert operation == OutboxOperation.ADD_INTERNAL_NOTE.value
    assert payload["note_kind"] == "hypothesis" and payload["event_id"] == event.id
    assert "<strong>Clock skew</strong>" in str(payload["body_html"])


def test_an_empty_note_is_refused_and_nothing_is_written(db: DbRunner, desk: CaseOnDesk) -> None:
    db.write(save_draft, desk.case_id, desk.me, DraftChannel.INVESTIGATION_NOTE, "  \n", None, NOW).result()
    before = row_counts(db)

    with pytest.raises(EmptyMessageError, match="The note is empty"):
        db.write(save_investigation_note, desk.case_id, desk.me, NoteKind.RESULT, " \n\t", NOW).result()

    assert row_counts(db) == before


def test_a_note_on_a_missing_case_says_so(db: DbRunner, desk: CaseOnDesk) -> None:
    with pytest.raises(CaseNotFoundError):
        db.write(save_investigation_note, 987654, desk.me, NoteKind.NOTE, "Lost?", NOW).result()
