"""Moving cases between lanes and people: state, route record and outbox entry in one transaction; undo.

Every case of a request is validated before anything is written, so a refused
batch writes nothing; the writing itself is :func:`core.routing.route_writer.write_route`.
The cases of one request share a batch key, which :func:`undo_move` takes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from core.db.models import CaseRow, PersonRow, TeamRow
from core.domain.changes import ChangeSet
from core.domain.enums import Stage
from core.routing.history import reroute_count_of
from core.routing.route_writer import RouteStep, WrittenRoute, person_name, team_name, write_route
from core.routing.types import RouteKind, RuleKind
from core.routing.undo import batch_routes, revert, undo_problem
from core.workflow.errors import WorkflowError
from core.workflow.recording import load_case, load_person
from core.workflow.stages import stage_name

#: Stages a case cannot be moved from: not escalated yet, or done.
NOT_MOVABLE: frozenset[Stage] = frozenset({Stage.NEW, Stage.RESOLVED, Stage.CLOSED})


class UndoNotPossibleError(WorkflowError):
    """The move was synced already, or the cases changed since; the message says which and what to do."""


@dataclass(frozen=True)
class MoveRequest:
    """Move ``case_ids`` to ``team_id`` and ``person_id`` (None: unassigned in that team).

    ``overridden_rules`` lists the rules the lead saw broken and confirmed; they are
    recorded with the move. ``explanation`` is the route explanation shown, if any.
    """

    case_ids: tuple[int, ...]
    team_id: int
    person_id: int | None
    actor_id: int
    reason: str = ""
    overridden_rules: tuple[RuleKind, ...] = ()
    explanation: Mapping[str, object] | None = None


@dataclass(frozen=True)
class TriageDecision:
    """Accept a route for a case in ``requested``: it goes to ``triaged`` in that team, with that person."""

    case_id: int
    team_id: int
    person_id: int | None
    explanation: Mapping[str, object] | None = None
    overridden_rules: tuple[RuleKind, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class MoveResult:
    """What a move wrote: the batch key (what :func:`undo_move` takes) and the change set."""

    batch_key: str
    changes: ChangeSet
    route_ids: tuple[int, ...] = field(default_factory=tuple)


def move_cases(session: Session, request: MoveRequest, now: datetime) -> MoveResult:
    """Reassign the cases; one route record, one outbox entry (ASSIGN) and one timeline event per case.

    A case whose team and assignee are already the target's is skipped; when all
    are, the request is refused. Raises :class:`WorkflowError` (nothing written) for a
    case that is not an open escalation, an unknown team, or a person who cannot take it.
    """
    actor = load_person(session, request.actor_id)
    team = _team(session, request.team_id)
    person = _assignee(session, team, request.person_id, request.overridden_rules)
    cases = _cases(session, request.case_ids)
    for case in cases:
        if Stage(case.stage) in NOT_MOVABLE:
            raise WorkflowError(
                f"Case #{case.number} is {stage_name(Stage(case.stage)).lower()}: "
                "only open escalations can be moved between teams."
            )
    person_id = person.id if person is not None else None
    moving = [case for case in cases if (case.team_id, case.assignee_id) != (team.id, person_id)]
    if not moving:
        raise WorkflowError(f"{_numbers(cases)} {'is' if len(cases) == 1 else 'are'} already there.")
    steps = [
        RouteStep(
            case=case,
            kind=RouteKind.REROUTE if case.team_id != team.id else RouteKind.ASSIGN,
            team=team,
            person=person,
            reason=request.reason.strip(),
            overridden_rules=request.overridden_rules,
            explanation=request.explanation,
        )
        for case in moving
    ]
    return _write_batch(session, steps, actor, now)


def accept_routes(
    session: Session, decisions: Sequence[TriageDecision], actor_id: int, now: datetime
) -> MoveResult:
    """Triage the cases: requested → triaged, team and specialist set, all in one batch.

    Raises :class:`WorkflowError` (nothing written) for a case not in ``requested``,
    an unknown team, or a person who cannot take it.
    """
    if not decisions:
        raise WorkflowError("Choose at least one case to triage.")
    actor = load_person(session, actor_id)
    steps: list[RouteStep] = []
    seen: set[int] = set()
    for decision in decisions:
        case = load_case(session, decision.case_id)
        if case.id in seen:
            raise WorkflowError(f"Case #{case.number} is listed twice; triage it once.")
        seen.add(case.id)
        if case.stage != Stage.REQUESTED.value:
            raise WorkflowError(
                f"Case #{case.number} is {stage_name(Stage(case.stage)).lower()}, not requested: "
                "only requested escalations are triaged."
            )
        team = _team(session, decision.team_id)
        steps.append(
            RouteStep(
                case=case,
                kind=RouteKind.TRIAGE,
                team=team,
                person=_assignee(session, team, decision.person_id, decision.overridden_rules),
                overridden_rules=decision.overridden_rules,
                explanation=decision.explanation,
                to_stage=Stage.TRIAGED,
                reason=decision.reason.strip(),
            )
        )
    return _write_batch(session, steps, actor, now)


def undo_move(session: Session, batch_key: str, actor_id: int, now: datetime) -> ChangeSet:
    """Revert every move of the batch while none of its outbox entries has left ``pending``.

    Raises :class:`UndoNotPossibleError` otherwise (nothing changes).
    """
    load_person(session, actor_id)
    routes = batch_routes(session, batch_key)
    if not routes:
        raise UndoNotPossibleError("There is nothing to undo: this move was undone already.")
    problem = undo_problem(session, routes)
    if problem is not None:
        raise UndoNotPossibleError(problem)
    return revert(session, routes, now)


def reroute_count(session: Session, case_id: int) -> int:
    """How many times the case went to another team (undone moves do not count)."""
    return reroute_count_of(session, case_id)


def _write_batch(session: Session, steps: Sequence[RouteStep], actor: PersonRow, now: datetime) -> MoveResult:
    """Write every validated step under one new batch key."""
    batch_key = uuid.uuid4().hex
    written: list[WrittenRoute] = [write_route(session, step, actor, batch_key, now) for step in steps]
    changes = ChangeSet()
    for route in written:
        changes = changes.merge(route.changes)
    return MoveResult(batch_key, changes, tuple(route.route.id for route in written))


def _team(session: Session, team_id: int) -> TeamRow:
    team = session.get(TeamRow, team_id)
    if team is None:
        raise WorkflowError(f"There is no team with id {team_id} in this workspace.")
    return team


def _assignee(
    session: Session, team: TeamRow, person_id: int | None, overridden: Iterable[RuleKind]
) -> PersonRow | None:
    """The person who takes the cases (None: unassigned); refused when inactive or not in the team.

    A person of another team may take them only when the lead confirmed that
    (:attr:`RuleKind.NOT_A_MEMBER` among the overridden rules).
    """
    if person_id is None:
        return None
    person = load_person(session, person_id)
    if not person.active:
        raise WorkflowError(f"{person.name} is no longer active; choose someone else.")
    if person.team_id != team.id and RuleKind.NOT_A_MEMBER not in overridden:
        raise WorkflowError(
            f"{person_name(person)} is not a member of {team_name(team)}; "
            "choose one of its members or leave the case unassigned."
        )
    return person


def _cases(session: Session, case_ids: Sequence[int]) -> list[CaseRow]:
    """The cases, each once, in the order given; refused when there are none."""
    if not case_ids:
        raise WorkflowError("Choose at least one case to move.")
    return [load_case(session, case_id) for case_id in dict.fromkeys(case_ids)]


def _numbers(cases: Sequence[CaseRow]) -> str:
    """``Case #4711`` or ``Cases #4711, #4712``."""
    numbers = ", ".join(f"#{case.number}" for case in cases)
    return f"Case {numbers}" if len(cases) == 1 else f"Cases {numbers}"
