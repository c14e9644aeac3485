"""Units of work (DB thread) behind a move: what "Move to…" offers, and what a chosen move would break.

Both return immutable values the dialogs show as they are: the targets with
their loads, the cases' one-line labels, the :class:`~core.routing.checks.MoveCheck`
(broken rules and the proposal per case) and the chosen target's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.queries.inbox import inbox_rows
from core.routing.checks import MoveCheck, MoveTarget, check_moves, move_targets
from ui.dialogs.route_explanation import route_label


@dataclass(frozen=True)
class MoveChoices:
    """What "Move to…" offers for some cases: every team and person, and the cases' labels."""

    case_ids: tuple[int, ...]
    case_labels: dict[int, str]
    targets: tuple[MoveTarget, ...]


@dataclass(frozen=True)
class MovePreview:
    """A move as the lead is about to confirm it: the check, the cases' labels, the target's name."""

    case_ids: tuple[int, ...]
    team_id: int
    person_id: int | None
    check: MoveCheck
    case_labels: dict[int, str]
    target_label: str

    @property
    def ok(self) -> bool:
        """Whether the move breaks no rule."""
        return self.check.ok


def case_labels(session: Session, case_ids: Sequence[int]) -> dict[int, str]:
    """``{id: "#1042 SAML assertion rejected…"}`` for the known cases among ``case_ids``."""
    return {row.id: f"#{row.number} {row.subject}" for row in inbox_rows(session, list(case_ids))}


def target_label(targets: Sequence[MoveTarget], team_id: int, person_id: int | None) -> str:
    """``"SSO Specialists"`` or ``"SSO Specialists → Priya Raman"`` for a team or one of its people."""
    for target in targets:
        if target.team_id == team_id and target.person_id == person_id:
            return route_label(target.team_name, target.person_name) if person_id else target.team_name
    return ""


def load_move_choices(session: Session, case_ids: Sequence[int]) -> MoveChoices:
    """Unit of work: the targets "Move to…" lists for ``case_ids`` and the cases' labels."""
    return MoveChoices(
        case_ids=tuple(case_ids),
        case_labels=case_labels(session, case_ids),
        targets=tuple(move_targets(session)),
    )


def preview_move(
    session: Session, case_ids: Sequence[int], team_id: int, person_id: int | None, now: datetime
) -> MovePreview:
    """Unit of work: check moving ``case_ids`` to the team (and person), with the names to show."""
    check = check_moves(session, case_ids, team_id, person_id, now)
    return MovePreview(
        case_ids=tuple(case_ids),
        team_id=team_id,
        person_id=person_id,
        check=check,
        case_labels=case_labels(session, case_ids),
        target_label=target_label(move_targets(session), team_id, person_id),
    )
