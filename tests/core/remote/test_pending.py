"""Which case fields an undelivered entry protects from a pull, operation by operation."""

from __future__ import annotations

import pytest

from core.domain.enums import OutboxOperation
from core.remote.pending import OPERATION_FIELDS, fields_of


def test_every_operation_is_in_the_table() -> None:
    assert set(OPERATION_FIELDS) == set(OutboxOperation)


@pytest.mark.parametrize(
    ("operation", "payload", "fields"),
    [
        (OutboxOperation.ADD_PUBLIC_REPLY, {"body_text": "Hello"}, set()),
        (OutboxOperation.ADD_INTERNAL_NOTE, {"body_text": "Checked"}, set()),
        (
            OutboxOperation.CHANGE_STAGE,
            {"from_stage": "investigating", "stage": "awaiting_customer", "tier": 2},
            {"stage"},
        ),
        (
            OutboxOperation.ESCALATE,
            {"from_stage": "new", "stage": "requested", "tier": 2, "team_id": 3},
            {"stage", "tier", "team", "assignee"},
        ),
        (OutboxOperation.ASSIGN, {"team_id": 3, "assignee_id": 4}, {"team", "assignee"}),
        (
            OutboxOperation.ASSIGN,
            {"team_id": 3, "assignee_id": None, "from_stage": "requested", "stage": "triaged"},
            {"team", "assignee", "stage"},
        ),
        (
            OutboxOperation.UPDATE_FIELDS,
            {"priority": "urgent", "product_area_key": "sso"},
            {"priority", "product_area"},
        ),
        (OutboxOperation.CLOSE_CASE, {"from_stage": "resolved", "stage": "closed"}, {"stage"}),
    ],
)
def test_the_fields_an_entry_sets(
    operation: OutboxOperation, payload: dict[str, object], fields: set[str]
) -> None:
    assert fields_of(operation, payload) == fields
