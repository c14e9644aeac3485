"""Generating a whole demo or benchmark workspace: the organisation, then cases in batches.

Everything happens in one write transaction inside :func:`core.db.bulk.bulk_load`
(full-text triggers suspended, the new cases indexed in one pass at the end),
with rows inserted by ``executemany`` in batches of :data:`BATCH_SIZE` cases
so that memory stays bounded at any size. One ``random.Random(seed)`` drives
every choice (and a second stream seeded from ``seed``, the routing traits of
:mod:`core.generator.traits`) and every time is computed from ``anchor``: the
same seed and anchor always give the same database content.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.db.bulk import bulk_load
from core.db.engine import writer
from core.domain.enums import PersonRole
from core.generator.capacity import size_to_workload
from core.generator.organisation import Organisation, build_organisation
from core.generator.plan import Planner
from core.generator.render import CaseRenderer, CaseRows
from core.generator.story import StoryTeller
from core.generator.timing import Clock, Scheduler
from core.generator.traits import RoutingTraits
from core.generator.writer import RowWriter
from core.settings import ME_PERSON_ID, set_setting
from core.sla.store import refresh_deadlines

BATCH_SIZE = 1000
FIRST_CASE_NUMBER = 10001

ProgressCallback = Callable[[int, int], None]
"""Called after each batch with (cases written, cases in total)."""

PhaseCallback = Callable[[str], None]
"""Called with a short description when a long step without progress starts (indexing, committing)."""


class WorkspaceNotEmptyError(ValueError):
    """The workspace already holds data; the generator only fills empty workspaces."""


@dataclass(frozen=True)
class GenerationReport:
    """What was generated, and how long it took."""

    cases: int
    events: int
    escalations: int
    transitions: int
    notes: int
    customers: int
    contacts: int
    people: int
    teams: int
    me_person_id: int
    seconds: float


def generate_workspace(
    engine: Engine,
    *,
    cases: int,
    seed: int,
    anchor: datetime,
    progress: ProgressCallback | None = None,
    phase: PhaseCallback | None = None,
    open_only: bool = False,
) -> GenerationReport:
    """Fill the empty workspace on ``engine`` with ``cases`` realistic cases.

    Raises :class:`WorkspaceNotEmptyError` if the workspace already has
    cases, people, teams or customers, and ``ValueError`` for a case count
    below one or a naive ``anchor``. ``open_only``: no case is resolved or closed (a live
    queue, for load tests).
    """
    if cases < 1:
        raise ValueError(f"the number of cases must be at least 1, not {cases}")
    started = time.perf_counter()
    clock = Clock(anchor)
    rng = Random(seed)
    organisation = build_organisation(rng, cases=cases, today=clock.anchor.date())
    planner = Planner(rng, organisation, open_only=open_only)
    teller = StoryTeller(rng, organisation)
    scheduler = Scheduler(rng)
    traits = RoutingTraits(Random(f"routing-traits:{seed}"), organisation, clock)
    staff = traits.staff()
    renderer = CaseRenderer(rng, organisation, clock, traits, total_cases=cases)
    with writer(engine).begin() as connection:
        _require_empty(connection)
        with bulk_load(connection):
            rows = RowWriter(connection)
            rows.organisation(organisation, staff)
            for batch_start in range(0, cases, BATCH_SIZE):
                batch = CaseRows()
                for index in range(batch_start, min(cases, batch_start + BATCH_SIZE)):
                    plan = planner.plan(FIRST_CASE_NUMBER + index)
                    story = teller.tell(plan)
                    scheduler.place(story)
                    renderer.render(index + 1, plan, story, batch)
                rows.cases(batch)
                if progress is not None:
                    progress(min(cases, batch_start + BATCH_SIZE), cases)
            size_to_workload(connection, Random(f"capacity:{seed}"))
            if phase is not None:
                phase("indexing for full-text search")
        me = _choose_me(organisation, renderer.totals.open_by_assignee)
        if phase is not None:
            phase("computing SLA deadlines")
        with Session(bind=connection) as session:
            set_setting(session, ME_PERSON_ID, str(me))
            # Once for every open case, instead of the write hook's per-case refresh.
            refresh_deadlines(session, None, clock.anchor.replace(tzinfo=UTC))
            session.flush()
        if phase is not None:
            phase("committing")
    totals = renderer.totals
    return GenerationReport(
        cases=cases,
        events=totals.events,
        escalations=totals.escalations,
        transitions=totals.transitions,
        notes=totals.notes,
        customers=len(organisation.customers),
        contacts=organisation.contact_count,
        people=len(organisation.people),
        teams=len(organisation.teams),
        me_person_id=me,
        seconds=time.perf_counter() - started,
    )


_OCCUPIED_TABLES = ("cases", "people", "teams", "customers", "product_areas")


def _require_empty(connection: Connection) -> None:
    for table in _OCCUPIED_TABLES:
        if connection.execute(text(f"SELECT EXISTS (SELECT 1 FROM {table})")).scalar_one():
            raise WorkspaceNotEmptyError(
                f"The workspace already contains data (table {table} is not empty); "
                "generate into a new, empty workspace."
            )


def _choose_me(organisation: Organisation, open_by_assignee: dict[int, int]) -> int:
    """The tier-2 specialist with the most open cases ("me" of the workspace; ties go to the lowest id)."""
    specialists = [
        person
        for team in organisation.tier2
        for person in team.members
        if person.role is PersonRole.SPECIALIST
    ]
    best = max(specialists, key=lambda person: (open_by_assignee.get(person.id, 0), -person.id))
    return best.id
