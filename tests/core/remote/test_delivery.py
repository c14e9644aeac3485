"""The outbox as the sync engine moves it and as the Outbox view shows it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.communication.messages import OutgoingMessage, send_message
from core.db.models import CaseRow, OutboxRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, OutboxState, Stage
from core.outbox import pending_entries
from core.remote.connections import list_connections
from core.remote.delivery import (
    EntryStateError,
    deliverable,
    discard_entry,
    mark_conflict,
    mark_delivered,
    mark_failed,
    mark_retry,
    mark_sending,
    outbox_counts,
    outbox_items,
    resolve_conflict,
    retry_entry,
)
from core.remote.dtos import Conflict, FieldConflict, PushResult
from core.remote.merge import apply_page
from core.workflow.transitions import change_stage
from tests.core.remote.builders import T0, add_zendesk, comment, page, ticket


@pytest.fixture
def cases(db: DbRunner) -> tuple[int, int, int]:
    """Two Zendesk cases (tickets 1001, 1002) and the agent working them."""
    connection = db.write(add_zendesk).result()
    db.write(
        apply_page, connection, page(ticket("1001"), ticket("1002", subject="Export fails")), T0
    ).result()

    def ids(session: Session) -> tuple[int, int, int]:
        rows = list(session.scalars(select(CaseRow).order_by(CaseRow.remote_id)))
        assert rows[0].assignee_id is not None
        return rows[0].id, rows[1].id, rows[0].assignee_id

    return db.read(ids).result()


def _reply(db: DbRunner, case_id: int, author: int, text: str) -> int:
    db.write(send_message, OutgoingMessage(case_id, author, DraftChannel.PUBLIC_REPLY, text), T0).result()
    return db.read(lambda s: max(entry.id for entry in pending_entries(s, case_id))).result()


def _stage(db: DbRunner, case_id: int, author: int, stage: Stage) -> int:
    db.write(change_stage, case_id, stage, author, "", T0).result()
    return db.read(lambda s: max(entry.id for entry in pending_entries(s, case_id))).result()


def _next(db: DbRunner, minutes: int = 0) -> list[int]:
    return [
        entry.id
        for entry, _target in db.read(deliverable, "zendesk", T0 + timedelta(minutes=minutes)).result()
    ]


def _row(db: DbRunner, entry_id: int) -> OutboxRow:
    def load(session: Session) -> OutboxRow:
        row = session.get(OutboxRow, entry_id)
        assert row is not None
        session.expunge(row)
        return row

    return db.read(load).result()


def test_each_case_delivers_its_oldest_entry_first_with_the_ticket_and_its_version(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, second, author = cases
    a1 = _reply(db, first, author, "One")
    a2 = _reply(db, first, author, "Two")
    b1 = _reply(db, second, author, "Other case")

    found = db.read(deliverable, "zendesk", T0).result()

    assert [entry.id for entry, _target in found] == [a1, b1]
    target = found[0][1]
    assert (target.case_id, target.remote_id, target.version) == (first, "1001", "2026-11-02T09:00:00Z")
    assert db.read(deliverable, "freshdesk", T0).result() == []

    db.write(mark_sending, a1, T0).result()
    db.write(mark_delivered, a1, PushResult({"comment": "5001"}, "2026-11-02T09:01:00Z"), T0).result()
    assert _next(db) == [a2, b1]
    assert db.read(deliverable, "zendesk", T0).result()[0][1].version == "2026-11-02T09:01:00Z"


def test_an_entry_interrupted_in_flight_is_offered_again(db: DbRunner, cases: tuple[int, int, int]) -> None:
    first, _second, author = cases
    entry = _reply(db, first, author, "One")
    db.write(mark_sending, entry, T0).result()

    row = _row(db, entry)
    assert (row.state, row.sent_at, row.attempts) == ("in_flight", T0, 1)
    assert _next(db) == [entry]  # the engine asks find_delivered before sending it again


def test_a_retry_waits_until_its_time_and_holds_the_cases_later_entries(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, _second, author = cases
    entry = _reply(db, first, author, "One")
    _reply(db, first, author, "Two")
    db.write(
        mark_retry, entry, "Zendesk is busy (429); retrying in 30 s", T0 + timedelta(seconds=30)
    ).result()

    assert _next(db) == []
    assert _next(db, minutes=1) == [entry]
    assert _row(db, entry).last_error == "Zendesk is busy (429); retrying in 30 s"


def test_a_failed_entry_blocks_its_case_only_until_the_user_retries_it(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, second, author = cases
    entry = _reply(db, first, author, "One")
    _reply(db, first, author, "Two")
    other = _reply(db, second, author, "Other")
    db.write(mark_failed, entry, "Comment: body is too long").result()

    assert _next(db) == [other]
    items = db.read(outbox_items).result()
    assert (items[0].entry.id, items[0].entry.last_error, items[0].case_subject) == (
        entry,
        "Comment: body is too long",
        "SSO login loops",
    )
    counts = db.read(outbox_counts).result()
    assert (counts.pending, counts.failed, counts.conflict) == (2, 1, 0)

    db.write(
        retry_entry, entry, {"body_text": "Shorter", "body_html": "<p>Shorter</p>", "attachments": []}
    ).result()

    assert _next(db) == [entry, other]
    assert _row(db, entry).state == "pending"
    assert json.loads(_row(db, entry).payload_json)["body_text"] == "Shorter"


def test_the_status_area_counts_pending_failed_and_conflicting_entries(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, second, author = cases
    _reply(db, first, author, "One")
    failed = _reply(db, second, author, "Two")
    conflicting = _stage(db, first, author, Stage.AWAITING_CUSTOMER)
    db.write(mark_failed, failed, "Refused").result()
    db.write(
        mark_conflict,
        conflicting,
        Conflict((FieldConflict("stage", "awaiting_customer", "awaiting_engineering"),), None, None, None),
    ).result()

    counts = db.read(outbox_counts).result()
    assert (counts.pending, counts.failed, counts.conflict) == (1, 1, 1)


def test_delivery_gives_the_local_reply_its_comment_id_so_a_pull_adds_no_copy(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, _second, author = cases
    entry = _reply(db, first, author, "Please send the HAR file.")
    db.write(mark_sending, entry, T0).result()
    changes = db.write(
        mark_delivered, entry, PushResult({"comment": "5001", "audit": "77"}, "2026-11-02T09:05:00Z"), T0
    ).result()
    assert changes.outbox == frozenset({entry}) and changes.cases == frozenset({first})

    connection = db.read(list_connections).result()[0]
    pulled = page(
        ticket("1001", minutes=5),
        comments=(comment("5001", author_id="900", body="Please send the HAR file."),),
    )
    db.write(apply_page, connection, pulled, T0).result()

    def replies(session: Session) -> list[tuple[str, str | None]]:
        rows = session.scalars(
            select(TimelineEventRow).where(
                TimelineEventRow.case_id == first, TimelineEventRow.kind == "agent_reply"
            )
        )
        return [(row.body_text, row.remote_id) for row in rows]

    assert db.read(replies).result() == [("Please send the HAR file.", "5001")]
    row = _row(db, entry)
    assert row.state == "done" and json.loads(row.remote_result or "{}")["remote_ids"]["audit"] == "77"
    assert db.read(outbox_items).result() == []


def test_a_conflict_keeps_both_values_and_resolving_it_applies_the_choice(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, _second, author = cases
    entry = _stage(db, first, author, Stage.AWAITING_CUSTOMER)
    db.write(mark_sending, entry, T0).result()
    conflict = Conflict(
        fields=(
            FieldConflict("stage", "awaiting_customer", "awaiting_engineering"),
            FieldConflict("priority", "normal", "urgent"),
        ),
        remote_author="Sam Ortiz",
        remote_changed_at=T0 + timedelta(minutes=3),
        remote_version="2026-11-02T09:03:00Z",
    )
    db.write(mark_conflict, entry, conflict).result()

    item = db.read(outbox_items).result()[0]
    assert item.conflict == conflict
    assert item.entry.state is OutboxState.CONFLICT
    assert "Sam Ortiz" in (item.entry.last_error or "")
    assert _next(db) == []  # the case waits for the user

    # Keep Handoff's stage, take Zendesk's priority.
    db.write(resolve_conflict, entry, {"stage": "awaiting_customer", "priority": "urgent"}).result()

    def check(session: Session) -> None:
        case = session.get(CaseRow, first)
        assert case is not None
        assert (case.stage, case.priority) == ("awaiting_customer", "urgent")
        assert case.remote_updated_at == T0 + timedelta(minutes=3)
        note = session.scalars(
            select(TimelineEventRow.body_text)
            .where(TimelineEventRow.case_id == first)
            .order_by(TimelineEventRow.id.desc())
        ).first()
        assert note is not None and note.startswith("Conflict with Zendesk resolved")
        assert "kept Handoff's “Awaiting customer”" in note and "kept Zendesk's “urgent”" in note

    db.read(check).result()
    found = db.read(deliverable, "zendesk", T0).result()
    assert [(e.id, e.payload["stage"], e.payload["priority"], t.version) for e, t in found] == [
        (entry, "awaiting_customer", "urgent", "2026-11-02T09:03:00Z")
    ]


def test_taking_the_helpdesks_stage_moves_the_case_back(db: DbRunner, cases: tuple[int, int, int]) -> None:
    first, _second, author = cases
    entry = _stage(db, first, author, Stage.AWAITING_CUSTOMER)
    conflict = Conflict(
        (FieldConflict("stage", "awaiting_customer", "awaiting_engineering"),),
        None,
        None,
        "2026-11-02T09:03:00Z",
    )
    db.write(mark_conflict, entry, conflict).result()

    db.write(resolve_conflict, entry, {"stage": "awaiting_engineering"}).result()

    assert db.read(lambda s: s.get(CaseRow, first).stage).result() == "awaiting_engineering"  # type: ignore[union-attr]
    with pytest.raises(EntryStateError):
        db.write(resolve_conflict, entry, {"stage": "awaiting_engineering"}).result()


def test_a_discarded_entry_is_not_sent_and_stays_readable_in_the_timeline(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, _second, author = cases
    entry = _reply(db, first, author, "We rolled back the IdP certificate.")
    db.write(mark_failed, entry, "Comment: invalid").result()

    changes = db.write(discard_entry, entry, "Priya Raman").result()

    assert changes.cases == frozenset({first})
    assert _next(db) == []
    assert db.read(outbox_items).result() == []
    row = _row(db, entry)
    assert (row.state, row.last_error) == ("done", "discarded by Priya Raman")

    def note(session: Session) -> tuple[str, str, str, int | None]:
        event = session.scalars(
            select(TimelineEventRow)
            .where(TimelineEventRow.case_id == first)
            .order_by(TimelineEventRow.id.desc())
        ).first()
        assert event is not None
        return event.kind, event.visibility, event.body_text, event.outbox_id

    assert db.read(note).result() == (
        "internal_note",
        "internal",
        "Not sent to Zendesk: Public reply: We rolled back the IdP certificate.",
        None,
    )
    with pytest.raises(EntryStateError):
        db.write(discard_entry, entry, "Priya Raman").result()


def test_a_late_answer_does_not_reopen_an_entry_a_pull_found_delivered(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, _second, author = cases
    entry = _reply(db, first, author, "Please send the HAR file.")
    db.write(mark_sending, entry, T0).result()
    key = _row(db, entry).idempotency_key
    connection = db.read(list_connections).result()[0]
    found = page(ticket("1001", minutes=2), comments=(comment("5002", author_id="900", marker=key),))
    db.write(apply_page, connection, found, T0).result()

    db.write(mark_retry, entry, "Connection dropped", T0 + timedelta(minutes=1)).result()

    assert _row(db, entry).state == "done"
    assert _next(db, minutes=5) == []


def test_an_entry_being_sent_cannot_be_retried_or_discarded(
    db: DbRunner, cases: tuple[int, int, int]
) -> None:
    first, _second, author = cases
    entry = _reply(db, first, author, "One")
    db.write(mark_sending, entry, T0).result()

    with pytest.raises(EntryStateError, match="being sent right now"):
        db.write(retry_entry, entry).result()
    with pytest.raises(EntryStateError, match="being sent right now"):
        db.write(discard_entry, entry, "Priya Raman").result()
    assert _row(db, entry).state == "in_flight"
