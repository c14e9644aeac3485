"""Moves between lanes and people, triage acceptance and undo: what a lead sees after each, and what syncs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.db.models import (
    CaseRouteRow,
    CaseRow,
    EscalationRow,
    OutboxRow,
    PersonRow,
    StageTransitionRow,
    TimelineEventRow,
)
from core.db.runner import DbRunner
from core.domain.enums import OutboxOperation, OutboxState, Stage
from core.queries.case_detail import load_case
from core.routing.moves import (
    MoveRequest,
    MoveResult,
    TriageDecision,
    UndoNotPossibleError,
    accept_routes,
    move_cases,
    reroute_count,
    undo_move,
)
from core.routing.types import RouteKind, RuleKind
from core.workflow.errors import WorkflowError
from core.workspace import open_workspace
from tests.core.routing.move_builders import EARLIER, Lanes, add_placed_case, build_lanes, holdings
from tests.core.workflow.builders import NOW

LATER = NOW + timedelta(minutes=5)
Row = TypeVar("Row", CaseRouteRow, OutboxRow, TimelineEventRow)


@pytest.fixture
def lanes(db: DbRunner) -> Lanes:
    return db.write(build_lanes).result()


def move(
    db: DbRunner, lanes: Lanes, case_ids: tuple[int, ...], team: int, person: int | None, **extra: Any
) -> MoveResult:
    """Move the cases as the SSO lead, now, in one write."""
    request = MoveRequest(case_ids=case_ids, team_id=team, person_id=person, actor_id=lanes.lead, **extra)
    return db.write(move_cases, request, NOW).result()


def rows_of(db: DbRunner, model: type[Row], *conditions: Any) -> list[Row]:
    """The rows of ``model`` matching ``conditions`` by id, detached with their values loaded."""

    def read(session: Session) -> list[Row]:
        rows = list(session.scalars(select(model).where(*conditions).order_by(model.id)))
        session.expunge_all()
        return rows

    return db.read(read).result()


def routes_of(db: DbRunner, case_id: int) -> list[CaseRouteRow]:
    return rows_of(db, CaseRouteRow, CaseRouteRow.case_id == case_id)


def outbox_of(db: DbRunner, case_id: int) -> list[OutboxRow]:
    return rows_of(db, OutboxRow, OutboxRow.case_id == case_id)


def events_of(db: DbRunner, case_id: int) -> list[TimelineEventRow]:
    return rows_of(db, TimelineEventRow, TimelineEventRow.case_id == case_id)


def last_assigned(db: DbRunner, person_id: int) -> datetime | None:
    return db.read(
        lambda s: s.scalar(select(PersonRow.last_assigned_at).where(PersonRow.id == person_id))
    ).result()


def set_outbox_state(db: DbRunner, case_id: int, state: OutboxState) -> None:
    db.write(
        lambda s: s.execute(update(OutboxRow).where(OutboxRow.case_id == case_id).values(state=state.value))
    ).result()


# --- moves ---------------------------------------------------------------------------------------


def test_moving_to_another_team_writes_the_case_the_route_the_outbox_entry_and_the_event(
    db: DbRunner, lanes: Lanes
) -> None:
    result = move(
        db,
        lanes,
        (lanes.case,),
        lanes.api,
        lanes.jonas,
        reason="The customer uses the REST API",
        overridden_rules=(RuleKind.OVER_CAPACITY,),
        explanation={"summary": "Jonas has the most spare capacity"},
    )

    after = db.read(holdings, lanes.case).result()
    assert (after.team_id, after.assignee_id, after.stage) == (lanes.api, lanes.jonas, "investigating")
    assert after.updated_at == NOW
    assert (after.routes, after.outbox, after.events) == (1, 1, 1)

    [route] = routes_of(db, lanes.case)
    assert route.kind == RouteKind.REROUTE.value
    assert route.batch_key == result.batch_key and result.route_ids == (route.id,)
    assert (route.from_team_id, route.to_team_id) == (lanes.sso, lanes.api)
    assert (route.from_assignee_id, route.to_assignee_id) == (lanes.priya, lanes.jonas)
    assert (route.from_stage, route.to_stage) == ("investigating", "investigating")
    assert route.reason == "The customer uses the REST API"
    assert json.loads(route.overridden_rules_json or "") == ["over_capacity"]
    assert json.loads(route.explanation_json or "") == {"summary": "Jonas has the most spare capacity"}
    assert route.actor_id == lanes.lead and route.at == NOW
    assert route.escalation_id is not None
    assert route.previous_last_assigned_at == EARLIER
    assert last_assigned(db, lanes.jonas) == NOW

    [entry] = outbox_of(db, lanes.case)
    assert route.outbox_id == entry.id
    assert entry.operation == OutboxOperation.ASSIGN.value and entry.state == OutboxState.PENDING.value
    payload = json.loads(entry.payload_json)
    assert payload["kind"] == "reroute" and payload["batch_key"] == result.batch_key
    assert (payload["team_id"], payload["team_key"], payload["team_remote_id"]) == (
        lanes.api,
        "api",
        "zd-group-77",
    )
    assert (payload["assignee_id"], payload["assignee_email"], payload["assignee_remote_id"]) == (
        lanes.jonas,
        "jonas@example.com",
        "zd-user-9",
    )
    assert (payload["previous_team_key"], payload["previous_assignee_email"]) == ("sso", "priya@example.com")
    assert payload["reason"] == "The customer uses the REST API"

    [event] = events_of(db, lanes.case)
    assert event.body_text == (
        "Moved from SSO Specialists to API Specialists (Priya Raman → Jonas Weber): "
        "The customer uses the REST API"
    )
    assert event.outbox_id == entry.id
    assert result.changes.cases == {lanes.case}
    assert result.changes.teams == {lanes.sso, lanes.api}
    assert result.changes.outbox == {entry.id}


def test_a_new_specialist_in_the_same_team_is_an_assignment_not_a_reroute(db: DbRunner, lanes: Lanes) -> None:
    move(db, lanes, (lanes.case,), lanes.sso, lanes.tomas)

    [route] = routes_of(db, lanes.case)
    assert route.kind == RouteKind.ASSIGN.value
    assert (route.from_assignee_id, route.to_assignee_id) == (lanes.priya, lanes.tomas)
    assert (
        events_of(db, lanes.case)[0].body_text == "Reassigned in SSO Specialists (Priya Raman → Tomas Novak)."
    )
    assert db.read(reroute_count, lanes.case).result() == 0


def test_moving_to_a_team_unassigned_says_so(db: DbRunner, lanes: Lanes) -> None:
    move(db, lanes, (lanes.case,), lanes.api, None, reason="API question")

    assert db.read(holdings, lanes.case).result().assignee_id is None
    assert events_of(db, lanes.case)[0].body_text == (
        "Moved from SSO Specialists to API Specialists (Priya Raman → Unassigned): API question"
    )
    assert json.loads(outbox_of(db, lanes.case)[0].payload_json)["assignee_id"] is None


def test_cases_moved_together_share_one_batch_and_one_already_there_is_skipped(
    db: DbRunner, lanes: Lanes
) -> None:
    third = db.write(add_placed_case, Stage.INVESTIGATING, 4713, lanes.api).result()

    result = move(db, lanes, (lanes.case, lanes.other_case, third), lanes.api, None)

    moved = [*routes_of(db, lanes.case), *routes_of(db, lanes.other_case)]
    assert {route.batch_key for route in moved} == {result.batch_key}
    assert sorted(result.route_ids) == sorted(route.id for route in moved)
    assert routes_of(db, third) == [] and outbox_of(db, third) == []
    assert result.changes.cases == {lanes.case, lanes.other_case}


def test_moving_cases_where_they_already_are_is_refused(db: DbRunner, lanes: Lanes) -> None:
    with pytest.raises(WorkflowError, match="Case #4711 is already there"):
        move(db, lanes, (lanes.case,), lanes.sso, lanes.priya)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (lambda lanes: (10_000, None), "no team with id 10000"),
        (lambda lanes: (lanes.api, 10_000), "no person with id 10000"),
        (lambda lanes: (lanes.api, lanes.retired), "Old Timer is no longer active"),
        (lambda lanes: (lanes.api, lanes.priya), "Priya Raman is not a member of API Specialists"),
    ],
)
def test_an_invalid_team_or_person_is_refused_and_nothing_is_written(
    db: DbRunner,
    lanes: Lanes,
    target: Callable[[Lanes], tuple[int, int | None]],
    message: str,
) -> None:
    before = db.read(holdings, lanes.case).result()
    team, person = target(lanes)

    with pytest.raises(WorkflowError, match=message):
        move(db, lanes, (lanes.case,), team, person)

    assert db.read(holdings, lanes.case).result() == before


def test_a_confirmed_not_a_member_rule_lets_a_person_of_another_team_take_the_case(
    db: DbRunner, lanes: Lanes
) -> None:
    move(db, lanes, (lanes.case,), lanes.api, lanes.tomas, overridden_rules=(RuleKind.NOT_A_MEMBER,))

    assert db.read(holdings, lanes.case).result().assignee_id == lanes.tomas


@pytest.mark.parametrize("stage", [Stage.NEW, Stage.RESOLVED, Stage.CLOSED])
def test_one_case_that_cannot_move_refuses_the_whole_batch(db: DbRunner, lanes: Lanes, stage: Stage) -> None:
    stuck = db.write(add_placed_case, stage, 4720, lanes.sso).result()
    before = [db.read(holdings, case_id).result() for case_id in (lanes.case, lanes.other_case, stuck)]

    with pytest.raises(WorkflowError, match="Case #4720 is"):
        move(db, lanes, (lanes.case, lanes.other_case, stuck), lanes.api, lanes.jonas)

    assert [
        db.read(holdings, case_id).result() for case_id in (lanes.case, lanes.other_case, stuck)
    ] == before
    assert last_assigned(db, lanes.jonas) == EARLIER


# --- triage --------------------------------------------------------------------------------------


def test_accepting_routes_triages_the_requested_cases_with_an_audited_transition(
    db: DbRunner, lanes: Lanes
) -> None:
    first = db.write(add_placed_case, Stage.REQUESTED, 4730, None).result()
    second = db.write(add_placed_case, Stage.REQUESTED, 4731, lanes.sso).result()
    decisions = [
        TriageDecision(first, lanes.api, lanes.jonas, explanation={"summary": "API question, Jonas is free"}),
        TriageDecision(second, lanes.sso, None),
    ]

    result = db.write(accept_routes, decisions, lanes.lead, NOW).result()

    after = db.read(holdings, first).result()
    assert (after.team_id, after.assignee_id, after.stage) == (lanes.api, lanes.jonas, "triaged")
    assert (after.transitions, after.outbox, after.events, after.routes) == (1, 1, 2, 1)
    [route] = routes_of(db, first)
    assert (route.kind, route.from_stage, route.to_stage) == ("triage", "requested", "triaged")
    assert route.batch_key == result.batch_key == routes_of(db, second)[0].batch_key

    def transition_and_escalation(session: Session) -> tuple[tuple[object, ...], str | None]:
        transition = session.get(StageTransitionRow, route.transition_id)
        escalation = session.get(EscalationRow, route.escalation_id)
        assert transition is not None and escalation is not None
        return (transition.from_stage, transition.to_stage, transition.actor_id), escalation.stage

    transition, escalation_stage = db.read(transition_and_escalation).result()
    assert transition == ("requested", "triaged", lanes.lead)
    assert escalation_stage == "triaged"
    payload = json.loads(outbox_of(db, first)[0].payload_json)
    assert (payload["kind"], payload["stage"], payload["from_stage"]) == ("triage", "triaged", "requested")
    assert [event.body_text for event in events_of(db, first)] == [
        "Stage changed from Requested to Triaged.",
        "Triaged to API Specialists (Jonas Weber).",
    ]
    assert db.read(holdings, second).result().stage == "triaged"


def test_only_requested_cases_can_be_triaged(db: DbRunner, lanes: Lanes) -> None:
    requested = db.write(add_placed_case, Stage.REQUESTED, 4730, None).result()
    decisions = [TriageDecision(requested, lanes.api, None), TriageDecision(lanes.case, lanes.api, None)]

    with pytest.raises(WorkflowError, match="Case #4711 is investigating, not requested"):
        db.write(accept_routes, decisions, lanes.lead, NOW).result()

    assert db.read(holdings, requested).result().stage == "requested"
    assert routes_of(db, requested) == []


# --- undo ----------------------------------------------------------------------------------------


def test_undo_puts_the_cases_back_and_nothing_reaches_the_helpdesk(db: DbRunner, lanes: Lanes) -> None:
    before = [db.read(holdings, case_id).result() for case_id in (lanes.case, lanes.other_case)]
    result = move(db, lanes, (lanes.case, lanes.other_case), lanes.api, lanes.jonas)

    changes = db.write(undo_move, result.batch_key, lanes.lead, LATER).result()

    for case_id, earlier in zip((lanes.case, lanes.other_case), before, strict=True):
        after = db.read(holdings, case_id).result()
        assert (after.team_id, after.assignee_id, after.stage) == (
            earlier.team_id,
            earlier.assignee_id,
            earlier.stage,
        )
        assert (after.outbox, after.events) == (0, 0)
        assert [route.undone_at for route in routes_of(db, case_id)] == [LATER]
        assert routes_of(db, case_id)[0].outbox_id is None
    assert last_assigned(db, lanes.jonas) == EARLIER
    assert changes.cases == {lanes.case, lanes.other_case}
    assert changes.teams == {lanes.sso, lanes.api}
    assert changes.outbox == result.changes.outbox
    assert db.read(reroute_count, lanes.case).result() == 0


def test_undoing_a_triage_puts_the_case_back_in_requested_without_its_transition(
    db: DbRunner, lanes: Lanes
) -> None:
    requested = db.write(add_placed_case, Stage.REQUESTED, 4730, None).result()
    result = db.write(
        accept_routes, [TriageDecision(requested, lanes.api, lanes.jonas)], lanes.lead, NOW
    ).result()

    db.write(undo_move, result.batch_key, lanes.lead, LATER).result()

    after = db.read(holdings, requested).result()
    assert (after.team_id, after.assignee_id, after.stage) == (None, None, "requested")
    assert (after.transitions, after.outbox, after.events) == (0, 0, 0)
    escalation_stage = db.read(
        lambda s: s.scalar(select(EscalationRow.stage).where(EscalationRow.case_id == requested))
    ).result()
    assert escalation_stage == "requested"
    assert last_assigned(db, lanes.jonas) == EARLIER


@pytest.mark.parametrize("state", [OutboxState.IN_FLIGHT, OutboxState.DONE, OutboxState.FAILED])
def test_undo_is_refused_once_the_move_left_the_outbox(
    db: DbRunner, lanes: Lanes, state: OutboxState
) -> None:
    result = move(db, lanes, (lanes.case,), lanes.api, lanes.jonas)
    set_outbox_state(db, lanes.case, state)

    with pytest.raises(
        UndoNotPossibleError, match=r"Case #4711 was already sent to the helpdesk; move it back"
    ):
        db.write(undo_move, result.batch_key, lanes.lead, LATER).result()

    after = db.read(holdings, lanes.case).result()
    assert (after.team_id, after.assignee_id, after.outbox, after.events) == (lanes.api, lanes.jonas, 1, 1)
    assert routes_of(db, lanes.case)[0].undone_at is None


def test_undo_names_the_helpdesk_of_a_synced_case(db: DbRunner, lanes: Lanes) -> None:
    db.write(
        lambda s: s.execute(update(CaseRow).where(CaseRow.id == lanes.case).values(source_system="zendesk"))
    ).result()
    result = move(db, lanes, (lanes.case,), lanes.api, lanes.jonas)
    set_outbox_state(db, lanes.case, OutboxState.DONE)

    with pytest.raises(UndoNotPossibleError, match="already sent to Zendesk"):
        db.write(undo_move, result.batch_key, lanes.lead, LATER).result()


def test_undo_is_refused_when_a_case_changed_since(db: DbRunner, lanes: Lanes) -> None:
    first = move(db, lanes, (lanes.case, lanes.other_case), lanes.api, None)
    db.write(  # the helpdesk assigned it meanwhile (a sync pull)
        lambda s: s.execute(
            update(CaseRow).where(CaseRow.id == lanes.other_case).values(assignee_id=lanes.jonas)
        )
    ).result()

    with pytest.raises(
        UndoNotPossibleError,
        match=r"Case #4712 changed since the move \(it is now in API Specialists, Jonas Weber, Triaged\)",
    ):
        db.write(undo_move, first.batch_key, lanes.lead, LATER).result()

    assert db.read(holdings, lanes.case).result().team_id == lanes.api


def test_undo_is_refused_when_a_later_move_of_the_case_stands(db: DbRunner, lanes: Lanes) -> None:
    first = move(db, lanes, (lanes.case,), lanes.api, None)
    move(db, lanes, (lanes.case,), lanes.sso, None)
    move(db, lanes, (lanes.case,), lanes.api, None)  # back where the first move put it

    with pytest.raises(UndoNotPossibleError, match="Case #4711 was moved again since; undo that move first"):
        db.write(undo_move, first.batch_key, lanes.lead, LATER).result()

    assert db.read(reroute_count, lanes.case).result() == 3


def test_a_batch_is_undone_once(db: DbRunner, lanes: Lanes) -> None:
    result = move(db, lanes, (lanes.case,), lanes.api, None)
    db.write(undo_move, result.batch_key, lanes.lead, LATER).result()

    with pytest.raises(UndoNotPossibleError, match="undone already"):
        db.write(undo_move, result.batch_key, lanes.lead, LATER).result()


# --- counts, restart, case header -----------------------------------------------------------------


def test_the_reroute_count_counts_team_changes_that_were_not_undone(db: DbRunner, lanes: Lanes) -> None:
    move(db, lanes, (lanes.case,), lanes.api, None)
    move(db, lanes, (lanes.case,), lanes.api, lanes.jonas)  # an assignment
    back = move(db, lanes, (lanes.case,), lanes.sso, lanes.priya)
    assert db.read(reroute_count, lanes.case).result() == 2

    db.write(undo_move, back.batch_key, lanes.lead, LATER).result()

    assert db.read(reroute_count, lanes.case).result() == 1
    assert db.read(load_case, lanes.case).result().header.reroute_count == 1
    assert db.read(load_case, lanes.other_case).result().header.reroute_count == 0


def test_a_move_survives_reopening_the_workspace(db: DbRunner, lanes: Lanes, workspace_dir: Path) -> None:
    result = move(db, lanes, (lanes.case,), lanes.api, lanes.jonas, reason="API question")
    db.shutdown()

    engine, _report = open_workspace(workspace_dir)
    try:
        reopened = DbRunner(engine)
        after = reopened.read(holdings, lanes.case).result()
        [route] = rows_of(reopened, CaseRouteRow, CaseRouteRow.batch_key == result.batch_key)
        [entry] = rows_of(reopened, OutboxRow, OutboxRow.case_id == lanes.case)
        header = reopened.read(load_case, lanes.case).result().header
        reopened.shutdown()
    finally:
        engine.dispose()
    assert (after.team_id, after.assignee_id) == (lanes.api, lanes.jonas)
    assert (route.kind, route.reason, route.outbox_id) == ("reroute", "API question", entry.id)
    assert (entry.operation, entry.state) == ("assign", "pending")
    assert (header.team_name, header.assignee_name, header.reroute_count) == (
        "API Specialists",
        "Jonas Weber",
        1,
    )


def test_a_triage_reason_is_recorded_with_the_route_and_shown_in_the_timeline(
    db: DbRunner, lanes: Lanes
) -> None:
    requested = db.write(add_placed_case, Stage.REQUESTED, 4730, lanes.sso).result()
    decision = TriageDecision(requested, lanes.api, None, reason="  Really an API limit question  ")

    db.write(accept_routes, [decision], lanes.lead, NOW).result()

    [route] = routes_of(db, requested)
    assert route.reason == "Really an API limit question"
    assert "Stage changed from Requested to Triaged: Really an API limit question" in [
        event.body_text for event in events_of(db, requested)
    ]
