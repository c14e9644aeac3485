"""Export and import: the round trip, the document contract, CSV, and refusals that import nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.db.models import (
    CaseRow,
    CustomerRow,
    EscalationRow,
    InvestigationNoteRow,
    ProductAreaRow,
    StageTransitionRow,
    TeamRow,
)
from core.db.runner import DbRunner
from core.domain.enums import EventKind, NoteKind, Priority, ReasonCode, Stage
from core.search import search_cases
from core.transfer import (
    CSV_COLUMNS,
    ImportValidationError,
    TransferError,
    export_csv,
    iter_case_records,
    load_document,
)
from tests.core.transfer_helpers import (
    Document,
    count_rows,
    export_document,
    import_document,
    refusal_of_import,
    set_in_first_case,
)
from tests.factories import BASE_TIME, add_case, add_customer, add_event, add_person, add_team

EXPORTED_AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _seed(session: Session) -> None:
    """Three cases with every kind of context: escalations, transitions, notes, HTML, metadata."""
    area = ProductAreaRow(key="identity", name="Identity")
    session.add(area)
    sso = add_team(session, "Identity & SSO")
    priya = add_person(session, "Priya Raman", team=sso)
    marco = add_person(session, "Marco Bellini")
    northwind = add_customer(session, "Northwind Traders")
    northwind.renewal_date = date(2027, 3, 31)
    okta = add_case(
        session,
        10044,
        "Okta sign-in loop — users bounced back",
        description="Since the IdP change on Monday nobody can sign in.",
        customer=northwind,
        team=sso,
        assignee=priya,
        priority=Priority.URGENT,
        tier=3,
    )
    session.flush()
    okta.product_area_id = area.id
    okta.source_system = "zendesk"
    okta.remote_id = "88123"
    add_event(session, okta, EventKind.CUSTOMER_MESSAGE, "Nobody can sign in: Grüße from Zürich")
    add_event(
        session,
        okta,
        EventKind.AGENT_REPLY,
        "Please send a HAR file.",
        body_html="<p>Please send a <b>HAR file</b>.</p>",
        author="Priya Raman",
        minutes_after=20,
    )
    add_event(
        session,
        okta,
        EventKind.SYSTEM_LOG,
        "saml: assertion expired",
        minutes_after=40,
        meta={"host": "gw-3"},
    )
    first = EscalationRow(
        case_id=okta.id,
        tier=2,
        reason_code=ReasonCode.TECHNICAL_EXPERTISE.value,
        justification="Needs an identity specialist.",
        stage=Stage.INVESTIGATING.value,
        team_id=sso.id,
        requested_by_id=marco.id,
        requested_at=BASE_TIME - timedelta(days=1),
        closed_at=BASE_TIME,
    )
    second = EscalationRow(
        case_id=okta.id,
        tier=3,
        reason_code=ReasonCode.KNOWN_DEFECT.value,
        override_reason="Logs come later from the customer.",
        stage=Stage.AWAITING_ENGINEERING.value,
        requested_at=BASE_TIME,
    )
    session.add_all([first, second])
    session.flush()
    session.add_all(
        [
            StageTransitionRow(
                case_id=okta.id,
                to_stage=Stage.REQUESTED.value,
                at=BASE_TIME - timedelta(days=1),
                reason="new",
            ),
            StageTransitionRow(
                case_id=okta.id,
                escalation_id=second.id,
                from_stage=Stage.INVESTIGATING.value,
                to_stage=Stage.AWAITING_ENGINEERING.value,
                actor_id=priya.id,
                at=BASE_TIME + timedelta(microseconds=250),
            ),
            InvestigationNoteRow(
                case_id=okta.id,
                author_id=priya.id,
                kind=NoteKind.HYPOTHESIS.value,
                body="Clock skew on the IdP.",
                created_at=BASE_TIME,
                updated_at=BASE_TIME + timedelta(hours=1),
            ),
        ]
    )
    add_case(
        session,
        10045,
        "Invoice in the wrong currency",
        stage=Stage.RESOLVED,
        resolved_at=BASE_TIME,
        customer=add_customer(session, "Contoso", tier="business"),
    ).root_cause = "Locale defaulted to USD."
    add_case(session, 10046, "=cmd|' /C calc'!A0", stage=Stage.NEW, priority=Priority.LOW, tier=1)


@pytest.fixture
def seeded(db: DbRunner, engine: Engine) -> Engine:
    """The test workspace, filled by :func:`_seed`."""
    db.write(_seed).result()
    return engine


@pytest.fixture
def document(seeded: Engine) -> Document:
    """The export of the seeded workspace."""
    return export_document(seeded, EXPORTED_AT)


def test_importing_an_export_round_trips_every_case(document: Document, other_workspace: Engine) -> None:
    report = import_document(other_workspace, document)

    assert export_document(other_workspace, EXPORTED_AT)["cases"] == document["cases"]
    assert (report.cases, report.events, report.escalations, report.stage_transitions, report.notes) == (
        3,
        3,
        2,
        2,
        1,
    )
    assert (report.customers_created, report.teams_created, report.people_created) == (2, 1, 2)
    with Session(other_workspace) as session:
        imported_ids = set(session.scalars(select(CaseRow.id)))
        assert report.changes.cases_added == imported_ids
        assert [hit.number for hit in search_cases(session, "Zürich")] == [10044]
        assert [hit.number for hit in search_cases(session, "currency")] == [10045]


def test_the_document_carries_the_public_keys(document: Document) -> None:
    assert (document["format"], document["version"], document["exported_at"]) == (
        "handoff-export",
        1,
        "2026-11-26T12:00:00Z",
    )
    okta = document["cases"][0]
    assert set(okta) >= {
        "number", "subject", "description", "priority", "stage", "tier", "created_at", "updated_at",
        "resolved_at", "resolution", "root_cause", "defect_key", "reopen_count", "source_system", "remote_id",
        "customer", "contact", "product_area", "team", "assignee", "timeline", "escalations",
        "stage_transitions", "notes", "approvals", "resolution_proposals", "closure_records", "outbox",
        "attachments",
    }  # fmt: skip
    assert okta["customer"] == {
        "name": "Northwind Traders",
        "tier": "enterprise",
        "arr_cents": 12_000_000,
        "renewal_date": "2027-03-31",
        "domain": "northwind.example",
    }
    assert okta["contact"] == {"name": "Dana Whitfield", "email": "dana@northwind.example"}
    assert (okta["product_area"], okta["team"], okta["assignee"]) == (
        "Identity",
        "Identity & SSO",
        "Priya Raman",
    )
    assert okta["timeline"][1] == {
        "kind": "agent_reply",
        "visibility": "customer",
        "occurred_at": "2026-10-31T10:04:00Z",
        "author": "Priya Raman",
        "body_text": "Please send a HAR file.",
        "body_html": "<p>Please send a <b>HAR file</b>.</p>",
        "meta": {},
        "source_system": "local",
        "remote_id": None,
        "pending": False,
    }
    assert okta["timeline"][2]["meta"] == {"host": "gw-3"}
    assert okta["escalations"][0] == {
        "tier": 2,
        "reason_code": "technical_expertise",
        "stage": "investigating",
        "team": "Identity & SSO",
        "requested_by": "Marco Bellini",
        "requested_at": "2026-11-01T09:00:00Z",
        "justification": "Needs an identity specialist.",
        "override_reason": None,
        "closed_at": "2026-11-02T09:00:00Z",
        "recommended_tier": None,
        "recommendation": None,
        "readiness": None,
    }
    assert okta["stage_transitions"][1] == {
        "from_stage": "investigating",
        "to_stage": "awaiting_engineering",
        "actor": "Priya Raman",
        "at": "2026-11-02T09:00:00.000250Z",
        "reason": "",
        "escalation": 1,
        "kind": None,
        "details": None,
    }
    assert okta["notes"] == [
        {
            "kind": "hypothesis",
            "body": "Clock skew on the IdP.",
            "author": "Priya Raman",
            "created_at": "2026-11-02T09:00:00Z",
            "updated_at": "2026-11-02T10:00:00Z",
            "event": None,
        }
    ]


def test_export_reads_in_batches_without_losing_or_mixing_context(seeded: Engine, document: Document) -> None:
    with Session(seeded) as session:
        batched = [record.to_json() for record in iter_case_records(session, batch_size=2, now=EXPORTED_AT)]
    assert batched == document["cases"]
    assert [case["number"] for case in batched] == [10044, 10045, 10046]


def test_csv_has_one_flat_row_per_case(seeded: Engine) -> None:
    out = io.StringIO(newline="")
    with Session(seeded) as session:
        assert export_csv(session, out) == 3
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    okta = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert okta == {
        "number": "10044",
        "subject": "Okta sign-in loop — users bounced back",
        "customer": "Northwind Traders",
        "customer_tier": "enterprise",
        "priority": "urgent",
        "tier": "3",
        "stage": "investigating",
        "team": "Identity & SSO",
        "assignee": "Priya Raman",
        "product_area": "Identity",
        "created_at": "2026-10-31T09:44:00Z",
        "updated_at": "2026-11-02T09:44:00Z",
        "resolved_at": "",
        "root_cause": "",
        "event_count": "3",
        "escalation_count": "2",
        "closed_at": "",
        "root_cause_category": "",
        "pending_outbox": "0",
        "reroute_count": "0",
    }
    invoice = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert (invoice["resolved_at"], invoice["root_cause"], invoice["event_count"]) == (
        "2026-11-02T09:00:00Z",
        "Locale defaulted to USD.",
        "0",
    )


def test_csv_never_hands_a_spreadsheet_a_formula(seeded: Engine) -> None:
    out = io.StringIO(newline="")
    with Session(seeded) as session:
        export_csv(session, out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[3][1] == "'=cmd|' /C calc'!A0"


def _delete(key: str) -> Callable[[Document], None]:
    return lambda document: document["cases"][0].pop(key)


REJECTIONS = [
    pytest.param(
        set_in_first_case("stage", "investigatin"),
        'case #1 (number 10044): field "stage": "investigatin" is not one of new, requested, triaged,',
        id="unknown stage",
    ),
    pytest.param(
        set_in_first_case("priority", "critical"),
        'field "priority": "critical" is not one of low,',
        id="unknown priority",
    ),
    pytest.param(
        _delete("subject"),
        'case #1 (number 10044): field "subject": missing; it is required',
        id="missing subject",
    ),
    pytest.param(
        set_in_first_case("number", "10044"),
        'case #1: field "number": expected a whole number, got "10044"',
        id="number as text",
    ),
    pytest.param(
        set_in_first_case("tier", True), 'field "tier": expected a whole number, got true', id="boolean tier"
    ),
    pytest.param(
        set_in_first_case("reopen_count", -1),
        'field "reopen_count": -1 is less than 0',
        id="negative reopen count",
    ),
    pytest.param(
        set_in_first_case("subject", None), 'field "subject": expected a string, got null', id="null subject"
    ),
    pytest.param(
        set_in_first_case("created_at", "yesterday"),
        'field "created_at": "yesterday" is not an ISO-8601',
        id="date not ISO",
    ),
    pytest.param(
        set_in_first_case("updated_at", "2026-11-02T09:00:00"),
        'field "updated_at": "2026-11-02T09:00:00" has no time zone',
        id="date without zone",
    ),
    pytest.param(
        set_in_first_case("timeline.0.kind", "tweet"),
        'field "timeline[0].kind": "tweet" is not one of',
        id="bad event kind",
    ),
    pytest.param(
        set_in_first_case("timeline.2.occurred_at", "2026-13-01T00:00:00Z"),
        'field "timeline[2].occurred_at"',
        id="bad event time",
    ),
    pytest.param(
        set_in_first_case("escalations.1.reason_code", "vibes"),
        'field "escalations[1].reason_code"',
        id="bad reason code",
    ),
    pytest.param(
        set_in_first_case("customer.tier", "gold"),
        'field "customer.tier": "gold" is not one of starter,',
        id="bad customer tier",
    ),
    pytest.param(
        set_in_first_case("customer.renewal_date", "31/03/2027"),
        'field "customer.renewal_date"',
        id="bad renewal date",
    ),
    pytest.param(
        set_in_first_case("timeline", {}),
        'field "timeline": expected a list, got an object',
        id="timeline not a list",
    ),
    pytest.param(
        set_in_first_case("timeline.0", "hello"),
        'field "timeline[0]": expected an object, got "hello"',
        id="event not an object",
    ),
    pytest.param(
        set_in_first_case("stgae", "triaged"),
        'field "stgae": is not a field of format version 1',
        id="unknown key",
    ),
    pytest.param(
        set_in_first_case("stage_transitions.1.escalation", 5),
        'field "stage_transitions[1].escalation"',
        id="bad escalation index",
    ),
    pytest.param(
        set_in_first_case("source_system", "jira"),
        'field "source_system": "jira" is not one of local,',
        id="unknown source",
    ),
    pytest.param(
        lambda d: d["cases"].__setitem__(0, [1]),
        "case #1: expected an object, got a list",
        id="case not an object",
    ),
    pytest.param(
        set_in_first_case("number", 10045),
        'case #2 (number 10045): field "number": 10045 appears twice',
        id="duplicate number",
    ),
    pytest.param(
        lambda d: d.__setitem__("format", "zendesk"), 'document: field "format": expected', id="not an export"
    ),
    pytest.param(
        lambda d: d.__setitem__("version", 2),
        "2 is newer than this version of Handoff reads (1)",
        id="newer version",
    ),
    pytest.param(
        lambda d: d.pop("cases"), 'document: field "cases": missing; it is required', id="no cases list"
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), REJECTIONS)
def test_invalid_documents_are_refused_naming_the_field_and_import_nothing(
    document: Document, other_workspace: Engine, mutate: Callable[[Document], None], expected: str
) -> None:
    refusal = refusal_of_import(other_workspace, document, mutate)

    assert expected in refusal
    assert "nothing was imported" in refusal
    for table in (CaseRow, CustomerRow, TeamRow):
        assert count_rows(other_workspace, table) == 0


def test_one_bad_case_among_good_ones_imports_none_of_them(
    document: Document, other_workspace: Engine
) -> None:
    document["cases"][2]["timeline"] = [{"kind": "customer_message", "occurred_at": "soon"}]

    with pytest.raises(ImportValidationError) as refused:
        import_document(other_workspace, document)

    assert 'case #3 (number 10046): field "timeline[0].occurred_at": "soon"' in str(refused.value)
    assert count_rows(other_workspace, CaseRow) == 0


def test_every_broken_case_is_listed(document: Document, other_workspace: Engine) -> None:
    for case in document["cases"]:
        case["priority"] = "p1"

    with pytest.raises(ImportValidationError) as refused:
        import_document(other_workspace, document)

    assert [problem.split(":")[0] for problem in refused.value.problems] == [
        "case #1 (number 10044)",
        "case #2 (number 10045)",
        "case #3 (number 10046)",
    ]


def test_cases_the_workspace_already_has_are_refused(seeded: Engine, document: Document) -> None:
    events_before = count_rows(seeded, EscalationRow)
    document["cases"][1]["number"] = 20001  # new number, but…
    document["cases"][2]["number"] = 20002

    with pytest.raises(ImportValidationError) as refused:
        import_document(seeded, document)

    message = str(refused.value)
    assert 'case #1 (number 10044): field "number": 10044 already exists in this workspace' in message
    assert 'case #1 (number 10044): field "remote_id": zendesk id "88123" already exists' in message
    assert "case #2" not in message
    assert count_rows(seeded, CaseRow) == 3
    assert count_rows(seeded, EscalationRow) == events_before


def test_import_reuses_customers_teams_and_people_by_name_or_key(
    document: Document, other_workspace: Engine
) -> None:
    def existing(session: Session) -> None:
        add_customer(session, "Northwind Traders")
        add_team(session, "Identity and SSO team", key="identity-sso")
        add_person(session, "Priya Raman")
        session.add(ProductAreaRow(key="identity", name="Identity (old name)"))

    db = DbRunner(other_workspace)
    db.write(existing).result()
    db.shutdown()
    document["cases"][0]["team"] = "identity-sso"
    document["cases"][0]["escalations"][0]["team"] = "Identity and SSO team"
    document["cases"][0]["product_area"] = "identity"

    report = import_document(other_workspace, document)

    assert (report.customers_created, report.teams_created, report.product_areas_created) == (1, 0, 0)
    assert report.people_created == 1  # Marco; Priya existed
    assert count_rows(other_workspace, TeamRow) == 1
    assert export_document(other_workspace, EXPORTED_AT)["cases"][0]["team"] == "Identity and SSO team"


def test_unreadable_json_is_reported_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "handoff-export",\n  "version": 1,,\n}\n', encoding="utf-8")

    with pytest.raises(TransferError) as refused:
        load_document(path)

    problem = "Expecting property name enclosed in double quotes at line 3, column 16"
    assert str(refused.value) == f"{path} is not valid JSON: {problem}."


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TransferError, match=r"Cannot read .*missing\.json: No such file"):
        load_document(tmp_path / "missing.json")
