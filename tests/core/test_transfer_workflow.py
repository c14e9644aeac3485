"""Export and import of the workflow's records: a case worked end to end, from note to closure.

The case is built through the real use cases (note, escalate, approve, message
with an attachment, propose, return, remind, confirm, close), so the export holds real
records of every kind, linked to each other by index within the case.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from core.communication.attachments import attach_to_draft, store_attachment_file, workspace_attachments_dir
from core.communication.messages import OutgoingMessage, send_message
from core.communication.notes import save_investigation_note
from core.db.models import ApprovalRow, CaseRow, OutboxRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import (
    ApprovalKind,
    ConfirmationAnswer,
    DraftChannel,
    NoteKind,
    OutboxState,
    ReasonCode,
    Stage,
)
from core.transfer import (
    CSV_COLUMNS,
    ImportValidationError,
    export_csv,
)
from core.workflow import (
    ApprovalRequest,
    ClosureForm,
    EscalationRequest,
    FollowUp,
    change_stage,
    close_case,
    decide_approval,
    escalate_case,
    propose_resolution,
    record_confirmation,
    request_approval,
    send_confirmation_reminder,
)
from tests.core.transfer_helpers import (
    Document,
    count_rows,
    export_document,
    import_document,
    refusal_of_import,
    set_in_first_case,
)
from tests.core.workflow.builders import NOW, TAXONOMY, Org, build_org, place_case

NUMBER = 4711
RECOMMENDATION = {"tier": 3, "signals": [{"name": "customer asked to escalate", "weight": 2}]}
GUIDANCE = "Check the SP entity ID."
READINESS = {"items": [{"name": "product version", "present": True}, {"name": "logs", "present": False}]}


class Clock:
    """Minutes after :data:`NOW`, one further at each step, so the timeline order is plain."""

    def __init__(self) -> None:
        self._minutes = 0

    def next(self) -> datetime:
        self._minutes += 1
        return NOW + timedelta(minutes=self._minutes)


def _work_the_case(session: Session, org: Org, attachment: Path) -> None:
    """Take case 4711 from new to closed through the workflow, leaving outbox entries in every state."""
    clock = Clock()
    case_id = place_case(session, Stage.NEW, NUMBER, org.sso_team).id
    save_investigation_note(
        session,
        case_id,
        org.specialist,
        NoteKind.HYPOTHESIS,
        "The IdP certificate was rotated.",
        clock.next(),
    )
    escalation = EscalationRequest(
        case_id=case_id,
        actor_id=org.specialist,
        tier=2,
        team_id=org.sso_team,
        reason_code=ReasonCode.TECHNICAL_EXPERTISE,
        justification="Needs an SSO specialist.",
        override_reason="The customer sends logs tomorrow.",
        recommended_tier=3,
        recommendation=RECOMMENDATION,
        readiness=READINESS,
        missing_readiness=("logs",),
    )
    escalate_case(session, escalation, clock.next())
    change_stage(session, case_id, Stage.TRIAGED, org.lead, "Routed to Priya.", clock.next())
    change_stage(session, case_id, Stage.INVESTIGATING, org.specialist, "", clock.next())
    approval = ApprovalRequest(
        case_id, org.specialist, ApprovalKind.CREDIT_REFUND, 12_000, "EUR", "Two days of downtime."
    )
    request_approval(session, approval, clock.next())
    approval_id = session.scalars(select(ApprovalRow.id)).one()
    decide_approval(session, approval_id, org.lead, True, "Goodwill credit approved.", clock.next())
    stored = store_attachment_file(workspace_attachments_dir(session), attachment)
    attached = attach_to_draft(
        session,
        case_id,
        org.specialist,
        DraftChannel.PUBLIC_REPLY,
        stored,
        "saml.har",
        "text/plain",
        clock.next(),
    )
    message = OutgoingMessage(
        case_id, org.specialist, DraftChannel.PUBLIC_REPLY, "Here is **the trace**.", (attached.id,)
    )
    send_message(session, message, clock.next())
    propose_resolution(session, case_id, org.specialist, "Re-upload the certificate.", clock.next())
    not_fixed = ConfirmationAnswer.NOT_FIXED
    record_confirmation(session, case_id, org.specialist, not_fixed, "Still looping.", GUIDANCE, clock.next())
    propose_resolution(session, case_id, org.specialist, "Fix the SP entity ID.", clock.next())
    send_confirmation_reminder(session, case_id, org.specialist, "Did it work?", clock.next(), (2, 5))
    record_confirmation(
        session, case_id, org.specialist, ConfirmationAnswer.CONFIRMED, "Works!", "", clock.next()
    )
    close_case(session, _closure(case_id, org), TAXONOMY, clock.next())
    _deliver_some(session)


def _closure(case_id: int, org: Org) -> ClosureForm:
    return ClosureForm(
        case_id=case_id,
        actor_id=org.specialist,
        resolution_summary="SP entity ID corrected; sign-in works.",
        root_cause_category="Configuration",
        root_cause_detail="The SP entity ID did not match the Okta app.",
        follow_ups=(FollowUp("Document certificate rotation", "Docs team", date(2026, 11, 20)),),
        defect_key="SSO-412",
        defect_url="https://jira.example.com/browse/SSO-412",
        customer_notified=True,
    )


def _deliver_some(session: Session) -> None:
    """The first two entries were delivered, the third failed; the rest are still pending."""
    ids = list(session.scalars(select(OutboxRow.id).order_by(OutboxRow.id)))
    session.execute(update(OutboxRow).where(OutboxRow.id.in_(ids[:2])).values(state=OutboxState.DONE.value))
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == ids[2])
        .values(state=OutboxState.FAILED.value, attempts=3, last_error="422: body too long")
    )


@pytest.fixture
def worked(db: DbRunner, engine: Engine, tmp_path: Path) -> Engine:
    """The test workspace with case 4711 worked from new to closed."""
    attachment = tmp_path / "saml.har"
    attachment.write_text("saml trace", encoding="utf-8")

    def work(session: Session) -> None:
        _work_the_case(session, build_org(session), attachment)

    db.write(work).result()
    return engine


@pytest.fixture
def document(worked: Engine) -> Document:
    return export_document(worked, NOW)


@pytest.fixture
def case(document: Document) -> Document:
    """The worked case as exported."""
    exported: Document = document["cases"][0]
    return exported


def _event(case: Document, index: int | None) -> Document:
    assert index is not None
    event: Document = case["timeline"][index]
    return event


def test_the_export_holds_every_workflow_record(case: Document) -> None:
    assert [
        len(case[key]) for key in ("escalations", "approvals", "resolution_proposals", "closure_records")
    ] == [
        1,
        1,
        2,
        1,
    ]
    assert case["escalations"][0] | {"requested_at": None} == {
        "tier": 2,
        "reason_code": "technical_expertise",
        "stage": "closed",
        "team": "Identity & SSO",
        "requested_by": "Priya Raman",
        "requested_at": None,
        "justification": "Needs an SSO specialist.",
        "override_reason": "The customer sends logs tomorrow.",
        "closed_at": case["closure_records"][0]["closed_at"],
        "recommended_tier": 3,
        "recommendation": RECOMMENDATION,
        "readiness": READINESS,
    }
    assert case["approvals"][0] == {
        "kind": "credit_refund",
        "amount_cents": 12_000,
        "currency": "EUR",
        "justification": "Two days of downtime.",
        "requested_by": "Priya Raman",
        "requested_at": "2026-11-04T10:05:00Z",
        "decision": "approved",
        "decided_by": "Marco Bellini",
        "decided_at": "2026-11-04T10:06:00Z",
        "decision_comment": "Goodwill credit approved.",
    }
    closure = case["closure_records"][0]
    assert closure == {
        "resolution_summary": "SP entity ID corrected; sign-in works.",
        "root_cause_category": "Configuration",
        "root_cause_detail": "The SP entity ID did not match the Okta app.",
        "defect_key": "SSO-412",
        "defect_url": "https://jira.example.com/browse/SSO-412",
        "customer_notified": True,
        "closed_by": "Priya Raman",
        "closed_at": "2026-11-04T10:14:00Z",
        "escalation": 0,
        "follow_ups": [
            {
                "text": "Document certificate rotation",
                "owner": "Docs team",
                "due_date": "2026-11-20",
                "done": False,
            }
        ],
    }


def test_transitions_keep_their_kind_and_details(case: Document) -> None:
    kinds = [(t["to_stage"], t["kind"]) for t in case["stage_transitions"]]
    assert ("requested", "escalated") in kinds
    assert ("investigating", "returned") in kinds
    escalated = next(t for t in case["stage_transitions"] if t["kind"] == "escalated")
    assert escalated["escalation"] == 0
    assert escalated["details"]["reason_code"] == "technical_expertise"
    assert escalated["details"]["missing_readiness"] == ["logs"]


def test_links_are_indexes_into_the_case(case: Document) -> None:
    note = case["notes"][0]
    assert _event(case, note["event"])["body_text"] == "The IdP certificate was rotated."
    first, second = case["resolution_proposals"]
    assert (first["answer"], first["customer_feedback"]) == ("not_fixed", "Still looping.")
    assert (second["answer"], second["reminders_sent"]) == ("confirmed", 1)
    assert second["next_reminder_at"] == "2026-11-11T10:11:00Z"  # 5 business days after the proposal
    assert _event(case, first["event"])["body_text"] == "Re-upload the certificate."
    assert _event(case, second["event"])["kind"] == "agent_reply"
    (attachment,) = case["attachments"]
    assert attachment | {"created_at": None} == {
        "filename": "saml.har",
        "content_type": "text/plain",
        "size_bytes": 10,
        "sha256": attachment["sha256"],
        "created_at": None,
        "event": attachment["event"],
    }
    assert _event(case, attachment["event"])["body_text"].startswith("Here is the trace")
    delivered = [index for entry in case["outbox"] for index in entry["events"]]
    assert len(delivered) == len(set(delivered)) == len(case["timeline"])


def test_outbox_entries_carry_their_state_and_mark_their_events_pending(case: Document) -> None:
    states = [entry["state"] for entry in case["outbox"]]
    assert states[:3] == ["done", "done", "failed"]
    assert set(states[3:]) == {"pending"}
    note_entry = case["outbox"][0]
    assert (note_entry["operation"], note_entry["payload"]["note_kind"]) == (
        "add_internal_note",
        "hypothesis",
    )
    failed = case["outbox"][2]
    assert (failed["attempts"], failed["last_error"]) == (3, "422: body too long")
    assert all(len(entry["idempotency_key"]) == 32 for entry in case["outbox"])
    for entry in case["outbox"]:
        for index in entry["events"]:
            assert _event(case, index)["pending"] is (entry["state"] != "done")


def test_a_worked_case_round_trips(document: Document, other_workspace: Engine) -> None:
    report = import_document(other_workspace, document)

    assert export_document(other_workspace, NOW)["cases"] == document["cases"]
    case = document["cases"][0]
    assert (
        report.approvals,
        report.resolution_proposals,
        report.closure_records,
        report.outbox_entries,
        report.attachments,
    ) == (1, 2, 1, len(case["outbox"]), 1)
    with Session(other_workspace) as session:
        assert report.changes.outbox == set(session.scalars(select(OutboxRow.id)))
        pending = session.scalar(
            select(func.count())
            .select_from(TimelineEventRow)
            .join(OutboxRow, OutboxRow.id == TimelineEventRow.outbox_id)
            .where(OutboxRow.state != OutboxState.DONE.value)
        )
    assert pending == sum(event["pending"] for event in case["timeline"])


def test_the_pending_flag_is_derived_not_imported(document: Document, other_workspace: Engine) -> None:
    for event in document["cases"][0]["timeline"]:
        event["pending"] = not event["pending"]

    import_document(other_workspace, document)

    flags = [event["pending"] for event in export_document(other_workspace, NOW)["cases"][0]["timeline"]]
    assert flags == [not event["pending"] for event in document["cases"][0]["timeline"]]


NEW_KEYS = ("approvals", "resolution_proposals", "closure_records", "outbox", "attachments")
OLD_NESTED = {
    "timeline": ("pending",),
    "escalations": ("recommended_tier", "recommendation", "readiness"),
    "stage_transitions": ("kind", "details"),
    "notes": ("event",),
}


def _old_format(document: Document) -> Document:
    """``document`` as the first release of format version 1 wrote it: none of the later keys."""
    old = copy.deepcopy(document)
    for case in old["cases"]:
        for key in NEW_KEYS:
            del case[key]
        for list_key, keys in OLD_NESTED.items():
            for item in case[list_key]:
                for key in keys:
                    del item[key]
    return old


def test_a_document_without_the_new_keys_still_imports(document: Document, other_workspace: Engine) -> None:
    report = import_document(other_workspace, _old_format(document))

    reexported = export_document(other_workspace, NOW)["cases"][0]
    assert (report.cases, report.outbox_entries, count_rows(other_workspace, OutboxRow)) == (1, 0, 0)
    assert len(reexported["timeline"]) == len(document["cases"][0]["timeline"])
    assert [reexported[key] for key in NEW_KEYS] == [[], [], [], [], []]
    assert {event["pending"] for event in reexported["timeline"]} == {False}
    assert reexported["escalations"][0]["recommendation"] is None
    assert reexported["notes"][0]["event"] is None


def _copy_key(document: Document) -> None:
    outbox = document["cases"][0]["outbox"]
    outbox[1]["idempotency_key"] = outbox[0]["idempotency_key"]


def _deliver_twice(document: Document) -> None:
    outbox = document["cases"][0]["outbox"]
    outbox[1]["events"] = outbox[1]["events"] + outbox[0]["events"][:1]


REJECTIONS = [
    pytest.param(
        set_in_first_case("approvals.0.decision", "maybe"),
        'case #1 (number 4711): field "approvals[0].decision": "maybe" is not one of pending, approved,',
        id="approval decision",
    ),
    pytest.param(
        set_in_first_case("approvals.0.currency", "euro"),
        'field "approvals[0].currency": "euro" is not a three-letter currency code',
        id="approval currency",
    ),
    pytest.param(
        set_in_first_case("approvals.0.amount_cents", "120.00"),
        'field "approvals[0].amount_cents": expected null or a whole number, got "120.00"',
        id="approval amount",
    ),
    pytest.param(
        set_in_first_case("resolution_proposals.1.answered_at", "today"),
        'field "resolution_proposals[1].answered_at": "today" is not an ISO-8601',
        id="proposal time",
    ),
    pytest.param(
        set_in_first_case("resolution_proposals.0.event", 99),
        'field "resolution_proposals[0].event": 99 is not the index of one of this case\'s',
        id="proposal event index",
    ),
    pytest.param(
        set_in_first_case("closure_records.0.escalation", 3),
        'field "closure_records[0].escalation": 3 is not the index of one of this case\'s 1 escalations',
        id="closure escalation index",
    ),
    pytest.param(
        set_in_first_case("closure_records.0.follow_ups.0.due_date", "soon"),
        'field "closure_records[0].follow_ups[0].due_date": "soon" is not a date',
        id="follow-up due date",
    ),
    pytest.param(
        set_in_first_case("closure_records.0.customer_notified", "yes"),
        'field "closure_records[0].customer_notified": expected true or false, got "yes"',
        id="closure flag",
    ),
    pytest.param(
        set_in_first_case("closure_records.0.root_cause_category", None),
        'field "closure_records[0].root_cause_category": expected a string, got null',
        id="closure category",
    ),
    pytest.param(
        set_in_first_case("outbox.0.state", "sent"),
        'field "outbox[0].state": "sent" is not one of pending, in_flight, done, failed, conflict',
        id="outbox state",
    ),
    pytest.param(
        set_in_first_case("outbox.0.operation", "tweet"),
        'field "outbox[0].operation": "tweet" is not one of',
        id="operation",
    ),
    pytest.param(
        set_in_first_case("outbox.0.payload", []),
        'field "outbox[0].payload": expected null or an object, got a list',
        id="outbox payload",
    ),
    pytest.param(
        set_in_first_case("outbox.0.events", [999]),
        'field "outbox[0].events[0]": 999 is not the index of one of this case\'s',
        id="outbox event index",
    ),
    pytest.param(
        set_in_first_case("outbox.0.events", ["first"]),
        'field "outbox[0].events[0]": expected an index (a whole number from 0), got "first"',
        id="outbox event not an index",
    ),
    pytest.param(_deliver_twice, 'field "outbox[1].events[', id="event delivered twice"),
    pytest.param(_copy_key, 'field "outbox[1].idempotency_key":', id="duplicate idempotency key"),
    pytest.param(
        set_in_first_case("outbox.0.idempotency_key", ""),
        'field "outbox[0].idempotency_key": "" is not a key of 1 to 64 printable characters',
        id="empty idempotency key",
    ),
    pytest.param(
        set_in_first_case("attachments.0.sha256", "xyz"),
        'field "attachments[0].sha256": "xyz" is not a SHA-256 digest',
        id="attachment digest",
    ),
    pytest.param(
        set_in_first_case("attachments.0.size_bytes", -1),
        'field "attachments[0].size_bytes": -1 is less than 0',
        id="attachment size",
    ),
    pytest.param(
        set_in_first_case("timeline.0.pending", "yes"),
        'field "timeline[0].pending": expected true or false, got "yes"',
        id="pending flag",
    ),
    pytest.param(
        set_in_first_case("escalations.0.recommendation", "tier 3"),
        'field "escalations[0].recommendation": expected null or an object, got "tier 3"',
        id="recommendation",
    ),
    pytest.param(
        set_in_first_case("escalations.0.recommended_tier", 0),
        'field "escalations[0].recommended_tier": 0 is less than 1',
        id="recommended tier",
    ),
    pytest.param(
        set_in_first_case("stage_transitions.0.kind", "sideways"),
        'field "stage_transitions[0].kind": "sideways" is not one of normal, escalated, re_escalated,',
        id="transition kind",
    ),
    pytest.param(
        set_in_first_case("stage_transitions.0.details", [1]),
        'field "stage_transitions[0].details": expected null or an object, got a list',
        id="transition details",
    ),
    pytest.param(
        set_in_first_case("notes.0.event", 1000),
        'field "notes[0].event": 1000 is not the index of one of this case\'s',
        id="note event index",
    ),
    pytest.param(
        set_in_first_case("approvals.0.approver", "Marco"),
        'field "approvals[0].approver": is not a field of format version 1',
        id="unknown approval key",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), REJECTIONS)
def test_bad_workflow_fields_are_refused_naming_the_record_and_field(
    document: Document, other_workspace: Engine, mutate: Callable[[Document], None], expected: str
) -> None:
    refusal = refusal_of_import(other_workspace, document, mutate)

    assert expected in refusal
    assert "nothing was imported" in refusal
    assert (count_rows(other_workspace, CaseRow), count_rows(other_workspace, OutboxRow)) == (0, 0)


def test_outbox_entries_the_workspace_already_has_are_refused(worked: Engine, document: Document) -> None:
    document["cases"][0]["number"] = 4712

    with pytest.raises(ImportValidationError) as refused:
        import_document(worked, document)

    key = document["cases"][0]["outbox"][0]["idempotency_key"]
    assert f'case #1 (number 4712): field "outbox[0].idempotency_key": "{key}" already exists' in str(
        refused.value
    )
    assert count_rows(worked, CaseRow) == 1


def test_csv_has_the_closure_and_the_undelivered_outbox(worked: Engine, case: Document) -> None:
    out = io.StringIO(newline="")
    with Session(worked) as session:
        export_csv(session, out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    row = dict(zip(CSV_COLUMNS, rows[1], strict=True))

    undelivered = sum(entry["state"] != "done" for entry in case["outbox"])
    assert (row["escalation_count"], row["closed_at"], row["root_cause_category"], row["pending_outbox"]) == (
        "1",
        "2026-11-04T10:14:00Z",
        "Configuration",
        str(undelivered),
    )
    assert row["stage"] == "closed"
