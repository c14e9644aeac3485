"""Sending a message on a case: a public reply to the customer or an internal note.

Sending writes, in one transaction: the timeline event (plain text and safe HTML rendered from the
Markdown), its outbox entry (so the event shows as pending until the helpdesk has it), the
attachments linked to the event, the discarded draft, and, when the message asks for it (the
"request information" template), the stage change with its own outbox entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.communication.case_events import case_for_update, record_event
from core.communication.drafts import discard_draft
from core.communication.errors import AttachmentError, CommunicationError, EmptyMessageError
from core.communication.markdown import markdown_to_html, markdown_to_text
from core.communication.stage_move import move_case_for_message
from core.db.models import AttachmentRow
from core.domain.changes import ChangeSet
from core.domain.enums import DraftChannel, EventKind, OutboxOperation, Stage
from core.outbox import JsonValue

MESSAGES_INITIATOR = "messages"

_CHANNELS: dict[DraftChannel, tuple[EventKind, OutboxOperation]] = {
    DraftChannel.PUBLIC_REPLY: (EventKind.AGENT_REPLY, OutboxOperation.ADD_PUBLIC_REPLY),
    DraftChannel.INTERNAL_NOTE: (EventKind.INTERNAL_NOTE, OutboxOperation.ADD_INTERNAL_NOTE),
}


@dataclass(frozen=True)
class OutgoingMessage:
    """A message to send: where it goes, what it says, what it carries and whether it moves the case."""

    case_id: int
    author_id: int | None
    channel: DraftChannel
    body_markdown: str
    attachment_ids: tuple[int, ...] = ()
    moves_to_stage: Stage | None = None


def send_message(session: Session, message: OutgoingMessage, now: datetime) -> ChangeSet:
    """Write ``message`` to the case's timeline and queue it for the helpdesk; see the module docstring."""
    if message.channel not in _CHANNELS:
        raise CommunicationError("Only a public reply or an internal note can be sent from the composer.")
    body = message.body_markdown.strip()
    if not body:
        raise EmptyMessageError("The message is empty. Write something before sending it.")
    case = case_for_update(session, message.case_id)
    attachments = _unsent_attachments(session, message.case_id, message.attachment_ids)
    kind, operation = _CHANNELS[message.channel]
    attachment_payload: list[JsonValue] = [
        {
            "id": row.id,
            "filename": row.filename,
            "content_type": row.content_type,
            "size_bytes": row.size_bytes,
            "sha256": row.sha256,
        }
        for row in attachments
    ]
    body_html = markdown_to_html(body)
    recorded = record_event(
        session,
        case,
        kind=kind,
        author_id=message.author_id,
        body_text=markdown_to_text(body),
        body_html=body_html,
        meta={"attachments": ", ".join(row.filename for row in attachments)} if attachments else None,
        operation=operation,
        payload={
            "body_html": body_html,
            "body_text": markdown_to_text(body),
            "attachments": attachment_payload,
        },
        now=now,
    )
    for row in attachments:
        row.event_id = recorded.event.id
        row.draft_id = None
    outbox = {recorded.outbox.id}
    if message.moves_to_stage is not None:
        outbox |= move_case_for_message(session, case, message.moves_to_stage, message.author_id, now)
    discarded = discard_draft(session, case.id, message.channel, message.author_id)
    return ChangeSet(
        cases=frozenset({case.id}),
        outbox=frozenset(outbox),
        drafts=discarded.drafts,
        initiator=MESSAGES_INITIATOR,
    )


def _unsent_attachments(
    session: Session, case_id: int, attachment_ids: tuple[int, ...]
) -> list[AttachmentRow]:
    if not attachment_ids:
        return []
    rows = {
        row.id: row
        for row in session.scalars(select(AttachmentRow).where(AttachmentRow.id.in_(attachment_ids)))
    }
    for attachment_id in attachment_ids:
        row = rows.get(attachment_id)
        if row is None or row.case_id != case_id:
            raise AttachmentError("An attached file is no longer available. Remove it and attach it again.")
        if row.event_id is not None:
            raise AttachmentError(f"“{row.filename}” was already sent. Remove it from this message.")
    return [rows[attachment_id] for attachment_id in dict.fromkeys(attachment_ids)]
