"""Workspace-level settings stored in the database (who "me" is, and similar)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import WorkspaceSettingRow

ME_PERSON_ID = "me.person_id"


def get_setting(session: Session, key: str) -> str | None:
    """The stored value of ``key``, or None."""
    return session.scalar(select(WorkspaceSettingRow.value).where(WorkspaceSettingRow.key == key))


def set_setting(session: Session, key: str, value: str) -> None:
    """Store ``value`` under ``key`` (insert or replace)."""
    row = session.get(WorkspaceSettingRow, key)
    if row is None:
        session.add(WorkspaceSettingRow(key=key, value=value))
    else:
        row.value = value


def my_person_id(session: Session) -> int | None:
    """The person this workspace belongs to, if known."""
    value = get_setting(session, ME_PERSON_ID)
    return int(value) if value else None
