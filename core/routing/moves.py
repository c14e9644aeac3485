"""Moving cases between lanes and people: state, route record and outbox entry in one transaction; undo.

CONTRACT (signatures fixed; the bodies belong to the moves helper).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.routing.types import RuleKind
from core.workflow.errors import WorkflowError


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


@dataclass(frozen=True)
class MoveResult:
    """What a move wrote: the batch key (what :func:`undo_move` takes) and the change set."""

    batch_key: str
    changes: ChangeSet
    route_ids: tuple[int, ...] = field(default_factory=tuple)


def move_cases(session: Session, request: MoveRequest, now: datetime) -> MoveResult:
    """Reassign the cases; one route record, one outbox entry (ASSIGN) and one timeline event per case."""
    raise NotImplementedError


def accept_routes(
    session: Session, decisions: Sequence[TriageDecision], actor_id: int, now: datetime
) -> MoveResult:
    """Triage the cases: requested → triaged, team and specialist set, all in one batch."""
    raise NotImplementedError


def undo_move(session: Session, batch_key: str, actor_id: int, now: datetime) -> ChangeSet:
    """Revert every move of the batch while none of its outbox entries has left ``pending``.

    Raises :class:`UndoNotPossibleError` otherwise (nothing changes).
    """
    raise NotImplementedError


def reroute_count(session: Session, case_id: int) -> int:
    """How many times the case went to another team (undone moves do not count)."""
    raise NotImplementedError
