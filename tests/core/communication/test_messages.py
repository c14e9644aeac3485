"""Sending replies and internal notes: event, outbox, attachments, draft and stage move in one transaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.communication.attachments import register_attachment, store_attachment_file
from core.communication.drafts import ensure_draft, load_draft, save_draft
from core.communication.errors import AttachmentError, CommunicationError, EmptyMessageError
from core.communication.messages import OutgoingMessage, send_message
from core.communication.refusals import Refusal, attempt
from core.db.models import AttachmentRow, OutboxRow, StageTransitionRow
from core.db.runner import DbRunner
from core.domain.dtos import Attachment
from core.domain.enums import DraftChannel, EventKind, OutboxOperation, Stage, Visibility
from core.html_sanitizer import sanitize_customer_html
from core.queries.case_detail import load_case
from core.workflow.errors import IllegalTransitionError
from tests.core.communication.conftest import NOW, CaseOnDesk, row_counts

REPLY = (
    "Hi Dana,\n\nthe **fix** is live. See [the notes](https://status.example.com/7).\n\n- sign out\n- sign in"
)


def attach(db: DbRunner, desk: CaseOnDesk, tmp_path: Path, name: str, content: bytes) -> Attachment:
    source = tmp_path / name
    source.write_bytes(content)
    stored = store_attachment_file(tmp_path / "attachments", source)
    draft_id = db.write(ensure_draft, desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, NOW).result()
    return db.write(register_attachment, desk.case_id, draft_id, stored, name, "text/plain", NOW).result()


def outbox_operations(db: DbRunner) -> list[str]:
    def read(session: Session) -> list[str]:
        return list(session.scalars(select(OutboxRow.operation).order_by(OutboxRow.id)))

    return db.read(read).result()


def test_a_reply_appears_pending_with_safe_html_its_attachments_and_no_draft_left(
    db: DbRunner, desk: CaseOnDesk, tmp_path: Path
) -> None:
    db.write(save_draft, desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, REPLY, None, NOW).result()
    log = attach(db, desk, tmp_path, "trace.log", b"NotBefore skew=94s\n")
    message = OutgoingMessage(
        desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, REPLY, attachment_ids=(log.id,)
    )

    changes = db.write(send_message, message, NOW).result()

    [event] = db.read(load_case, desk.case_id).result().timeline
    assert (event.kind, event.visibility, event.pending) == (EventKind.AGENT_REPLY, Visibility.CUSTOMER, True)
    assert event.body_text.startswith(
        "Hi Dana,\n\nthe fix is live. See the notes (https://status.example.com/7)."
    )
    assert event.body_html is not None
    assert "<strong>fix</strong>" in event.body_html and "<li>sign out</li>" in event.body_html
    assert (
        sanitize_customer_html(event.body_html).replace(' rel="noopener noreferrer"', "") == event.body_html
    )
    assert event.meta == {"attachments": "trace.log"}
    assert db.read(load_draft, desk.case_id, DraftChannel.PUBLIC_REPLY, desk.me).result() is None
    assert outbox_operations(db) == [OutboxOperation.ADD_PUBLIC_REPLY.value]
    assert changes.cases == {desk.case_id} and len(changes.outbox) == 1

    def sent(session: Session) -> tuple[int | None, int | None, dict[str, object]]:
        row = session.get_one(AttachmentRow, log.id)
        payload = json.loads(session.scalars(select(OutboxRow.payload_json)).one())
        return row.event_id, row.draft_id, payload

    event_id, draft_id, payload = db.read(sent).result()
    assert (event_id, draft_id) == (event.id, None)
    assert payload["attachments"] == [
        {
            "id": log.id,
            "filename": "trace.log",
            "content_type": "text/plain",
            "size_bytes": 19,
            "sha256": log.sha256,
        }
    ]


def test_an_internal_note_from_the_composer_is_internal(db: DbRunner, desk: CaseOnDesk) -> None:
    db.write(
        send_message,
        OutgoingMessage(desk.case_id, desk.me, DraftChannel.INTERNAL_NOTE, "Ping *Marco* on this"),
        NOW,
    ).result()

    [event] = db.read(load_case, desk.case_id).result().timeline
    assert (event.kind, event.visibility, event.pending) == (
        EventKind.INTERNAL_NOTE,
        Visibility.INTERNAL,
        True,
    )
    assert event.body_html == "<p>Ping <em>Marco</em> on this</p>"
    assert outbox_operations(db) == [OutboxOperation.ADD_INTERNAL_NOTE.value]


def test_the_request_information_message_moves_the_case_to_awaiting_customer(
    db: DbRunner, desk: CaseOnDesk
) -> None:
    message = OutgoingMessage(
        desk.case_id,
        desk.me,
        DraftChannel.PUBLIC_REPLY,
        "Could you send us the HAR file?",
        moves_to_stage=Stage.AWAITING_CUSTOMER,
    )

    changes = db.write(send_message, message, NOW).result()

    detail = db.read(load_case, desk.case_id).result()
    assert detail.header.stage is Stage.AWAITING_CUSTOMER
    assert [event.kind for event in detail.timeline] == [EventKind.AGENT_REPLY, EventKind.FIELD_CHANGE]
    assert detail.timeline[1].meta["to"] == "awaiting_customer" and detail.timeline[1].pending
    assert outbox_operations(db) == [
        OutboxOperation.ADD_PUBLIC_REPLY.value,
        OutboxOperation.CHANGE_STAGE.value,
    ]
    assert len(changes.outbox) == 2

    def transition(session: Session) -> tuple[str | None, str, int | None]:
        row = session.scalars(select(StageTransitionRow)).one()
        return row.from_stage, row.to_stage, row.actor_id

    assert db.read(transition).result() == ("investigating", "awaiting_customer", desk.me)

    db.write(send_message, message, NOW).result()  # asking again while waiting: no second transition
    assert row_counts(db)["stage_transitions"] == 1


def test_a_refused_stage_move_sends_nothing_and_keeps_the_draft(
    db: DbRunner, closed_desk: CaseOnDesk
) -> None:
    body = "Could you send us the HAR file?"
    db.write(
        save_draft, closed_desk.case_id, closed_desk.me, DraftChannel.PUBLIC_REPLY, body, None, NOW
    ).result()
    before = row_counts(db)
    message = OutgoingMessage(
        closed_desk.case_id,
        closed_desk.me,
        DraftChannel.PUBLIC_REPLY,
        body,
        moves_to_stage=Stage.AWAITING_CUSTOMER,
    )

    with pytest.raises(IllegalTransitionError, match="Closed"):
        db.write(send_message, message, NOW).result()

    assert row_counts(db) == before
    draft = db.read(load_draft, closed_desk.case_id, DraftChannel.PUBLIC_REPLY, closed_desk.me).result()
    assert draft is not None and draft.body == body


@pytest.mark.parametrize(
    ("channel", "body", "error", "message"),
    [
        (DraftChannel.PUBLIC_REPLY, "   \n", EmptyMessageError, "The message is empty"),
        (DraftChannel.INVESTIGATION_NOTE, "A note", CommunicationError, "public reply or an internal note"),
    ],
)
def test_an_unsendable_message_is_refused_with_a_reason(
    db: DbRunner, desk: CaseOnDesk, channel: DraftChannel, body: str, error: type[Exception], message: str
) -> None:
    before = row_counts(db)

    with pytest.raises(error, match=message):
        db.write(send_message, OutgoingMessage(desk.case_id, desk.me, channel, body), NOW).result()

    assert row_counts(db) == before


def test_an_attachment_cannot_be_sent_twice(db: DbRunner, desk: CaseOnDesk, tmp_path: Path) -> None:
    log = attach(db, desk, tmp_path, "trace.log", b"once")
    first = OutgoingMessage(
        desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, "Log attached", attachment_ids=(log.id,)
    )
    db.write(send_message, first, NOW).result()
    before = row_counts(db)

    with pytest.raises(AttachmentError, match="already sent"):
        db.write(send_message, first, NOW).result()

    assert row_counts(db) == before


def test_a_refusal_comes_back_as_a_value_with_nothing_written(db: DbRunner, closed_desk: CaseOnDesk) -> None:
    before = row_counts(db)
    message = OutgoingMessage(
        closed_desk.case_id,
        closed_desk.me,
        DraftChannel.PUBLIC_REPLY,
        "Could you send us the HAR file?",
        moves_to_stage=Stage.AWAITING_CUSTOMER,
    )

    outcome = db.write(attempt, send_message, message, NOW).result()

    assert isinstance(outcome, Refusal)
    assert "cannot go to Awaiting customer" in outcome.message
    assert row_counts(db) == before
