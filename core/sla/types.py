"""What the SLA engine reads and answers: frozen values, no database, no Qt.

CONTRACT shared by the SLA helpers: add fields with defaults, never rename or remove.

The engine (:func:`core.sla.engine.compute_clocks`) turns a :class:`CaseTimeline`
(the case's facts and its timestamped events) and the policy of each cycle into
:class:`CaseClocks`: one :class:`Clock` per metric of the current cycle, each with its
deadline to the second, its pause ledger and its explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple

from core.config.sla_model import CalendarSettings, SlaPolicy


class Metric(StrEnum):
    """What an SLA clock measures."""

    FIRST_REPLY = "first_reply"
    NEXT_REPLY = "next_reply"
    PERIODIC_UPDATE = "periodic_update"
    RESOLUTION = "resolution"
    TIME_IN_STAGE = "time_in_stage"


class ClockState(StrEnum):
    """Where a clock stands at ``now``."""

    RUNNING = "running"  # counting towards its deadline
    PAUSED = "paused"  # stopped for now (a pausing stage); resumes
    MET = "met"  # stopped before its deadline
    MISSED = "missed"  # stopped after its deadline
    BREACHED = "breached"  # running and past its deadline


class Risk(StrEnum):
    """How a clock (or a case: its worst clock) looks to a specialist."""

    NONE = "none"  # no running clock
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"


class TimelineKind(StrEnum):
    """The facts of a case's event log the clocks read."""

    CREATED = "created"
    CUSTOMER_MESSAGE = "customer_message"
    PUBLIC_REPLY = "public_reply"  # an agent's reply the customer sees
    STAGE_CHANGE = "stage_change"  # ``stage`` is the new stage
    ESCALATED = "escalated"  # a new escalation cycle starts (escalation or re-escalation)


@dataclass(frozen=True)
class TimelineFact:
    """One timestamped fact; ``by_agent`` tells an agent-written first message from a customer's."""

    at: datetime
    kind: TimelineKind
    stage: str = ""
    by_agent: bool = False


class FactLog(NamedTuple):
    """A case's event log as the engine reads it: UTC epoch seconds, each list oldest first.

    Compact on purpose (a bulk refresh reads it for every open case): no datetimes, one
    sorted list per kind. ``agent_opened``: an agent opened the case with a public comment
    (Zendesk's rule: that comment is no first reply).
    """

    created: int
    agent_opened: bool
    stage_changes: Sequence[tuple[int, str]]  # (moment, new stage); same-instant changes in order
    replies: Sequence[int]  # public replies
    messages: Sequence[int]  # customer messages
    escalations: Sequence[int] = ()  # each escalation's request (a new cycle starts)


def fact_log(facts: Iterable[TimelineFact]) -> FactLog:
    """The :class:`FactLog` of readable facts, in any order (no creation fact: the first fact's moment)."""
    ordered = sorted(facts, key=lambda fact: fact.at)
    created = next((fact for fact in ordered if fact.kind is TimelineKind.CREATED), ordered[0])
    created_at = _epoch(created.at)
    first_reply = next((fact for fact in ordered if fact.kind is TimelineKind.PUBLIC_REPLY), None)
    first = ordered[0]
    agent_opened = first.kind is TimelineKind.PUBLIC_REPLY or (
        created.kind is TimelineKind.CREATED
        and created.by_agent
        and first_reply is not None
        and first_reply.at == created.at
    )

    def of_kind(kind: TimelineKind) -> list[int]:
        return [_epoch(fact.at) for fact in ordered if fact.kind is kind]

    return FactLog(
        created=created_at,
        agent_opened=agent_opened,
        stage_changes=[(_epoch(f.at), f.stage) for f in ordered if f.kind is TimelineKind.STAGE_CHANGE],
        replies=of_kind(TimelineKind.PUBLIC_REPLY),
        messages=of_kind(TimelineKind.CUSTOMER_MESSAGE),
        escalations=of_kind(TimelineKind.ESCALATED),
    )


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp() // 1)


class CaseTimeline(NamedTuple):
    """A case as the engine sees it: its routing facts (policy conditions) and its event log.

    A named tuple rather than a dataclass: a bulk refresh makes one per open case.
    """

    case_id: int
    number: int
    priority: str
    customer_tier: str
    product_area: str
    source: str
    tier: int
    stage: str
    log: FactLog

    @property
    def created_at(self) -> datetime:
        """When the case was opened (UTC, whole seconds)."""
        return datetime.fromtimestamp(self.log.created, UTC)

    @property
    def facts(self) -> tuple[TimelineFact, ...]:
        """The event log as readable facts, oldest first.

        Facts at one instant come as creation, new cycle, stage change, customer message, reply.
        """
        log = self.log

        def utc(epoch: int) -> datetime:
            return datetime.fromtimestamp(epoch, UTC)

        found = [
            TimelineFact(utc(log.created), TimelineKind.CREATED, by_agent=log.agent_opened),
            *(TimelineFact(utc(at), TimelineKind.ESCALATED) for at in log.escalations),
            *(TimelineFact(utc(at), TimelineKind.STAGE_CHANGE, stage) for at, stage in log.stage_changes),
            *(TimelineFact(utc(at), TimelineKind.CUSTOMER_MESSAGE) for at in log.messages),
            *(TimelineFact(utc(at), TimelineKind.PUBLIC_REPLY) for at in log.replies),
        ]
        found.sort(key=lambda fact: fact.at)
        return tuple(found)


class CycleSnapshot(NamedTuple):
    """The policy (and its calendar) a cycle started with; ``version`` names that policy text.

    ``start`` is the cycle's start in UTC epoch seconds (a bulk refresh makes one per open case:
    a named tuple, no datetime).
    """

    start: int
    policy: SlaPolicy
    calendar: CalendarSettings
    version: str

    @property
    def started_at(self) -> datetime:
        """When the cycle started (UTC)."""
        return datetime.fromtimestamp(self.start, UTC)


@dataclass(frozen=True)
class Segment:
    """A stretch of time the clock counted (inside business hours, outside pauses)."""

    start: datetime
    end: datetime
    projected: bool = False  # not counted yet: still to come before the deadline

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


@dataclass(frozen=True)
class Pause:
    """A stretch the clock stood still, why, and whether the customer wrote meanwhile (worth a look)."""

    metric: Metric
    start: datetime
    end: datetime | None  # None: still paused
    reason: str  # "awaiting_customer", "resolved"
    customer_wrote: bool


@dataclass(frozen=True)
class Reset:
    """A restart of a clock (not a pause): the periodic update after each public reply, a new cycle."""

    metric: Metric
    at: datetime
    reason: str


@dataclass(frozen=True)
class Clock:
    """One metric of the current cycle: its target, deadline, state and the why of it."""

    metric: Metric
    label: str  # "First reply", "Time in Investigating"
    state: ClockState
    risk: Risk
    target_seconds: int
    business_hours: bool
    started_at: datetime | None
    due_at: datetime | None  # None while paused (the remaining time is frozen)
    warning_at: datetime | None
    stopped_at: datetime | None
    elapsed_seconds: int  # counted time so far (business seconds for business-hours targets)
    remaining_seconds: int  # negative past the deadline
    breach_level: int  # 0: not breached; 1..n: the ladder step reached
    breach_actions: tuple[str, ...]
    segments: tuple[Segment, ...]  # what was counted (the explanation)
    pauses: tuple[Pause, ...]
    resets: tuple[Reset, ...]


@dataclass(frozen=True)
class CaseClocks:
    """Every clock of a case's current cycle, with the policy it follows and the whole pause ledger."""

    case_id: int
    number: int
    policy_key: str
    policy_name: str
    policy_version: str
    calendar_key: str
    cycle_started_at: datetime | None
    clocks: tuple[Clock, ...]
    pause_ledger: tuple[Pause, ...]
    computed_at: datetime
    explanation: tuple[str, ...] = field(default_factory=tuple)

    @property
    def next_due(self) -> Clock | None:
        """The running clock due soonest (what the inbox sorts by), if any."""
        running = [
            c
            for c in self.clocks
            if c.due_at is not None and c.state in (ClockState.RUNNING, ClockState.BREACHED)
        ]
        return min(running, key=lambda c: c.due_at or self.computed_at, default=None)

    @property
    def risk(self) -> Risk:
        """The worst risk of the running clocks."""
        order = (Risk.NONE, Risk.OK, Risk.WARNING, Risk.BREACHED)
        return max((c.risk for c in self.clocks), key=order.index, default=Risk.NONE)


def deadline_risk(due_at: datetime | None, warning_at: datetime | None, now: datetime) -> Risk:
    """How a running deadline looks at ``now``: none without one, else ok, warning or breached."""
    if due_at is None:
        return Risk.NONE
    if due_at <= now:
        return Risk.BREACHED
    if warning_at is not None and warning_at <= now:
        return Risk.WARNING
    return Risk.OK
