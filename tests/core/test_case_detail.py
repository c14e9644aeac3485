"""Loading a case with its context, as the case view receives it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.enums import EventKind, Visibility
from core.queries.case_detail import CaseNotFoundError, case_id_for_number, load_case
from tests.factories import add_case, add_customer, add_event


def test_a_case_loads_with_its_timeline_in_order_and_readable_metadata(db: DbRunner) -> None:
    def build(session: Session) -> int:
        case = add_case(session, 4711, "Export stalls at 99 %", customer=add_customer(session))
        add_event(
            session,
            case,
            EventKind.FIELD_CHANGE,
            "priority changed",
            minutes_after=30,
            meta={"field": "priority", "from": "normal", "to": "high"},
        )
        add_event(session, case, EventKind.CUSTOMER_MESSAGE, "The export never finishes.", minutes_after=5)
        event = add_event(session, case, EventKind.ATTACHMENT, "export.log", minutes_after=40)
        event.meta_json = '{"filename": "export.log", "size_bytes": null}'
        return case.id

    case_id = db.write(build).result()
    detail = db.read(load_case, case_id).result()

    assert detail.header.number == 4711
    assert detail.header.customer_name == "Northwind Traders"
    assert [event.kind for event in detail.timeline] == [
        EventKind.CUSTOMER_MESSAGE,
        EventKind.FIELD_CHANGE,
        EventKind.ATTACHMENT,
    ]
    assert detail.timeline[0].visibility is Visibility.CUSTOMER
    assert detail.timeline[1].meta == {"field": "priority", "from": "normal", "to": "high"}
    assert detail.timeline[2].meta == {"filename": "export.log", "size_bytes": ""}


def test_an_unknown_case_number_says_so(db: DbRunner) -> None:
    with pytest.raises(CaseNotFoundError, match="no case number 999"):
        db.read(case_id_for_number, 999).result()
