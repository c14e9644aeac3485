"""The Outbox view's summary of a reply names the files it carries."""

from __future__ import annotations

from core.db.types import utc_now
from core.domain.enums import OutboxOperation, OutboxState
from core.outbox import JsonValue, OutboxEntry
from core.remote.outbox_text import payload_summary


def reply(payload: dict[str, JsonValue]) -> OutboxEntry:
    return OutboxEntry(
        id=1,
        idempotency_key="k",
        case_id=1,
        connection_id="zendesk",
        remote_id=None,
        operation=OutboxOperation.ADD_PUBLIC_REPLY,
        payload=payload,
        state=OutboxState.FAILED,
        attempts=1,
        last_error=None,
        created_at=utc_now(),
    )


def test_a_reply_with_attachments_names_them_after_its_text() -> None:
    files: list[JsonValue] = [
        {"filename": "idp-error.log", "sha256": "a" * 64, "size_bytes": 10, "content_type": "text/plain"},
        {"filename": "screenshot.png", "sha256": "b" * 64, "size_bytes": 20, "content_type": "image/png"},
    ]

    summary = payload_summary(reply({"body_text": "Logs attached.", "attachments": files}))

    assert summary == "Public reply: Logs attached. (attached: idp-error.log, screenshot.png)"


def test_a_reply_without_attachments_says_nothing_about_files() -> None:
    summary = payload_summary(reply({"body_text": "No files here.", "attachments": []}))

    assert summary == "Public reply: No files here."
