"""Files attached to a reply or note, uploaded to Zendesk before the comment that carries them.

A message's outbox payload lists its attachments (``attachments``: file name, content type,
size, SHA-256); the files themselves are in the workspace's attachments folder under their
SHA-256 (:mod:`core.communication.attachments`). Each is sent to ``POST /api/v2/uploads.json``
and the comment names the returned tokens in ``uploads``. Uploading again is harmless (an
unused upload expires), so an interrupted push simply uploads again; the comment is what the
idempotency marker protects.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from core.outbox import JsonValue
from sync.connectors.base import PushRejected
from sync.connectors.zendesk.json_values import obj, optional_text
from sync.http import ApiClient, Rejected, RetryPolicy

UPLOADS_PATH = "api/v2/uploads.json"
DEFAULT_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class OutgoingFile:
    """One attachment of a message, as its outbox payload describes it."""

    filename: str
    content_type: str
    size_bytes: int
    sha256: str


def files_of(payload: Mapping[str, JsonValue]) -> tuple[OutgoingFile, ...]:
    """The attachments a message's payload lists; raises :class:`PushRejected` for an unreadable list."""
    items = payload.get("attachments")
    if items is None:
        return ()
    if not isinstance(items, list):
        raise PushRejected("The message's attachment list is damaged, so it cannot be sent.")
    files: list[OutgoingFile] = []
    for item in items:
        sha = item.get("sha256") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(sha, str) or not sha:
            raise PushRejected("An attachment of this message has no stored file, so it cannot be sent.")
        size = item.get("size_bytes")
        files.append(
            OutgoingFile(
                filename=_text(item.get("filename")) or sha,
                content_type=_text(item.get("content_type")) or DEFAULT_CONTENT_TYPE,
                size_bytes=size if isinstance(size, int) and not isinstance(size, bool) else -1,
                sha256=sha,
            )
        )
    return tuple(files)


def read_file(folder: Path | None, file: OutgoingFile) -> bytes:
    """The stored bytes of ``file``; raises :class:`PushRejected` naming the file when it is missing,
    unreadable or no longer the file that was attached."""
    if folder is None:
        raise PushRejected(
            f"“{file.filename}” cannot be sent: this workspace has no attachments folder on disk."
        )
    path = folder / file.sha256
    if path.name != file.sha256 or path.parent != folder:  # a hash names a file in the folder, nothing else
        raise PushRejected(f"“{file.filename}” cannot be sent: its stored name is not valid.")
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise PushRejected(
            f"The attached file “{file.filename}” is missing from the workspace's attachments folder "
            f"({path}), so the message cannot be sent with it. Put the file back and retry, or discard "
            "the message (a copy stays on the case) and send it again without the file."
        ) from None
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise PushRejected(
            f"The attached file “{file.filename}” cannot be read ({reason}), so the message cannot be sent."
        ) from error
    if hashlib.sha256(content).hexdigest() != file.sha256:
        raise PushRejected(
            f"The stored copy of “{file.filename}” ({path}) changed after it was attached, so it is not "
            "sent. Discard the message (a copy stays on the case) and send it again with the file."
        )
    return content


async def upload_files(
    api: ApiClient, folder: Path | None, files: Sequence[OutgoingFile], retry: RetryPolicy
) -> list[str]:
    """Upload each file (read off the event loop's thread); the tokens, in the files' order.

    Every file is read before the first upload, so a missing one stops the push before anything
    is sent. ``retry`` applies to each upload; a repeated upload is harmless, so a dropped
    connection is retried too.
    """
    contents = [await asyncio.to_thread(read_file, folder, file) for file in files]
    repeatable = replace(retry, retry_ambiguous=True)
    tokens: list[str] = []
    for file, content in zip(files, contents, strict=True):
        try:
            body = await api.send_json(
                "POST",
                UPLOADS_PATH,
                params={"filename": file.filename},
                content=content,
                content_type=file.content_type,
                retry=repeatable,
            )
        except Rejected as error:
            reason = error.server_message or error.user_message
            raise PushRejected(f"Zendesk refused the attachment “{file.filename}”: {reason}") from error
        token = optional_text(obj(obj(body).get("upload")).get("token"))
        if token is None:
            raise PushRejected(f"Zendesk accepted “{file.filename}” but returned no upload token.")
        tokens.append(token)
    return tokens


def _text(value: JsonValue) -> str:
    return value.strip() if isinstance(value, str) else ""
