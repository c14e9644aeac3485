"""Storing attachment files: size limit, atomic writes, one copy per content, clear errors."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from core.communication.attachments import (
    register_attachment,
    remove_draft_attachment,
    store_attachment_file,
    workspace_attachments_dir,
)
from core.communication.drafts import ensure_draft, load_draft
from core.communication.errors import AttachmentError
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel
from core.workspace import WorkspacePaths
from tests.core.communication.conftest import NOW, CaseOnDesk


def test_a_file_is_stored_under_its_hash_and_the_same_content_only_once(tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    content = b"2026-10-31T09:12:03Z ERROR saml: NotBefore in the future\n"
    (tmp_path / "a.log").write_bytes(content)
    (tmp_path / "copy-of-a.log").write_bytes(content)

    first = store_attachment_file(store, tmp_path / "a.log")
    second = store_attachment_file(store, tmp_path / "copy-of-a.log")

    assert first == second
    assert first.sha256 == hashlib.sha256(content).hexdigest()
    assert first.size_bytes == len(content)
    assert first.path.read_bytes() == content
    assert sorted(path.name for path in store.iterdir()) == [first.sha256]


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(tmp_path: Path) -> None:
    (tmp_path / "huge.har").write_bytes(b"x" * 3 * 1024 * 1024)

    with pytest.raises(AttachmentError, match=r"“huge.har” is 3 MB; attachments can be at most 2 MB"):
        store_attachment_file(tmp_path / "attachments", tmp_path / "huge.har", max_bytes=2 * 1024 * 1024)

    assert not (tmp_path / "attachments").exists() or not any((tmp_path / "attachments").iterdir())


def test_a_missing_file_or_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AttachmentError, match=r"“gone\.log” cannot be read"):
        store_attachment_file(tmp_path / "attachments", tmp_path / "gone.log")
    (tmp_path / "folder").mkdir()
    with pytest.raises(AttachmentError, match="“folder” is not a file"):
        store_attachment_file(tmp_path / "attachments", tmp_path / "folder")


def test_a_full_disk_leaves_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "attachments"
    (tmp_path / "big.log").write_bytes(b"y" * 300_000)

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(AttachmentError, match=r"not enough free disk space to attach “big\.log”"):
        store_attachment_file(store, tmp_path / "big.log")

    assert list(store.iterdir()) == []


def test_registered_attachments_belong_to_the_draft_until_removed(
    db: DbRunner, desk: CaseOnDesk, tmp_path: Path, workspace_dir: Path
) -> None:
    store = db.read(workspace_attachments_dir).result()
    (tmp_path / "screen.png").write_bytes(b"\x89PNG fake")
    stored = store_attachment_file(store, tmp_path / "screen.png")
    draft_id = db.write(ensure_draft, desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, NOW).result()

    attachment = db.write(
        register_attachment, desk.case_id, draft_id, stored, "screen.png", "image/png", NOW
    ).result()

    assert store == WorkspacePaths(workspace_dir.resolve()).attachments
    draft = db.read(load_draft, desk.case_id, DraftChannel.PUBLIC_REPLY, desk.me).result()
    assert draft is not None and draft.attachments == (attachment,)
    db.write(remove_draft_attachment, attachment.id).result()
    draft = db.read(load_draft, desk.case_id, DraftChannel.PUBLIC_REPLY, desk.me).result()
    assert draft is not None and draft.attachments == ()
