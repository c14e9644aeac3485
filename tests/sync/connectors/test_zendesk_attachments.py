"""A reply or note sent with attached files reaches the Zendesk ticket with those files, byte for byte.

Against the sandbox over real HTTPS: the message is written as the composer writes it
(:func:`core.communication.messages.send_message`), the engine delivers it, and the files are
downloaded back from the comment's ``content_url``.
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from core.communication.attachments import (
    register_attachment,
    store_attachment_file,
    workspace_attachments_dir,
)
from core.communication.messages import OutgoingMessage, send_message
from core.db.runner import DbRunner
from core.db.types import utc_now
from core.domain.enums import DraftChannel, OutboxState
from core.outbox import pending_entries
from sync.engine import SyncEngine
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.engine.conftest import FakeClock, RecordingSleep
from tests.sync.engine.sandbox_setup import case_id_of, connect, live_ticket, sandbox_engine

pytestmark = pytest.mark.asyncio

LOG_TEXT = "2026-11-26 09:14:02 ERROR saml: assertion signature invalid\n" * 40


def write_files(folder: Path) -> dict[str, bytes]:
    """Two files to attach: a text log and a binary "screenshot" (every byte value, some random)."""
    files = {
        "idp-error.log": LOG_TEXT.encode(),
        "screenshot.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + os.urandom(64 * 1024),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return files


def send_with_attachments(
    db: DbRunner, case_id: int, channel: DraftChannel, body: str, sources: list[Path]
) -> list[str]:
    """Attach ``sources`` to the case (stored by SHA-256 in the workspace) and send the message;
    returns the stored files' SHA-256."""

    def write(session: Session) -> list[str]:
        now = utc_now()
        folder = workspace_attachments_dir(session)
        ids, hashes = [], []
        for source in sources:
            stored = store_attachment_file(folder, source)
            content_type = "image/png" if source.suffix == ".png" else "text/plain"
            ids.append(register_attachment(session, case_id, None, stored, source.name, content_type, now).id)
            hashes.append(stored.sha256)
        send_message(session, OutgoingMessage(case_id, None, channel, body, tuple(ids)), now)
        return hashes

    return db.write(write).result()


async def synced(db: DbRunner, sandbox: ZendeskSandbox) -> SyncEngine:
    connect(db, sandbox)
    engine = sandbox_engine(db, FakeClock(), RecordingSleep())
    report = await engine.run_once()
    assert report.ok, report
    return engine


def comment_with(sandbox: ZendeskSandbox, ticket_id: int, text: str) -> list[dict[str, object]]:
    """The ticket's comments on the sandbox whose body contains ``text``."""
    return [c for c in sandbox.store.comments(ticket_id) if text in str(c["body"])]


async def test_a_reply_with_two_attachments_arrives_with_both_files_byte_identical(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, tmp_path: Path
) -> None:
    files = write_files(tmp_path / "to-attach")
    engine = await synced(db, zendesk_sandbox)
    try:
        ticket = live_ticket(zendesk_sandbox)
        case_id = case_id_of(db, ticket)
        body = "Here is the IdP log and a screenshot of the error."
        sources = [tmp_path / "to-attach" / name for name in files]
        send_with_attachments(db, case_id, DraftChannel.PUBLIC_REPLY, body, sources)
        report = await engine.run_once()
    finally:
        await engine.aclose()

    assert report.connections[0].delivered == 1, report
    assert db.read(pending_entries).result() == []
    [comment] = comment_with(zendesk_sandbox, ticket, body)
    assert comment["public"] is True
    attachments = comment["attachments"]
    assert isinstance(attachments, list)
    assert sorted(a["file_name"] for a in attachments) == sorted(files)
    verify = ssl.create_default_context(cafile=str(zendesk_sandbox.ca_bundle))
    async with httpx.AsyncClient(verify=verify) as client:
        for attachment in attachments:
            response = await client.get(attachment["content_url"])
            assert response.status_code == 200
            assert response.content == files[attachment["file_name"]]
            assert attachment["size"] == len(files[attachment["file_name"]])
    content_types = {a["file_name"]: a["content_type"] for a in attachments}
    assert content_types == {"idp-error.log": "text/plain", "screenshot.png": "image/png"}


async def test_an_internal_note_carries_its_attachment_privately(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, tmp_path: Path
) -> None:
    files = write_files(tmp_path / "to-attach")
    engine = await synced(db, zendesk_sandbox)
    try:
        ticket = live_ticket(zendesk_sandbox)
        body = "Log from the customer's IdP, for engineering."
        source = tmp_path / "to-attach" / "idp-error.log"
        send_with_attachments(db, case_id_of(db, ticket), DraftChannel.INTERNAL_NOTE, body, [source])
        await engine.run_once()
    finally:
        await engine.aclose()

    [comment] = comment_with(zendesk_sandbox, ticket, body)
    assert comment["public"] is False
    [attachment] = comment["attachments"]  # type: ignore[misc]
    assert (
        zendesk_sandbox.store.attachment(attachment["content_url"].split("/")[-2]).content
        == files["idp-error.log"]
    )


async def test_a_missing_attachment_file_fails_the_reply_with_a_message_naming_the_file(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, tmp_path: Path
) -> None:
    write_files(tmp_path / "to-attach")
    engine = await synced(db, zendesk_sandbox)
    try:
        ticket = live_ticket(zendesk_sandbox)
        case_id = case_id_of(db, ticket)
        body = "The log you asked for is attached."
        sources = [tmp_path / "to-attach" / "idp-error.log", tmp_path / "to-attach" / "screenshot.png"]
        hashes = send_with_attachments(db, case_id, DraftChannel.PUBLIC_REPLY, body, sources)
        folder = db.read(workspace_attachments_dir).result()
        (folder / hashes[1]).unlink()  # the stored screenshot is gone (a cleanup, a restored backup...)
        uploads_before = sum(1 for _method, path in zendesk_sandbox.store.requests_seen if "uploads" in path)
        report = await engine.run_once()
    finally:
        await engine.aclose()

    [entry] = db.read(pending_entries).result()
    assert entry.state is OutboxState.FAILED
    assert entry.last_error is not None and "screenshot.png" in entry.last_error
    assert "missing" in entry.last_error
    assert report.connections[0].delivered == 0
    assert comment_with(zendesk_sandbox, ticket, body) == []
    uploads_after = sum(1 for _method, path in zendesk_sandbox.store.requests_seen if "uploads" in path)
    assert uploads_after == uploads_before  # nothing was uploaded for a message that cannot go


async def test_a_file_zendesk_finds_too_large_fails_the_reply_with_zendesks_reason(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, tmp_path: Path
) -> None:
    files = write_files(tmp_path / "to-attach")
    zendesk_sandbox.store.max_upload_bytes = len(files["screenshot.png"]) - 1  # the log fits, the image not
    engine = await synced(db, zendesk_sandbox)
    try:
        ticket = live_ticket(zendesk_sandbox)
        body = "Screenshot of the failing login attached."
        sources = [tmp_path / "to-attach" / name for name in files]
        send_with_attachments(db, case_id_of(db, ticket), DraftChannel.PUBLIC_REPLY, body, sources)
        await engine.run_once()
    finally:
        await engine.aclose()

    [entry] = db.read(pending_entries).result()
    assert entry.state is OutboxState.FAILED
    assert entry.last_error is not None
    assert "screenshot.png" in entry.last_error and "exceeds the limit" in entry.last_error
    assert comment_with(zendesk_sandbox, ticket, body) == []


async def test_a_stored_file_changed_after_it_was_attached_is_not_sent(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, tmp_path: Path
) -> None:
    write_files(tmp_path / "to-attach")
    engine = await synced(db, zendesk_sandbox)
    try:
        ticket = live_ticket(zendesk_sandbox)
        body = "Log attached (before it was tampered with)."
        source = tmp_path / "to-attach" / "idp-error.log"
        [sha] = send_with_attachments(db, case_id_of(db, ticket), DraftChannel.INTERNAL_NOTE, body, [source])
        folder = db.read(workspace_attachments_dir).result()
        (folder / sha).write_bytes(b"something else entirely")
        await engine.run_once()
    finally:
        await engine.aclose()

    [entry] = db.read(pending_entries).result()
    assert entry.state is OutboxState.FAILED
    assert (
        entry.last_error is not None and "idp-error.log" in entry.last_error and "changed" in entry.last_error
    )
    assert comment_with(zendesk_sandbox, ticket, body) == []
