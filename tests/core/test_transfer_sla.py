"""The export carries each case's SLA (policy, clocks, pause ledger); an import recomputes it instead."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from core.communication.messages import OutgoingMessage, send_message
from core.db.models import CaseRow, SlaCycleRow
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, EventKind, Stage
from core.transfer import export_json
from core.workflow.transitions import change_stage
from core.workspace import open_workspace
from tests.core.transfer_helpers import Document, export_document, import_document
from tests.factories import add_case, add_customer, add_event, add_person, add_team

# Wednesday 4 November 2026, 10:00 in Berlin.
OPENED = datetime(2026, 11, 4, 9, 0, tzinfo=UTC)
EXPORTED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def waiting_case(db: DbRunner) -> int:
    """Case 3101: the customer wrote, got a reply, wrote again, and the case now waits on them."""

    def build(session: Session) -> tuple[int, int]:
        team = add_team(session)
        me = add_person(session, "Priya Raman", team)
        case = add_case(
            session, 3101, "Export hangs", customer=add_customer(session, tier="business"), team=team
        )
        case.created_at = OPENED
        add_event(session, case, EventKind.CUSTOMER_MESSAGE, "It hangs", minutes_after=0)
        return case.id, me.id

    case_id, me = db.write(build).result()
    reply = OutgoingMessage(case_id, me, DraftChannel.PUBLIC_REPLY, "Could you send the logs?", (), None)
    db.write(send_message, reply, OPENED + timedelta(hours=1)).result()
    db.write(
        change_stage, case_id, Stage.AWAITING_CUSTOMER, me, "Asked for logs", OPENED + timedelta(hours=1)
    ).result()
    db.write(
        lambda session: add_event(
            session, session.get_one(CaseRow, case_id), EventKind.CUSTOMER_MESSAGE, "Logs", minutes_after=180
        )
    ).result()
    return case_id


def test_each_exported_case_carries_its_policy_clocks_and_pause_ledger(
    engine: Engine, waiting_case: int
) -> None:
    document = export_document(engine, EXPORTED)

    sla = document["cases"][0]["sla"]
    assert sla["policy"]["key"] == "standard" and sla["policy"]["version"]
    assert sla["calendar"] == {"key": "office", "timezone": "Europe/Berlin"}
    clocks = {clock["metric"]: clock for clock in sla["clocks"]}
    assert clocks["first_reply"]["state"] == "met"
    assert clocks["first_reply"]["started_at"] == "2026-11-04T10:00:00+01:00"
    assert clocks["next_reply"]["state"] == "paused" and clocks["next_reply"]["due_at"] is None
    assert clocks["periodic_update"]["due_at"].endswith("+01:00")
    ledger = {(entry["metric"], entry["reason"], entry["end"]) for entry in sla["pause_ledger"]}
    assert ("next_reply", "awaiting_customer", None) in ledger
    assert all(entry["customer_wrote"] for entry in sla["pause_ledger"] if entry["end"] is None)
    assert "segments" not in clocks["first_reply"]  # the summary, not the whole explanation
    assert "remaining_seconds" not in clocks["first_reply"]  # nothing that ages between two exports


def test_an_export_writes_nothing_to_the_workspace(engine: Engine, waiting_case: int) -> None:
    with Session(engine) as session, session.begin():
        session.execute(delete(SlaCycleRow))  # as in a workspace whose cycles were never looked at

    with Session(engine) as session:
        export_json(session, io.StringIO(), exported_at=EXPORTED)
        assert session.scalar(select(func.count()).select_from(SlaCycleRow)) == 0


def test_a_document_with_sla_imports_and_the_deadlines_are_recomputed(
    engine: Engine, waiting_case: int, tmp_path: Path
) -> None:
    document = export_document(engine, EXPORTED)
    document["cases"][0]["sla"]["clocks"][0]["due_at"] = "1999-01-01T00:00:00+00:00"  # ignored on import
    fresh, _report = open_workspace(tmp_path / "fresh")
    try:
        report = import_document(fresh, document)
        with Session(fresh) as session:
            case = session.scalars(select(CaseRow).where(CaseRow.number == 3101)).one()
            assert report.cases == 1
            assert case.sla_metric == "periodic_update"
            assert case.sla_due_at is not None and case.sla_due_at.year == 2026
        assert _deadlines(export_document(fresh, EXPORTED)) == _deadlines(export_document(engine, EXPORTED))
    finally:
        fresh.dispose()


def _deadlines(document: Document) -> list[tuple[str, str, str | None]]:
    return [
        (clock["metric"], clock["state"], clock["due_at"]) for clock in document["cases"][0]["sla"]["clocks"]
    ]
