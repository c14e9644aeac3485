"""The board-drop benchmark: how long a card dropped on another lane takes to be committed.

It runs on a workspace of its own, never on the user's (a drop writes): the
generator's realistic organisation with :data:`BOARD_CASES` cases, which gives
about 2,000 open escalated cards across the 16 tier-2 and tier-3 lanes. Each
drop moves one card to the next lane (every other drop onto a specialist of
that lane) through :meth:`DbRunner.write`, the path the board's drop takes via
``DataAccess.write``: the time is from scheduling the write to its commit.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, PersonRow, TeamRow
from core.db.runner import DbRunner
from core.db.types import utc_now
from core.domain.enums import PersonRole
from core.generator import generate_workspace
from core.routing.moves import NOT_MOVABLE, MoveRequest, move_cases
from core.workspace import open_workspace

BOARD_CASES = 5_600
BOARD_SEED = 2026
BOARD_TIERS = (2, 3)
WARM_UP_DROPS = 3


@dataclass(frozen=True)
class Board:
    """The board a benchmark drops cards on: its cards by lane, each lane's members, a lead."""

    cards: list[tuple[int, int]]  # (case id, team id), lane by lane
    lanes: list[int]
    members: dict[int, list[int]]
    lead: int

    def next_lane(self, team_id: int) -> int:
        """The lane to the right of ``team_id`` (the first after the last)."""
        return self.lanes[(self.lanes.index(team_id) + 1) % len(self.lanes)]


def build_board_workspace(folder: Path, cases: int = BOARD_CASES) -> Path:
    """Generate the benchmark's workspace in ``folder`` (seeded, so always the same board)."""
    engine, _report = open_workspace(folder)
    try:
        anchor = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        generate_workspace(engine, cases=cases, seed=BOARD_SEED, anchor=anchor)
    finally:
        engine.dispose()
    return folder


@contextmanager
def temporary_board_workspace(cases: int = BOARD_CASES) -> Iterator[Path]:
    """A freshly generated board workspace in a temporary folder, deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="handoff-board-bench-") as folder:
        yield build_board_workspace(Path(folder), cases)


def read_board(session: Session) -> Board:
    """The open escalated cards of the tier-2 and tier-3 lanes, the lanes' active members and a lead."""
    lanes = list(
        session.scalars(select(TeamRow.id).where(TeamRow.tier.in_(BOARD_TIERS)).order_by(TeamRow.id))
    )
    cards = [
        (case_id, team_id)
        for case_id, team_id in session.execute(
            select(CaseRow.id, CaseRow.team_id)
            .where(CaseRow.team_id.in_(lanes), CaseRow.stage.not_in([stage.value for stage in NOT_MOVABLE]))
            .order_by(CaseRow.team_id, CaseRow.id)
        )
        if team_id is not None
    ]
    members: dict[int, list[int]] = {lane: [] for lane in lanes}
    for person_id, team_id in session.execute(
        select(PersonRow.id, PersonRow.team_id)
        .where(PersonRow.team_id.in_(lanes), PersonRow.active.is_(True))
        .order_by(PersonRow.id)
    ):
        if team_id is not None:
            members[team_id].append(person_id)
    lead = session.scalar(select(PersonRow.id).where(PersonRow.role == PersonRole.LEAD.value).limit(1))
    if lead is None or not cards:
        raise RuntimeError("the board workspace has no lead or no open cards to move")
    return Board(cards, lanes, members, lead)


def card_count(session: Session) -> tuple[int, int]:
    """How many open escalated cards the board's lanes hold, and how many lanes there are."""
    board = read_board(session)
    return len(board.cards), len(board.lanes)


def drop_requests(board: Board, drops: int) -> Iterator[MoveRequest]:
    """``drops`` single-card drops, each card to the next lane; every other one onto a member of it."""
    step = max(1, len(board.cards) // drops)
    for index in range(drops):
        case_id, team_id = board.cards[(index * step) % len(board.cards)]
        target = board.next_lane(team_id)
        people = board.members[target]
        person = people[index % len(people)] if index % 2 and people else None
        yield MoveRequest((case_id,), target, person, board.lead, reason="Rebalancing the board")


def measure_board_drop(db: DbRunner, drops: int = 60) -> list[float]:
    """Milliseconds from scheduling each drop's write to its commit, after a few unmeasured drops."""
    board = db.read(read_board).result()
    requests = list(drop_requests(board, drops + WARM_UP_DROPS))
    timings: list[float] = []
    for index, request in enumerate(requests):
        started = time.perf_counter()
        db.write(move_cases, request, utc_now()).result()
        if index >= WARM_UP_DROPS:
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_board_drop(drops: int = 60, cases: int = BOARD_CASES) -> tuple[list[float], int, int]:
    """Drop timings on a fresh board workspace; and its card and lane counts."""
    with temporary_board_workspace(cases) as folder:
        engine, _report = open_workspace(folder, create=False)
        db = DbRunner(engine)
        try:
            cards, lanes = db.read(card_count).result()
            return measure_board_drop(db, drops), cards, lanes
        finally:
            db.shutdown()
