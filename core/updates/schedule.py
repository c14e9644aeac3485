"""When an update check is due (at most once a day), and the small state file that remembers it.

A check counts when it is attempted, whatever its outcome: a failing server is not asked again
at every start. A last check in the future (the clock was set back) makes a check due.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

CHECK_INTERVAL = timedelta(days=1)


@dataclass(frozen=True)
class UpdateState:
    """What the user's state remembers about update checks."""

    last_check_at: datetime | None = None


def is_check_due(last_check_at: datetime | None, now: datetime, interval: timedelta = CHECK_INTERVAL) -> bool:
    """Whether to check now: never checked, ``interval`` passed, or the last check is in the future."""
    if last_check_at is None:
        return True
    return now - last_check_at >= interval or last_check_at > now


def load_state(path: Path) -> UpdateState:
    """The state stored at ``path`` (an empty state if it is missing or unreadable)."""
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
        last = datetime.fromisoformat(tree["last_check_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return UpdateState()
    return UpdateState(last_check_at=last if last.tzinfo is not None else None)


def save_state(path: Path, state: UpdateState) -> None:
    """Store ``state`` at ``path`` atomically (a crash leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = {"last_check_at": state.last_check_at.isoformat() if state.last_check_at else None}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".updates-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(tree, stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
