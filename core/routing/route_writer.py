"""Writing one case's route: its new team and specialist, the route record, the outbox entry and its events.

:func:`write_route` is the one place a route is written, for a move on the board
and for an accepted triage alike, in the caller's transaction: the case's team
and assignee, the person's last assignment, a :class:`~core.db.models.CaseRouteRow`
holding what undo restores, one ``assign`` outbox entry (with the team and person
both by local id and by what the helpdesk knows them as) and the timeline events
it delivers. Nothing here validates: callers check every case first, so a refused
batch writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRouteRow, CaseRow, PersonRow, StageTransitionRow, TeamRow
from core.domain.changes import ChangeSet
from core.domain.enums import EventKind, OutboxOperation, Stage
from core.outbox import JsonValue
from core.routing.history import rules_text
from core.routing.types import RouteKind, RuleKind
from core.workflow.recording import EventDraft, json_text, move_case, open_escalation, publish, stage_payload

UNASSIGNED = "Unassigned"
NO_TEAM = "no team"


@dataclass(frozen=True)
class RouteStep:
    """One case's route within a batch, validated and ready to write.

    ``to_stage`` is set when the route also moves the case on (triage: ``triaged``).
    """

    case: CaseRow
    kind: RouteKind
    team: TeamRow
    person: PersonRow | None
    reason: str = ""
    overridden_rules: tuple[RuleKind, ...] = ()
    explanation: Mapping[str, object] | None = None
    to_stage: Stage | None = None


@dataclass(frozen=True)
class WrittenRoute:
    """What :func:`write_route` wrote for one case: the route record and the change set."""

    route: CaseRouteRow
    changes: ChangeSet


def write_route(
    session: Session, step: RouteStep, actor: PersonRow, batch_key: str, now: datetime
) -> WrittenRoute:
    """Write ``step`` (state, audit, route record, one outbox entry, its events); returns what it wrote."""
    case = step.case
    from_team = session.get(TeamRow, case.team_id) if case.team_id is not None else None
    from_person = session.get(PersonRow, case.assignee_id) if case.assignee_id is not None else None
    from_stage = Stage(case.stage)
    escalation = open_escalation(session, case.id)
    events: list[EventDraft] = []
    if step.to_stage is not None:
        events.append(move_case(session, case, actor, step.to_stage, step.reason, now, escalation=escalation))
    case.team_id = step.team.id
    case.assignee_id = step.person.id if step.person is not None else None
    previous_last_assigned_at = None
    if step.person is not None:
        previous_last_assigned_at = step.person.last_assigned_at
        step.person.last_assigned_at = now
    events.append(_route_event(step, from_team, from_person, batch_key))
    payload = _payload(step, from_team, from_person, batch_key)
    if step.to_stage is not None:
        payload.update(stage_payload(case, from_stage, step.reason))
    changes, event_rows = publish(session, case, actor, OutboxOperation.ASSIGN, payload, events, now)
    route = CaseRouteRow(
        case_id=case.id,
        escalation_id=escalation.id if escalation is not None else None,
        batch_key=batch_key,
        kind=step.kind.value,
        from_team_id=from_team.id if from_team is not None else None,
        to_team_id=step.team.id,
        from_assignee_id=from_person.id if from_person is not None else None,
        to_assignee_id=case.assignee_id,
        from_stage=from_stage.value,
        to_stage=case.stage,
        reason=step.reason,
        overridden_rules_json=rules_text(step.overridden_rules),
        explanation_json=json_text(step.explanation),
        actor_id=actor.id,
        at=now,
        outbox_id=event_rows[0].outbox_id,
        transition_id=_latest_transition_id(session, case.id) if step.to_stage is not None else None,
        previous_last_assigned_at=previous_last_assigned_at,
    )
    session.add(route)
    session.flush()
    teams = {step.team.id} | ({from_team.id} if from_team is not None else set())
    return WrittenRoute(route, ChangeSet(cases=changes.cases, outbox=changes.outbox, teams=frozenset(teams)))


def team_name(team: TeamRow | None) -> str:
    """A team's name as events and messages show it."""
    return team.name if team is not None else NO_TEAM


def person_name(person: PersonRow | None) -> str:
    """A person's name as events and messages show it (``Unassigned`` for nobody)."""
    return person.name if person is not None else UNASSIGNED


def _route_event(
    step: RouteStep, from_team: TeamRow | None, from_person: PersonRow | None, batch_key: str
) -> EventDraft:
    """The timeline event that tells what the route did, in words."""
    people = f"{person_name(from_person)} → {person_name(step.person)}"
    if step.kind is RouteKind.TRIAGE:
        body = f"Triaged to {team_name(step.team)} ({person_name(step.person)})"
    elif step.kind is RouteKind.REROUTE:
        body = f"Moved from {team_name(from_team)} to {team_name(step.team)} ({people})"
    else:
        body = f"Reassigned in {team_name(step.team)} ({people})"
    body += f": {step.reason}" if step.reason else "."
    return EventDraft(
        EventKind.FIELD_CHANGE,
        body,
        {
            "field": "route",
            "kind": step.kind.value,
            "batch_key": batch_key,
            "from_team": from_team.name if from_team is not None else None,
            "to_team": step.team.name,
            "from_assignee": from_person.name if from_person is not None else None,
            "to_assignee": step.person.name if step.person is not None else None,
            "reason": step.reason,
        },
    )


def _payload(
    step: RouteStep, from_team: TeamRow | None, from_person: PersonRow | None, batch_key: str
) -> dict[str, JsonValue]:
    """What the connector needs to reassign the remote ticket (and what it was, for conflicts)."""
    return {
        "kind": step.kind.value,
        "batch_key": batch_key,
        "reason": step.reason,
        **_team_fields("team", step.team),
        **_person_fields("assignee", step.person),
        **_team_fields("previous_team", from_team),
        **_person_fields("previous_assignee", from_person),
    }


def _team_fields(prefix: str, team: TeamRow | None) -> dict[str, JsonValue]:
    return {
        f"{prefix}_id": team.id if team is not None else None,
        f"{prefix}_key": team.key if team is not None else None,
        f"{prefix}_remote_id": team.remote_id if team is not None else None,
    }


def _person_fields(prefix: str, person: PersonRow | None) -> dict[str, JsonValue]:
    return {
        f"{prefix}_id": person.id if person is not None else None,
        f"{prefix}_email": person.email if person is not None else None,
        f"{prefix}_remote_id": person.remote_id if person is not None else None,
    }


def _latest_transition_id(session: Session, case_id: int) -> int | None:
    """The stage transition :func:`move_case` just wrote for the case (flushed by ``publish``)."""
    return session.scalar(
        select(StageTransitionRow.id)
        .where(StageTransitionRow.case_id == case_id)
        .order_by(StageTransitionRow.id.desc())
        .limit(1)
    )
