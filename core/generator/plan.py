"""What a generated case is about before its story is told: area, problem, customer, final stage, priority.

The stage mix follows a support organisation with a long history: most cases
closed, a good third open across every stage of the escalation workflow.
"""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from random import Random

from core.domain.enums import DONE_STAGES, CustomerTier, Priority, Stage
from core.generator.catalog import AreaProfile, Scenario
from core.generator.customers import Contact, Customer
from core.generator.organisation import Organisation, Person

STAGE_SHARES: dict[Stage, float] = {
    Stage.NEW: 5.0,
    Stage.REQUESTED: 3.5,
    Stage.TRIAGED: 3.0,
    Stage.INVESTIGATING: 11.0,
    Stage.AWAITING_CUSTOMER: 7.0,
    Stage.AWAITING_ENGINEERING: 5.0,
    Stage.AWAITING_APPROVAL: 1.5,
    Stage.RESOLUTION_PROPOSED: 4.0,
    Stage.RESOLVED: 5.0,
    Stage.CLOSED: 55.0,
}
"""Share (percent) of cases ending up in each stage."""

PRIORITY_SHARES: dict[CustomerTier, tuple[float, float, float, float]] = {
    # low, normal, high, urgent
    CustomerTier.STARTER: (0.25, 0.55, 0.17, 0.03),
    CustomerTier.BUSINESS: (0.15, 0.55, 0.25, 0.05),
    CustomerTier.ENTERPRISE: (0.10, 0.50, 0.30, 0.10),
    CustomerTier.STRATEGIC: (0.05, 0.40, 0.38, 0.17),
}
"""Opening priority by the customer's commercial tier."""

MIN_EVENTS = 5
MAX_EVENTS = 60
MEAN_EXTRA_EVENTS = 7.0
MEAN_EXTRA_EVENTS_NEW = 2.5
"""Event budget: 5 plus an exponential tail, capped at 60, so most cases stay short.

A case's required beats (escalation, triage, resolution, …) can exceed its
budget; fillers only pad shorter stories. Unescalated tier-1 cases are young
and short.
"""

_STAGES = tuple(STAGE_SHARES)
_STAGE_CUM = list(accumulate(STAGE_SHARES.values()))
_OPEN_STAGES = tuple(stage for stage in STAGE_SHARES if stage not in DONE_STAGES)
_OPEN_STAGE_CUM = list(accumulate(STAGE_SHARES[stage] for stage in _OPEN_STAGES))
_PRIORITIES = tuple(Priority)
_PRIORITY_CUM = {tier: list(accumulate(shares)) for tier, shares in PRIORITY_SHARES.items()}


@dataclass(frozen=True, slots=True)
class CasePlan:
    """The choices a case's story is built from."""

    number: int
    area: int
    profile: AreaProfile
    scenario: Scenario
    customer: Customer
    contact: Contact
    final_stage: Stage
    priority: Priority
    budget: int
    agent: Person


class Planner:
    """Draws :class:`CasePlan` objects for an organisation."""

    def __init__(self, rng: Random, organisation: Organisation, *, open_only: bool = False) -> None:
        self._rng = rng
        self._org = organisation
        self._agents = organisation.frontline.workers
        # Every case still open (a live queue's load test): the open stages keep their shares.
        self._stages, self._stage_cum = (
            (_OPEN_STAGES, _OPEN_STAGE_CUM) if open_only else (_STAGES, _STAGE_CUM)
        )

    def plan(self, number: int) -> CasePlan:
        """The plan of case ``number``."""
        rng = self._rng
        area = self._org.pick_area(rng)
        profile = self._org.areas[area]
        customer = self._org.pick_customer(rng)
        cum = _PRIORITY_CUM[customer.tier]
        final_stage = self._stages[bisect(self._stage_cum, rng.random() * self._stage_cum[-1])]
        extra = MEAN_EXTRA_EVENTS_NEW if final_stage is Stage.NEW else MEAN_EXTRA_EVENTS
        return CasePlan(
            number=number,
            area=area,
            profile=profile,
            scenario=profile.scenarios[int(rng.random() * len(profile.scenarios))],
            customer=customer,
            contact=customer.contacts[int(rng.random() * len(customer.contacts))],
            final_stage=final_stage,
            priority=_PRIORITIES[min(bisect(cum, rng.random() * cum[-1]), len(_PRIORITIES) - 1)],
            budget=min(MAX_EVENTS, MIN_EVENTS + int(rng.expovariate(1.0 / extra))),
            agent=self._agents[int(rng.random() * len(self._agents))],
        )
