"""Attachments: files copied into the workspace by their SHA-256, then registered on a case.

Storing is plain file I/O and runs off the DB thread (on a helper executor): the file is copied to a
temporary name in the workspace's attachments folder (:attr:`core.workspace.WorkspacePaths.attachments`),
flushed to disk, and renamed to its SHA-256 in one atomic step, so the folder never holds a
half-written attachment, whatever fails. The same content is stored once. Registering the stored
file on a case is a unit of work on the DB thread.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from core.communication.case_events import case_for_update
from core.communication.drafts import ensure_draft, to_attachment
from core.communication.errors import AttachmentError
from core.db.models import AttachmentRow, DraftRow
from core.domain.dtos import Attachment
from core.domain.enums import DraftChannel
from core.workspace import WorkspacePaths

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_TEMP_PREFIX = ".incoming-"
_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


@dataclass(frozen=True)
class StoredFile:
    """A file stored in the workspace's attachments folder under its content hash."""

    sha256: str
    size_bytes: int
    stored_name: str
    path: Path


def workspace_attachments_dir(session: Session) -> Path:
    """The attachments folder of the workspace whose database ``session`` is bound to."""
    database = session.get_bind().engine.url.database
    if not database:
        raise AttachmentError("This workspace has no folder on disk, so it cannot store attachments.")
    return WorkspacePaths.of_database(Path(database).resolve()).attachments


def describe_size(size_bytes: int) -> str:
    """A size in words for messages ("25 MB", "312 KB")."""
    if size_bytes >= 1024 * 1024:
        return f"{size_bytes / (1024 * 1024):.0f} MB"
    return f"{max(1, round(size_bytes / 1024))} KB"


def store_attachment_file(
    attachments_dir: Path, source: Path, max_bytes: int = MAX_ATTACHMENT_BYTES
) -> StoredFile:
    """Copy ``source`` into ``attachments_dir`` as ``<sha256>``; atomic, deduplicated, size-limited.

    Raises :class:`AttachmentError` with a message for the user when the file is too large, cannot be
    read, or the disk is full; nothing is left behind in that case.
    """
    name = source.name
    try:
        size = source.stat().st_size
    except OSError as error:
        raise AttachmentError(f"“{name}” cannot be read ({_reason(error)}). Choose another file.") from error
    if not source.is_file():
        raise AttachmentError(f"“{name}” is not a file. Choose a file to attach.")
    if size > max_bytes:
        raise _too_large(name, size, max_bytes)
    try:
        attachments_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _storage_error(name, error) from error
    return _copy_atomically(attachments_dir, source, max_bytes)


def register_attachment(
    session: Session,
    case_id: int,
    draft_id: int | None,
    stored: StoredFile,
    filename: str,
    content_type: str,
    now: datetime,
) -> Attachment:
    """Record ``stored`` as an attachment of the case (and of draft ``draft_id``, until it is sent)."""
    case_for_update(session, case_id)
    if draft_id is not None:
        draft = session.get(DraftRow, draft_id)
        if draft is None or draft.case_id != case_id:
            raise AttachmentError("The draft this file was attached to no longer exists. Attach it again.")
    row = AttachmentRow(
        case_id=case_id,
        draft_id=draft_id,
        filename=Path(filename).name or stored.stored_name,
        content_type=content_type or "application/octet-stream",
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        stored_name=stored.stored_name,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return to_attachment(row)


def attach_to_draft(
    session: Session,
    case_id: int,
    author_id: int | None,
    channel: DraftChannel,
    stored: StoredFile,
    filename: str,
    content_type: str,
    now: datetime,
) -> Attachment:
    """Register ``stored`` on the author's draft for ``channel`` (created empty if there is none yet)."""
    case_for_update(session, case_id)
    draft_id = ensure_draft(session, case_id, author_id, channel, now)
    return register_attachment(session, case_id, draft_id, stored, filename, content_type, now)


def remove_draft_attachment(session: Session, attachment_id: int) -> None:
    """Take an attachment off its draft (before sending); one already sent is refused."""
    row = session.get(AttachmentRow, attachment_id)
    if row is None:
        return
    if row.event_id is not None:
        raise AttachmentError(f"“{row.filename}” was already sent and stays on the case.")
    session.delete(row)
    session.flush()


def _copy_atomically(attachments_dir: Path, source: Path, max_bytes: int) -> StoredFile:
    name = source.name
    digest = hashlib.sha256()
    size = 0
    try:
        handle, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=attachments_dir)
    except OSError as error:
        raise _storage_error(name, error) from error
    temp_path = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as target:
            try:
                reader = source.open("rb")
            except OSError as error:
                raise AttachmentError(
                    f"“{name}” cannot be read ({_reason(error)}). Choose another file."
                ) from error
            with reader:
                while chunk := reader.read(_CHUNK_BYTES):
                    size += len(chunk)
                    if size > max_bytes:  # the file grew after it was measured
                        raise _too_large(name, size, max_bytes)
                    digest.update(chunk)
                    target.write(chunk)
            target.flush()
            os.fsync(target.fileno())
        sha = digest.hexdigest()
        final_path = attachments_dir / sha
        if final_path.exists():
            temp_path.unlink()  # the same content is already stored
        else:
            os.replace(temp_path, final_path)
            _fsync_dir(attachments_dir)
        return StoredFile(sha256=sha, size_bytes=size, stored_name=sha, path=final_path)
    except AttachmentError:
        _remove_quietly(temp_path)
        raise
    except OSError as error:
        _remove_quietly(temp_path)
        raise _storage_error(name, error) from error


def _too_large(name: str, size: int, max_bytes: int) -> AttachmentError:
    return AttachmentError(
        f"“{name}” is {describe_size(size)}; attachments can be at most {describe_size(max_bytes)}. "
        "Compress it or share a link to it instead."
    )


def _storage_error(name: str, error: OSError) -> AttachmentError:
    if error.errno in _DISK_FULL:
        return AttachmentError(
            f"There is not enough free disk space to attach “{name}”. Free some space and attach it again."
        )
    return AttachmentError(f"“{name}” could not be stored in the workspace ({_reason(error)}).")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on every platform.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
