"""Reverting a batch of routes while nothing of it has reached the helpdesk.

:func:`undo_problem` says why a batch cannot be undone (an outbox entry left
``pending``, or a case changed since); :func:`revert` puts every case back
where the batch found it and removes what the batch wrote for the remote (its
timeline events and outbox entries), keeping the route records, marked undone,
for the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.db.models import (
    CaseRouteRow,
    CaseRow,
    EscalationRow,
    OutboxRow,
    PersonRow,
    StageTransitionRow,
    TeamRow,
    TimelineEventRow,
)
from core.domain.changes import ChangeSet
from core.domain.enums import OutboxState, SourceSystem, Stage
from core.routing.route_writer import person_name, team_name
from core.workflow.stages import stage_name

HELPDESK = "the helpdesk"


def batch_routes(session: Session, batch_key: str) -> list[CaseRouteRow]:
    """The routes of the batch that are not undone, in the order they were written."""
    return list(
        session.scalars(
            select(CaseRouteRow)
            .where(CaseRouteRow.batch_key == batch_key, CaseRouteRow.undone_at.is_(None))
            .order_by(CaseRouteRow.id)
        )
    )


def undo_problem(session: Session, routes: Sequence[CaseRouteRow]) -> str | None:
    """Why the batch cannot be undone (the first reason found), or None when it can."""
    for route in routes:
        case = session.get(CaseRow, route.case_id)
        if case is None:
            return "A case of this move was deleted since; there is nothing to undo."
        entry = session.get(OutboxRow, route.outbox_id) if route.outbox_id is not None else None
        if entry is None or entry.state != OutboxState.PENDING.value:
            return f"Case #{case.number} was already sent to {_remote_name(entry)}; move it back instead."
        if _moved_again(session, route):
            return f"Case #{case.number} was moved again since; undo that move first."
        if (case.team_id, case.assignee_id, case.stage) != (
            route.to_team_id,
            route.to_assignee_id,
            route.to_stage,
        ):
            return (
                f"Case #{case.number} changed since the move (it is now in {_where(session, case)}); "
                "move it back yourself instead."
            )
    return None


def _moved_again(session: Session, route: CaseRouteRow) -> bool:
    """Whether a later route of the same case stands (it would be left describing a move that never was)."""
    later = session.scalar(
        select(CaseRouteRow.id)
        .where(
            CaseRouteRow.case_id == route.case_id,
            CaseRouteRow.id > route.id,
            CaseRouteRow.batch_key != route.batch_key,
            CaseRouteRow.undone_at.is_(None),
        )
        .limit(1)
    )
    return later is not None


def revert(session: Session, routes: Sequence[CaseRouteRow], now: datetime) -> ChangeSet:
    """Put the cases back, restore last assignments, remove events and outbox entries; mark undone."""
    cases: set[int] = set()
    teams: set[int] = set()
    outbox: set[int] = set()
    for route in reversed(routes):  # the latest first, so each person gets their oldest value back
        case = session.get(CaseRow, route.case_id)
        assert case is not None  # undo_problem checked it
        case.team_id = route.from_team_id
        case.assignee_id = route.from_assignee_id
        case.updated_at = now
        if route.from_stage != route.to_stage:
            _revert_stage(session, case, route)
        _restore_last_assignment(session, route)
        if route.outbox_id is not None:
            outbox.add(route.outbox_id)
            session.execute(delete(TimelineEventRow).where(TimelineEventRow.outbox_id == route.outbox_id))
            route.outbox_id = None
        route.undone_at = now
        cases.add(case.id)
        teams.update(team for team in (route.from_team_id, route.to_team_id) if team is not None)
    session.flush()
    if outbox:
        session.execute(delete(OutboxRow).where(OutboxRow.id.in_(outbox)))
    return ChangeSet(cases=frozenset(cases), teams=frozenset(teams), outbox=frozenset(outbox))


def _revert_stage(session: Session, case: CaseRow, route: CaseRouteRow) -> None:
    """Back to the stage the route found (triage: ``requested``), without the transition it recorded."""
    case.stage = route.from_stage
    if route.escalation_id is not None:
        escalation = session.get(EscalationRow, route.escalation_id)
        if escalation is not None:
            escalation.stage = route.from_stage
    if route.transition_id is not None:
        transition_id = route.transition_id
        route.transition_id = None
        session.flush()
        session.execute(delete(StageTransitionRow).where(StageTransitionRow.id == transition_id))


def _restore_last_assignment(session: Session, route: CaseRouteRow) -> None:
    """The person's last assignment as it was, unless a later assignment replaced the route's."""
    if route.to_assignee_id is None:
        return
    person = session.get(PersonRow, route.to_assignee_id)
    if person is not None and person.last_assigned_at == route.at:
        person.last_assigned_at = route.previous_last_assigned_at


def _remote_name(entry: OutboxRow | None) -> str:
    """The helpdesk an outbox entry goes to, as a user names it."""
    if entry is None or entry.connection_id is None:
        return HELPDESK
    try:
        return SourceSystem(entry.connection_id).value.capitalize()
    except ValueError:
        return HELPDESK


def _where(session: Session, case: CaseRow) -> str:
    """Where a case is now, in words: its team, assignee and stage."""
    team = session.get(TeamRow, case.team_id) if case.team_id is not None else None
    person = session.get(PersonRow, case.assignee_id) if case.assignee_id is not None else None
    return f"{team_name(team)}, {person_name(person)}, {stage_name(Stage(case.stage))}"
