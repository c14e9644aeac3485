"""Closing a resolved case with the closure record that trend analysis reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from core.db.models import ClosureRecordRow, FollowUpActionRow
from core.domain.changes import ChangeSet
from core.domain.enums import EventKind, OutboxOperation, Stage
from core.outbox import JsonValue
from core.workflow.errors import ClosureIncompleteError
from core.workflow.recording import (
    EventDraft,
    load_case,
    load_person,
    move_case,
    open_escalation,
    publish,
    stage_payload,
)
from core.workflow.stages import check_transition

_WEB_SCHEMES = ("https://", "http://")


@dataclass(frozen=True)
class FollowUp:
    """A follow-up action decided at closure: what, who, by when."""

    text: str
    owner: str
    due_date: date | None


@dataclass(frozen=True)
class ClosureForm:
    """The closure form: resolution, root cause, follow-ups, an optional linked defect."""

    case_id: int
    actor_id: int
    resolution_summary: str
    root_cause_category: str
    root_cause_detail: str
    follow_ups: tuple[FollowUp, ...]
    defect_key: str | None
    defect_url: str | None
    customer_notified: bool


def close_case(session: Session, form: ClosureForm, taxonomy: Sequence[str], now: datetime) -> ChangeSet:
    """Close a resolved case: write its closure record and follow-ups, close its escalation.

    Every missing or invalid field of the form is reported at once
    (:class:`ClosureIncompleteError`); nothing is written then.
    """
    case = load_case(session, form.case_id)
    actor = load_person(session, form.actor_id)
    from_stage = Stage(case.stage)
    check_transition(from_stage, Stage.CLOSED)
    problems = closure_problems(form, taxonomy, now.date())
    if problems:
        raise ClosureIncompleteError(problems)

    summary = form.resolution_summary.strip()
    category = form.root_cause_category.strip()
    detail = form.root_cause_detail.strip()
    defect_key = (form.defect_key or "").strip() or None
    defect_url = (form.defect_url or "").strip() or None
    episode = open_escalation(session, case.id)
    record = ClosureRecordRow(
        case_id=case.id,
        escalation_id=episode.id if episode is not None else None,
        resolution_summary=summary,
        root_cause_category=category,
        root_cause_detail=detail,
        defect_key=defect_key,
        defect_url=defect_url,
        customer_notified=form.customer_notified,
        closed_by_id=actor.id,
        closed_at=now,
    )
    session.add(record)
    session.flush()
    session.add_all(
        FollowUpActionRow(
            closure_id=record.id, text=item.text.strip(), owner=item.owner.strip(), due_date=item.due_date
        )
        for item in form.follow_ups
    )
    case.resolution = summary
    case.root_cause = f"{category}: {detail}"
    case.defect_key = defect_key

    reason = f"Closed. Root cause: {category}."
    stage_event = move_case(session, case, actor, Stage.CLOSED, reason, now, escalation=episode)
    if episode is not None:
        episode.closed_at = now
    details: dict[str, JsonValue] = {
        "closure_id": record.id,
        "resolution_summary": summary,
        "root_cause_category": category,
        "root_cause_detail": detail,
        "defect_key": defect_key,
        "defect_url": defect_url,
        "customer_notified": form.customer_notified,
        "follow_ups": [
            {
                "text": item.text.strip(),
                "owner": item.owner.strip(),
                "due_date": item.due_date.isoformat() if item.due_date else None,
            }
            for item in form.follow_ups
        ],
    }
    note = EventDraft(
        EventKind.INTERNAL_NOTE,
        _closure_note(form, summary, category, detail),
        {
            "step": "closed",
            "closure_id": record.id,
            "root_cause_category": category,
            "defect_key": defect_key,
        },
    )
    payload: dict[str, JsonValue] = {**stage_payload(case, from_stage, reason), **details}
    changes, _rows = publish(
        session, case, actor, OutboxOperation.CLOSE_CASE, payload, [stage_event, note], now
    )
    return changes


def closure_problems(form: ClosureForm, taxonomy: Sequence[str], today: date) -> tuple[str, ...]:
    """Every missing or invalid field of ``form``, in the form's order, as the user reads them."""
    problems: list[str] = []
    if not form.resolution_summary.strip():
        problems.append("resolution summary is missing")
    category = form.root_cause_category.strip()
    if not category:
        problems.append("root cause category is missing")
    elif not taxonomy:
        problems.append("root cause category cannot be checked: add a root-cause taxonomy in Settings")
    elif category not in taxonomy:
        problems.append(f"root cause category “{category}” is not one of: {', '.join(taxonomy)}")
    if not form.root_cause_detail.strip():
        problems.append("root cause detail is missing")
    for number, item in enumerate(form.follow_ups, start=1):
        if not item.text.strip():
            problems.append(f"follow-up {number} has no text")
        if not item.owner.strip():
            problems.append(f"follow-up {number} has no owner")
        if item.due_date is not None and item.due_date < today:
            problems.append(f"follow-up {number} is due in the past ({item.due_date.isoformat()})")
    defect_key = (form.defect_key or "").strip()
    defect_url = (form.defect_url or "").strip()
    if defect_url and not defect_key:
        problems.append("linked defect has a URL but no key")
    if defect_url and not defect_url.lower().startswith(_WEB_SCHEMES):
        problems.append("linked defect URL must start with https:// or http://")
    return tuple(problems)


def _closure_note(form: ClosureForm, summary: str, category: str, detail: str) -> str:
    lines = [f"Case closed.\nResolution: {summary}", f"Root cause: {category} — {detail}"]
    for item in form.follow_ups:
        due = f", due {item.due_date.isoformat()}" if item.due_date else ""
        lines.append(f"Follow-up: {item.text.strip()} ({item.owner.strip()}{due})")
    if form.defect_key and form.defect_key.strip():
        lines.append(f"Linked defect: {form.defect_key.strip()} {(form.defect_url or '').strip()}".rstrip())
    lines.append("Customer notified." if form.customer_notified else "Customer not notified.")
    return "\n".join(lines)
