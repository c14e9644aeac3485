"""Export and import of route records: every move, triage and undone move, and each case's re-route count.

The routes are written through the real use cases (triage, move, reassign, undo),
so the export holds real records linked by index to the case's escalation,
outbox entry and stage transition.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.db.models import CaseRouteRow, CaseRow
from core.db.runner import DbRunner
from core.domain.enums import Stage
from core.routing.moves import (
    MoveRequest,
    TriageDecision,
    accept_routes,
    move_cases,
    reroute_count,
    undo_move,
)
from core.routing.types import RuleKind
from core.transfer import CSV_COLUMNS, export_csv
from tests.core.routing.move_builders import Lanes, add_placed_case, build_lanes
from tests.core.transfer_helpers import (
    Document,
    count_rows,
    export_document,
    import_document,
    refusal_of_import,
    set_in_first_case,
)
from tests.core.workflow.builders import NOW

REQUESTED = 4730


@pytest.fixture
def routed(db: DbRunner, engine: Engine) -> Engine:
    """Case 4711 re-routed to API and back (the way back undone), then reassigned; 4730 triaged."""
    lanes: Lanes = db.write(build_lanes).result()
    requested = db.write(add_placed_case, Stage.REQUESTED, REQUESTED, None).result()
    decision = TriageDecision(requested, lanes.api, lanes.jonas, explanation={"summary": "Jonas is free"})
    db.write(accept_routes, [decision], lanes.lead, NOW).result()

    def moved(minutes: int, team: int, person: int | None, **extra: object) -> str:
        request = MoveRequest((lanes.case,), team, person, lanes.lead, **extra)  # type: ignore[arg-type]
        return db.write(move_cases, request, NOW + timedelta(minutes=minutes)).result().batch_key

    moved(1, lanes.api, None, reason="REST API question", overridden_rules=(RuleKind.OVER_WIP_LIMIT,))
    back = moved(2, lanes.sso, lanes.priya)
    db.write(undo_move, back, lanes.lead, NOW + timedelta(minutes=3)).result()
    moved(4, lanes.api, lanes.jonas)
    return engine


@pytest.fixture
def document(routed: Engine) -> Document:
    return export_document(routed, NOW)


def _case(document: Document, number: int) -> Document:
    case: Document = next(case for case in document["cases"] if case["number"] == number)
    return case


def test_the_export_holds_every_route_and_the_reroute_count(document: Document) -> None:
    case = _case(document, 4711)

    assert [(r["kind"], r["to_team"], r["to_assignee"]) for r in case["case_routes"]] == [
        ("reroute", "API Specialists", None),
        ("reroute", "SSO Specialists", "Priya Raman"),
        ("assign", "API Specialists", "Jonas Weber"),
    ]
    first, undone, assigned = case["case_routes"]
    assert first == {
        "kind": "reroute",
        "batch_key": first["batch_key"],
        "from_team": "SSO Specialists",
        "to_team": "API Specialists",
        "from_assignee": "Priya Raman",
        "to_assignee": None,
        "from_stage": "investigating",
        "to_stage": "investigating",
        "reason": "REST API question",
        "overridden_rules": ["over_wip_limit"],
        "explanation": None,
        "actor": "Marco Bellini",
        "at": "2026-11-04T10:01:00Z",
        "escalation": 0,
        "outbox": 0,
        "transition": None,
        "previous_last_assigned_at": None,
        "undone_at": None,
    }
    assert (undone["undone_at"], undone["outbox"]) == ("2026-11-04T10:03:00Z", None)
    assert case["outbox"][assigned["outbox"]]["payload"]["batch_key"] == assigned["batch_key"]
    assert assigned["previous_last_assigned_at"] == "2026-11-04T10:00:00Z"  # the triage assigned Jonas
    assert case["reroute_count"] == 1
    assert _case(document, 4712)["reroute_count"] == 0


def test_a_triage_route_links_its_stage_transition_and_escalation(document: Document) -> None:
    case = _case(document, REQUESTED)

    [route] = case["case_routes"]
    assert (route["kind"], route["from_stage"], route["to_stage"]) == ("triage", "requested", "triaged")
    transition = case["stage_transitions"][route["transition"]]
    assert (transition["from_stage"], transition["to_stage"]) == ("requested", "triaged")
    assert case["escalations"][route["escalation"]]["stage"] == "triaged"
    assert route["explanation"] == {"summary": "Jonas is free"}
    assert case["reroute_count"] == 0


def test_routes_round_trip(document: Document, other_workspace: Engine) -> None:
    report = import_document(other_workspace, document)

    assert report.case_routes == 4
    assert export_document(other_workspace, NOW)["cases"] == document["cases"]
    with Session(other_workspace) as session:
        case_id = session.scalar(select(CaseRow.id).where(CaseRow.number == 4711))
        assert case_id is not None
        assert reroute_count(session, case_id) == 1


def test_an_imported_move_can_still_be_undone_while_pending(
    document: Document, other_workspace: Engine
) -> None:
    import_document(other_workspace, document)
    batch_key = _case(document, 4711)["case_routes"][2]["batch_key"]
    db = DbRunner(other_workspace)
    try:
        with Session(other_workspace) as session:
            lead = session.scalar(select(CaseRouteRow.actor_id).where(CaseRouteRow.batch_key == batch_key))
        assert lead is not None
        db.write(undo_move, batch_key, lead, NOW + timedelta(hours=1)).result()
    finally:
        db.shutdown()

    case = _case(export_document(other_workspace, NOW), 4711)
    assert (case["team"], case["assignee"]) == ("API Specialists", None)
    assert case["case_routes"][2]["undone_at"] == "2026-11-04T11:00:00Z"


def test_the_reroute_count_is_derived_not_imported(document: Document, other_workspace: Engine) -> None:
    for case in document["cases"]:
        case["reroute_count"] = 7

    import_document(other_workspace, document)

    assert _case(export_document(other_workspace, NOW), 4711)["reroute_count"] == 1


def test_a_document_without_routes_still_imports(document: Document, other_workspace: Engine) -> None:
    for case in document["cases"]:
        del case["case_routes"]
        del case["reroute_count"]

    report = import_document(other_workspace, document)

    assert (report.cases, report.case_routes, count_rows(other_workspace, CaseRouteRow)) == (3, 0, 0)
    assert {case["reroute_count"] for case in export_document(other_workspace, NOW)["cases"]} == {0}


def _first_routed_case_first(document: Document) -> None:
    document["cases"].sort(key=lambda case: case["number"] != 4711)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            set_in_first_case("case_routes.0.kind", "teleport"),
            'field "case_routes[0].kind": "teleport" is not one of',
        ),
        (
            set_in_first_case("case_routes.0.overridden_rules", ["too_late"]),
            'field "case_routes[0].overridden_rules[0]": "too_late" is not one of',
        ),
        (
            set_in_first_case("case_routes.0.outbox", 40),
            'field "case_routes[0].outbox": 40 is not the index of one of this case\'s 2 outbox entries',
        ),
        (
            set_in_first_case("case_routes.0.transition", 9),
            'field "case_routes[0].transition": 9 is not the index of one of this case\'s 0 stage '
            "transitions",
        ),
        (
            set_in_first_case("case_routes.0.batch_key", ""),
            'field "case_routes[0].batch_key": "" is not a key',
        ),
        (set_in_first_case("case_routes.0.at", "yesterday"), 'field "case_routes[0].at": "yesterday" is not'),
        (set_in_first_case("case_routes.0.colour", "red"), 'field "case_routes[0].colour": is not a field'),
        (set_in_first_case("reroute_count", "many"), 'field "reroute_count": expected a whole number'),
    ],
)
def test_bad_routes_are_refused_naming_the_record_and_field(
    document: Document, other_workspace: Engine, mutate: Callable[[Document], None], expected: str
) -> None:
    _first_routed_case_first(document)

    assert expected in refusal_of_import(other_workspace, document, mutate)
    assert count_rows(other_workspace, CaseRouteRow) == 0


def test_csv_has_the_reroute_count(routed: Engine) -> None:
    out = io.StringIO(newline="")
    with Session(routed) as session:
        export_csv(session, out)

    rows = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in csv.reader(io.StringIO(out.getvalue()))][1:]
    assert {row["number"]: row["reroute_count"] for row in rows} == {"4711": "1", "4712": "0", "4730": "0"}
