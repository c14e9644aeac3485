"""Investigation notes: structured, internal entries (hypothesis → test → result) written in Markdown.

Saving a note writes the note, the internal timeline event that shows it, and the outbox entry that
delivers it as an internal note, and discards the note's draft, all in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.communication.case_events import case_for_update, record_event
from core.communication.drafts import discard_draft
from core.communication.errors import EmptyMessageError
from core.communication.markdown import markdown_to_html
from core.db.models import InvestigationNoteRow
from core.domain.changes import ChangeSet
from core.domain.enums import DraftChannel, EventKind, NoteKind, OutboxOperation

NOTES_INITIATOR = "notes"


def save_investigation_note(
    session: Session,
    case_id: int,
    author_id: int | None,
    kind: NoteKind,
    body_markdown: str,
    now: datetime,
) -> ChangeSet:
    """Record a note of ``kind`` on the case, show it in the timeline as internal and queue it."""
    body = body_markdown.strip()
    if not body:
        raise EmptyMessageError("The note is empty. Write what you found, tested or suspect, then save it.")
    case = case_for_update(session, case_id)
    recorded = record_event(
        session,
        case,
        kind=EventKind.INTERNAL_NOTE,
        author_id=author_id,
        body_text=body,
        body_html=None,  # the timeline renders the Markdown of a note itself
        meta={"note_kind": kind.value},
        operation=OutboxOperation.ADD_INTERNAL_NOTE,
        payload={"note_kind": kind.value, "body_text": body, "body_html": markdown_to_html(body)},
        now=now,
    )
    note = InvestigationNoteRow(
        case_id=case.id,
        author_id=author_id,
        kind=kind.value,
        body=body,
        created_at=now,
        updated_at=now,
        event_id=recorded.event.id,
    )
    session.add(note)
    session.flush()
    discarded = discard_draft(session, case.id, DraftChannel.INVESTIGATION_NOTE, author_id)
    return ChangeSet(
        cases=frozenset({case.id}),
        notes=frozenset({note.id}),
        outbox=frozenset({recorded.outbox.id}),
        drafts=discarded.drafts,
        initiator=NOTES_INITIATOR,
    )
