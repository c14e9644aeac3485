"""Pure helpers that put case ids into drag-and-drop data and read them back, strictly.

The payload is ASCII: positive decimal case ids separated by commas (``b"12,7,9"``).
Anything else (another application's data, a truncated or forged payload) decodes
to an empty tuple, so a drop of foreign data is refused instead of guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CASE_IDS_MIME_TYPE = "application/x-handoff-case-ids"
MAX_CASE_IDS = 100_000
"""More ids than any board holds: a larger payload is not ours."""
MAX_CASE_ID = 2**63 - 1
_PAYLOAD = re.compile(rb"[1-9][0-9]{0,18}(,[1-9][0-9]{0,18})*")


def encode_case_ids(case_ids: Iterable[int]) -> bytes:
    """``[12, 7, 12]`` → ``b"12,7"``: the ids in order, each once.

    Raises:
        ValueError: an id is not a positive integer (a bug in the caller).
    """
    unique: dict[int, None] = {}
    for case_id in case_ids:
        if isinstance(case_id, bool) or not isinstance(case_id, int) or not 0 < case_id <= MAX_CASE_ID:
            raise ValueError(f"not a case id: {case_id!r}")
        unique[case_id] = None
    return ",".join(str(case_id) for case_id in unique).encode("ascii")


def decode_case_ids(payload: bytes) -> tuple[int, ...]:
    """``b"12,7"`` → ``(12, 7)``; any malformed payload → ``()``.

    Malformed means: not bytes, empty, anything but comma-separated positive decimal ids
    without leading zeros or blanks, an id out of range, a repeated id, or too many ids.
    """
    if not isinstance(payload, bytes | bytearray) or not _PAYLOAD.fullmatch(payload):
        return ()
    ids = tuple(int(part) for part in bytes(payload).split(b","))
    if len(ids) > MAX_CASE_IDS or len(set(ids)) != len(ids) or any(case_id > MAX_CASE_ID for case_id in ids):
        return ()
    return ids
