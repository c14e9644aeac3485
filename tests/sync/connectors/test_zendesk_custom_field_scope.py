"""A connection scoped by a custom field: tickets moving into the scope become cases with their whole
history; tickets leaving it keep their case, which says it no longer syncs."""

from __future__ import annotations

import pytest

from core.db.runner import DbRunner
from core.remote.dtos import ConnectionScope
from sync.connectors.zendesk.scope import tickets_entering_custom_field_scope
from sync.engine import SyncEngine
from sync.sandbox.zendesk.seed import FIELD_ESCALATION_TIER
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.connectors.conftest import SANDBOX_MAPPING
from tests.sync.engine.conftest import FakeClock, RecordingSleep
from tests.sync.engine.sandbox_setup import (
    case_id_of,
    comment_bodies,
    connect,
    event_texts,
    sandbox_engine,
    zendesk_case_count,
)

SCOPE_VALUE = 3  # tier 3 escalations only
SCOPE = ConnectionScope(custom_field_id=str(FIELD_ESCALATION_TIER), custom_field_values=(str(SCOPE_VALUE),))


def tier_of(sandbox: ZendeskSandbox, ticket_id: int) -> object:
    fields = sandbox.store.ticket(ticket_id)["custom_fields"]
    assert isinstance(fields, list)
    return next(item["value"] for item in fields if item["id"] == FIELD_ESCALATION_TIER)


def in_scope_ids(sandbox: ZendeskSandbox) -> set[int]:
    return {t for t in sandbox.store.ticket_ids if str(tier_of(sandbox, t)) == str(SCOPE_VALUE)}


def open_ticket_outside(sandbox: ZendeskSandbox) -> int:
    """An open ticket with comments whose tier is not the scope's."""
    store = sandbox.store
    return next(
        t
        for t in store.ticket_ids
        if store.ticket(t)["status"] == "open" and str(tier_of(sandbox, t)) != str(SCOPE_VALUE)
        if len(store.comments(t)) >= 2
    )


def scoped_engine(db: DbRunner, sandbox: ZendeskSandbox) -> SyncEngine:
    connect(db, sandbox, scope=SCOPE, mapping=SANDBOX_MAPPING)
    return sandbox_engine(db, FakeClock(), RecordingSleep())


@pytest.mark.asyncio
async def test_a_ticket_another_agent_moves_into_the_custom_field_scope_becomes_a_case_with_its_history(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox
) -> None:
    outside = open_ticket_outside(zendesk_sandbox)
    engine = scoped_engine(db, zendesk_sandbox)
    try:
        first = await engine.run_once()
        assert first.ok, first
        assert zendesk_case_count(db) == len(in_scope_ids(zendesk_sandbox))
        zendesk_sandbox.store.edit_as_other_agent(
            outside, custom_fields=[{"id": FIELD_ESCALATION_TIER, "value": SCOPE_VALUE}]
        )
        second = await engine.run_once()
    finally:
        await engine.aclose()

    assert second.ok, second
    assert zendesk_case_count(db) == len(in_scope_ids(zendesk_sandbox))
    case_id = case_id_of(db, outside)
    texts = event_texts(db, case_id)
    for body, _public in comment_bodies(zendesk_sandbox, outside):  # written before it entered the scope
        assert any(body.strip()[:40] in text for text in texts), body


def scope_notes(db: DbRunner, case_id: int) -> list[str]:
    return [text for text in event_texts(db, case_id) if "no longer matches this connection's scope" in text]


@pytest.mark.asyncio
async def test_a_ticket_leaving_the_scope_keeps_its_case_and_the_timeline_says_it_stopped_syncing(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox
) -> None:
    store = zendesk_sandbox.store
    inside = next(t for t in sorted(in_scope_ids(zendesk_sandbox)) if store.ticket(t)["status"] == "open")
    engine = scoped_engine(db, zendesk_sandbox)
    try:
        await engine.run_once()
        case_id = case_id_of(db, inside)
        history = event_texts(db, case_id)
        store.edit_as_other_agent(inside, custom_fields=[{"id": FIELD_ESCALATION_TIER, "value": 1}])
        left = await engine.run_once()
        store.edit_as_other_agent(inside, priority="low")  # changed again while outside: no second note
        later = await engine.run_once()
        notes_while_outside = scope_notes(db, case_id)
        store.edit_as_other_agent(inside, custom_fields=[{"id": FIELD_ESCALATION_TIER, "value": SCOPE_VALUE}])
        await engine.run_once()  # back in the scope: synced again
        store.edit_as_other_agent(inside, custom_fields=[{"id": FIELD_ESCALATION_TIER, "value": 2}])
        await engine.run_once()  # and out again: noted again
    finally:
        await engine.aclose()

    assert left.ok and later.ok, (left, later)
    assert case_id_of(db, inside) == case_id  # the case stays, with everything on it
    assert set(history) <= set(event_texts(db, case_id))
    assert len(notes_while_outside) == 1
    assert f"Ticket {inside}" in notes_while_outside[0]
    assert len(scope_notes(db, case_id)) == 2


@pytest.mark.asyncio
async def test_tickets_that_were_never_cases_leaving_the_scope_leave_no_trace(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox
) -> None:
    outside = open_ticket_outside(zendesk_sandbox)
    engine = scoped_engine(db, zendesk_sandbox)
    try:
        await engine.run_once()
        cases_before = zendesk_case_count(db)
        zendesk_sandbox.store.edit_as_other_agent(outside, priority="urgent")
        report = await engine.run_once()
    finally:
        await engine.aclose()

    assert report.ok, report
    assert zendesk_case_count(db) == cases_before


FIELD = str(FIELD_ESCALATION_TIER)


@pytest.mark.parametrize(
    ("change", "entering"),
    [
        ({FIELD: "3", "previous_value": "1"}, True),  # keyed by the field id, as the events export lists it
        ({"field_name": FIELD, "value": "3", "previous_value": None}, True),  # as the audits API names it
        ({"custom_ticket_fields": {FIELD: "3"}, "previous_value": "2"}, True),
        ({FIELD: "2", "previous_value": None}, False),  # a value outside the scope
        ({FIELD: "3", "previous_value": "3"}, False),  # already inside
        ({"status": "open", "previous_value": "new"}, False),  # another field
    ],
)
def test_a_change_of_the_scope_field_into_one_of_its_values_counts_as_entering(
    change: dict[str, object], entering: bool
) -> None:
    event = {"ticket_id": 4101, "child_events": [{"event_type": "Change", **change}]}

    assert tickets_entering_custom_field_scope([event], SCOPE) == ({"4101"} if entering else set())


def test_a_scope_taking_any_value_of_the_field_counts_the_first_value_set() -> None:
    any_value = ConnectionScope(custom_field_id=FIELD)
    set_now = {"ticket_id": 7, "child_events": [{"event_type": "Change", FIELD: "1", "previous_value": None}]}
    changed = {"ticket_id": 8, "child_events": [{"event_type": "Change", FIELD: "2", "previous_value": "1"}]}

    assert tickets_entering_custom_field_scope([set_now, changed], any_value) == {"7"}
