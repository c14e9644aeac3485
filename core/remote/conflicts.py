"""Conflicts kept on an outbox entry (JSON), and the user's choice per field applied to the case.

Field values are in Handoff's terms, as texts: ``stage`` a Stage value, ``priority`` a Priority
value, ``tier`` a number, ``team`` a team key (or its remote group id, or its name),
``assignee`` a person's e-mail (or remote user id, or name; None: unassigned),
``product_area`` a product area key (or name).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, OutboxRow, PersonRow, ProductAreaRow, TeamRow, TimelineEventRow
from core.db.types import utc_now
from core.domain.enums import EventKind, Priority, Stage, Visibility
from core.remote.dtos import Conflict, FieldConflict
from core.remote.outbox_text import decision_text
from core.remote.pending import ASSIGNEE, PAYLOAD_KEYS, PRIORITY, PRODUCT_AREA, STAGE, TEAM, TIER
from core.remote.stage_audit import record_remote_stage
from core.remote.versions import version_moment


class UnknownValueError(ValueError):
    """A chosen value names nothing in this workspace (a team, person or product area)."""


def conflict_to_json(conflict: Conflict) -> str:
    """``conflict`` as the text kept on the entry."""
    return json.dumps(
        {
            "fields": [{"field": f.field, "local": f.local, "remote": f.remote} for f in conflict.fields],
            "remote_author": conflict.remote_author,
            "remote_changed_at": conflict.remote_changed_at.isoformat()
            if conflict.remote_changed_at
            else None,
            "remote_version": conflict.remote_version,
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def conflict_from_json(text: str | None) -> Conflict | None:
    """The conflict kept as ``text`` (None: none, or unreadable)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    fields = tuple(
        FieldConflict(
            field=str(item.get("field")), local=_text(item.get("local")), remote=_text(item.get("remote"))
        )
        for item in data.get("fields") or []
        if isinstance(item, dict)
    )
    changed = data.get("remote_changed_at")
    return Conflict(
        fields=fields,
        remote_author=_text(data.get("remote_author")),
        remote_changed_at=datetime.fromisoformat(changed) if isinstance(changed, str) else None,
        remote_version=_text(data.get("remote_version")),
    )


def apply_choice(
    session: Session, case: CaseRow, name: str, value: str | None, reason: str, now: datetime
) -> bool:
    """Give ``case`` the chosen ``value`` of field ``name``; whether it changed.

    Raises :class:`UnknownValueError` when the value names nothing this workspace knows.
    """
    column, resolved = _resolve(session, name, value)
    if column is None or getattr(case, column) == resolved:
        return False
    if name == STAGE:
        record_remote_stage(session, case, Stage(case.stage), Stage(str(resolved)), reason, now)
    setattr(case, column, resolved)
    case.updated_at = now
    return True


def payload_with_choice(session: Session, payload: dict[str, Any], name: str, value: str | None) -> None:
    """Write the chosen value into an entry's payload, under every key that names the field."""
    column, resolved = _resolve(session, name, value)
    if column is None:
        return
    keys = [key for key in PAYLOAD_KEYS.get(name, ()) if key in payload] or [PAYLOAD_KEYS[name][0]]
    for key in keys:
        payload[key] = _payload_value(session, name, key, resolved, value)


def _resolve(session: Session, name: str, value: str | None) -> tuple[str | None, object]:
    """The case column of field ``name`` and the value to store there."""
    if name == STAGE:
        if value not in {stage.value for stage in Stage}:
            raise UnknownValueError(f"Stage: “{value}” is not a stage")
        return "stage", value
    if name == PRIORITY:
        if value not in {priority.value for priority in Priority}:
            raise UnknownValueError(f"Priority: “{value}” is not a priority")
        return "priority", value
    if name == TIER:
        try:
            return "tier", int(value or "")
        except ValueError:
            raise UnknownValueError(f"Tier: “{value}” is not a tier number") from None
    if name == TEAM:
        return "team_id", _team_id(session, value)
    if name == ASSIGNEE:
        return "assignee_id", _person_id(session, value)
    if name == PRODUCT_AREA:
        return "product_area_id", _area_id(session, value)
    return None, None


def _team_id(session: Session, value: str | None) -> int | None:
    if value is None:
        return None
    found = session.scalar(
        select(TeamRow.id)
        .where(or_(TeamRow.key == value, TeamRow.remote_id == value, TeamRow.name == value))
        .limit(1)
    )
    if found is None:
        raise UnknownValueError(f"Team: there is no team “{value}”")
    return found


def _person_id(session: Session, value: str | None) -> int | None:
    if value is None:
        return None
    found = session.scalar(
        select(PersonRow.id)
        .where(
            or_(
                func.lower(PersonRow.email) == value.lower(),
                PersonRow.remote_id == value,
                PersonRow.name == value,
            )
        )
        .limit(1)
    )
    if found is None:
        raise UnknownValueError(f"Assignee: there is nobody called “{value}”")
    return found


def _area_id(session: Session, value: str | None) -> int | None:
    if value is None:
        return None
    found = session.scalar(
        select(ProductAreaRow.id)
        .where(or_(ProductAreaRow.key == value, ProductAreaRow.name == value))
        .limit(1)
    )
    if found is None:
        raise UnknownValueError(f"Product area: there is no product area “{value}”")
    return found


def _payload_value(session: Session, name: str, key: str, resolved: object, chosen: str | None) -> Any:
    """What payload ``key`` holds for the chosen value (an id, key, e-mail or remote id)."""
    if name == TEAM and resolved is not None:
        team = session.get(TeamRow, resolved)
        assert team is not None
        return {"team_id": team.id, "team_key": team.key, "team_remote_id": team.remote_id}.get(key, team.key)
    if name == ASSIGNEE and resolved is not None:
        person = session.get(PersonRow, resolved)
        assert person is not None
        values = {
            "assignee_id": person.id,
            "assignee_email": person.email,
            "assignee_remote_id": person.remote_id,
        }
        return values.get(key, person.email)
    if name == PRODUCT_AREA and resolved is not None:
        area = session.get(ProductAreaRow, resolved)
        assert area is not None
        return area.id if key == "product_area_id" else area.key
    if name in (TEAM, ASSIGNEE, PRODUCT_AREA):
        return None
    return resolved if name == TIER else chosen


def remote_version_moment(conflict: Conflict) -> datetime | None:
    """The version the helpdesk had when it refused the push, as the case keeps it."""
    return version_moment(conflict.remote_version) or conflict.remote_changed_at


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def apply_resolution(
    session: Session,
    row: OutboxRow,
    case: CaseRow,
    conflict: Conflict,
    chosen: Mapping[str, str | None],
    helpdesk: str,
) -> None:
    """The user's choice per field onto the case and the entry's payload, the entry re-based on the
    helpdesk's version, and the decision written to the case's timeline."""
    now = utc_now()
    payload: dict[str, Any] = json.loads(row.payload_json)
    for name, value in chosen.items():
        apply_choice(session, case, name, value, f"Conflict with {helpdesk} resolved", now)
        payload_with_choice(session, payload, name, value)
    row.payload_json = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    rebase(session, row, conflict)
    session.add(
        TimelineEventRow(
            case_id=case.id,
            kind=EventKind.FIELD_CHANGE.value,
            visibility=Visibility.SYSTEM.value,
            occurred_at=now,
            author_name="Handoff",
            body_text=decision_text(conflict, chosen, helpdesk),
            meta_json=json.dumps({"conflict_resolved": row.id}, sort_keys=True),
        )
    )


def rebase(session: Session, row: OutboxRow, conflict: Conflict) -> None:
    """The entry's next push is based on the version the helpdesk refused the last one with."""
    moment = remote_version_moment(conflict)
    case = session.get(CaseRow, row.case_id) if row.case_id is not None else None
    if case is not None and moment is not None:
        case.remote_updated_at = moment
