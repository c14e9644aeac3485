"""The life of one case as an ordered list of beats: who said or did what, and which stage it moved to.

A story follows the escalation workflow of PRODUCT.md: intake at tier 1,
escalation request, triage, investigation with rounds of waiting on the
customer, engineering or an approval, sometimes a re-escalation to tier 3,
a proposed resolution (sometimes returned), resolution, closure, and now and
then a reopen. It stops at the case's planned final stage. The skeleton of
required beats is then padded with filler beats (troubleshooting, logs,
updates, chasers) up to the case's event budget, placed in the stage where
they make sense.
"""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from random import Random

from core.domain.enums import CustomerTier, Priority, ReasonCode, Stage
from core.generator.beats import Actor, Beat, EscalationPlan, Story, Topic
from core.generator.catalog import RootCauseKind
from core.generator.fillers import draw_filler, filler_share
from core.generator.organisation import Organisation, Person, Team
from core.generator.plan import MAX_EVENTS, CasePlan

_AWAITING = (Stage.AWAITING_CUSTOMER, Stage.AWAITING_ENGINEERING, Stage.AWAITING_APPROVAL)

# How often the turns of the workflow happen (probabilities per case or per occasion).
DIRECT_TIER_3 = 0.10
"""Escalated straight from tier 1 to tier 3 (known defect, business impact)."""
RE_ESCALATION = 0.12
"""A tier-2 escalation re-escalated to tier 3."""
MISROUTE = 0.07
"""An escalation first routed to the wrong team, then re-routed at triage."""
OVERRIDE = 0.08
"""An escalation sent despite missing diagnostic context, with an override reason."""
ANNOUNCEMENT = 0.9
"""The customer is told about the escalation in a reply (the new SLA cycle's first reply)."""
KEPT_INFORMED = 0.85
"""An open case's latest word is a reply to the customer (an update, or a reminder while waiting on
them): most cases meet their periodic-update and next-reply targets, a realistic few do not."""
INITIAL_ATTACHMENT = 0.3
"""The first message comes with an attachment."""
RETURNED = 0.12
"""A proposed resolution that does not work, returning the case to investigation."""
REOPENED = 0.07
"""A resolved case reopened by the customer."""
REOPENED_BEFORE = 0.05
"""An open case that was resolved and reopened earlier in its life."""
ENGINEERING_ROUND = (0.35, 0.15)
"""A waiting round spent on engineering, for product-defect problems and for others."""
APPROVAL_ROUND = (0.5, 0.04)
"""A waiting round spent on an approval, for policy-exception escalations and for others."""
EVENTS_PER_ROUND = 9
"""Waiting rounds grow with the case's event budget: up to one per this many events."""
_REASONS = tuple(ReasonCode)
_PRIORITIES = tuple(Priority)


@dataclass(slots=True)
class _Segment:
    """A stretch of the story spent in one stage: opening beats, fillers, then closing beats."""

    stage: Stage
    worker: Person | None
    beats: list[Beat] = field(default_factory=list)
    fillers: list[Beat] = field(default_factory=list)
    tail: list[Beat] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.beats) + len(self.fillers) + len(self.tail)


class StoryTeller:
    """Builds the :class:`Story` of a :class:`CasePlan` (one teller per generation run)."""

    def __init__(self, rng: Random, organisation: Organisation) -> None:
        self._rng = rng
        self._org = organisation

    def tell(self, plan: CasePlan) -> Story:
        """The story of ``plan``, ending in ``plan.final_stage``."""
        return _Telling(self._rng, self._org, plan).run()


class _Telling:
    """The state of one story while it is being told."""

    def __init__(self, rng: Random, organisation: Organisation, plan: CasePlan) -> None:
        self.rng = rng
        self.org = organisation
        self.plan = plan
        self.segments: list[_Segment] = []
        self.escalations: list[EscalationPlan] = []
        self.stage: Stage | None = None
        self.tier = 1
        self.team: Team = organisation.frontline
        self.assignee: Person | None = plan.agent
        self.reopen_count = 0
        self.linked_defect = False
        self.resolved: Beat | None = None
        self.investigation_start: Beat | None = None
        self.defect_scenario = plan.scenario.cause_kind is RootCauseKind.PRODUCT_DEFECT

    # -- the path -------------------------------------------------------------------------------

    def run(self) -> Story:
        """Walk the workflow up to the plan's final stage."""
        final = self.plan.final_stage
        self._intake()
        if final is Stage.NEW:
            return self._finish()
        re_escalate = self.rng.random() < RE_ESCALATION
        first_tier = 3 if self.rng.random() < DIRECT_TIER_3 else 2
        self._escalate(first_tier, misroute_allowed=final is not Stage.REQUESTED)
        if self._route_and_investigate(final, last_episode=not re_escalate or self.tier == 3):
            return self._finish()
        if self.tier == 2 and re_escalate:
            self._escalate(3, misroute_allowed=False)
            if self._route_and_investigate(final, last_episode=True):
                return self._finish()
        if final in (Stage.INVESTIGATING, *_AWAITING) and self.rng.random() < REOPENED_BEFORE:
            self._propose()
            self._resolve()
            self._reopen()
        if final in _AWAITING:
            self._wait(final)
            return self._finish()
        if final is Stage.INVESTIGATING:
            return self._finish()
        self._propose()
        if self.rng.random() < RETURNED:
            self._returned()
            self._rounds(max_rounds=1)
            self._propose()
        if final is Stage.RESOLUTION_PROPOSED:
            return self._finish()
        self._resolve()
        if self.rng.random() < REOPENED:
            self._reopen()
            self._rounds(max_rounds=1)
            self._propose()
            self._resolve()
        if final is Stage.CLOSED:
            self._close()
        return self._finish()

    def _route_and_investigate(self, final: Stage, *, last_episode: bool) -> bool:
        """Triage and investigate the current escalation; true when the story ends on the way."""
        if final is Stage.REQUESTED and last_episode:
            return True
        self._triage()
        if final is Stage.TRIAGED and last_episode:
            return True
        self._start()
        self._rounds(max_rounds=3)
        return False

    def _rounds(self, *, max_rounds: int) -> None:
        rng = self.rng
        count = min(max_rounds, int(rng.random() * self.plan.budget / EVENTS_PER_ROUND))
        engineering = ENGINEERING_ROUND[0 if self.defect_scenario else 1]
        approval = APPROVAL_ROUND[0 if self.escalations[-1].reason is ReasonCode.POLICY_EXCEPTION else 1]
        for _ in range(count):
            roll = rng.random()
            if roll < engineering:
                waiting = Stage.AWAITING_ENGINEERING
            elif roll > 1.0 - approval:
                waiting = Stage.AWAITING_APPROVAL
            else:
                waiting = Stage.AWAITING_CUSTOMER
            self._wait(waiting)
            self._resume(waiting)

    # -- the steps ------------------------------------------------------------------------------

    def _intake(self) -> None:
        contact = self.plan.contact
        self._enter(Stage.NEW, self.plan.agent)
        self._say(Topic.INITIAL, contact, 0.0, to=Stage.NEW, reason="created")
        if self.rng.random() < INITIAL_ATTACHMENT:
            self._say(Topic.CUSTOMER_FILE, contact, 0.02)
        self._say(Topic.ACKNOWLEDGES, self.plan.agent, 0.5)

    def _escalate(self, tier: int, *, misroute_allowed: bool) -> None:
        rng = self.rng
        requester = self.assignee or self.plan.agent
        reason = self._reason(tier)
        team = self.org.team_for(self.plan.area, tier)
        routed_to = team
        if misroute_allowed and tier == 2 and rng.random() < MISROUTE:
            others = len(self.org.tier2) - 1
            routed_to = self.org.tier2[
                (self.plan.area + 1 + int(rng.random() * others)) % len(self.org.tier2)
            ]
        if self.escalations:
            assert self.stage is not None
            self.escalations[-1].stage = self.stage
        beat = self._say(
            Topic.ESCALATION,
            requester,
            1.0,
            to=Stage.REQUESTED,
            reason="escalated" if self.tier == 1 else "re_escalated",
        )
        if self.escalations:
            self.escalations[-1].closed = beat
        escalation = EscalationPlan(tier, reason, team, requester, rng.random() < OVERRIDE, beat)
        self.escalations.append(escalation)
        beat.escalation = escalation
        self._say(Topic.FIELD_CHANGE, requester, 0.05, change=("tier", str(self.tier), str(tier)))
        self._say(Topic.FIELD_CHANGE, requester, 0.02, change=("team", self.team.name, routed_to.name))
        self.tier, self.team, self.assignee = tier, routed_to, None
        if rng.random() < ANNOUNCEMENT:
            self._say(Topic.ANNOUNCES_ESCALATION, requester, 0.2).escalation = escalation
        self.segments[-1].worker = requester

    def _triage(self) -> None:
        target = self.escalations[-1].team
        lead = self.org.leads[self.plan.area]
        if self.team is not target:
            rerouting_lead = self.org.leads[self.team.area or 0]
            change = ("team", self.team.name, target.name)
            self._say(Topic.FIELD_CHANGE, rerouting_lead, 0.8, change=change, tail=True)
            self.team = target
        self._say(Topic.TRIAGE, lead, 0.8, to=Stage.TRIAGED, reason="triaged")
        assignee = target.pick_worker(self.rng)
        self._say(Topic.FIELD_CHANGE, lead, 0.05, change=("assignee", "", assignee.name))
        self.assignee = assignee
        self.segments[-1].worker = lead

    def _start(self) -> None:
        topic = Topic.SUMMARY if self.rng.random() < 0.5 else Topic.STEP
        beat = self._say(topic, self.assignee, 0.8, to=Stage.INVESTIGATING, reason="started")
        if self.investigation_start is None:
            self.investigation_start = beat

    def _wait(self, stage: Stage) -> None:
        if stage is Stage.AWAITING_CUSTOMER:
            self._say(Topic.REQUESTS_INFO, self.assignee, 1.0, to=stage, reason="awaiting_customer")
        elif stage is Stage.AWAITING_ENGINEERING:
            self.linked_defect = True
            self._say(Topic.ENGINEERING_HANDOFF, self.assignee, 1.0, to=stage, reason="awaiting_engineering")
        else:
            self._say(Topic.APPROVAL_REQUEST, self.assignee, 1.0, to=stage, reason="awaiting_approval")

    def _resume(self, stage: Stage) -> None:
        if stage is Stage.AWAITING_CUSTOMER:
            self._say(
                Topic.PROVIDES_INFO, self.plan.contact, 4.0, to=Stage.INVESTIGATING, reason="customer_replied"
            )
            if self.rng.random() < 0.5:
                self._say(Topic.CUSTOMER_FILE, self.plan.contact, 0.02)
        elif stage is Stage.AWAITING_ENGINEERING:
            engineer = self.org.tier3[self.plan.area].pick_worker(self.rng)
            self._say(
                Topic.ENGINEERING_UPDATE, engineer, 8.0, to=Stage.INVESTIGATING, reason="engineering_replied"
            )
        else:
            lead = self.org.leads[self.plan.area]
            self._say(Topic.APPROVAL_DECISION, lead, 3.0, to=Stage.INVESTIGATING, reason="approved")

    def _propose(self) -> None:
        self._say(Topic.PROPOSES, self.assignee, 1.5, to=Stage.RESOLUTION_PROPOSED, reason="proposed")

    def _returned(self) -> None:
        self._say(Topic.NOT_FIXED, self.plan.contact, 3.0, to=Stage.INVESTIGATING, reason="returned")

    def _resolve(self) -> None:
        self._say(Topic.CONFIRMS, self.plan.contact, 3.0, tail=True)
        self.resolved = self._say(Topic.CLOSES, self.assignee, 0.3, to=Stage.RESOLVED, reason="resolved")

    def _reopen(self) -> None:
        self.reopen_count += 1
        self._say(Topic.REOPENS, self.plan.contact, 6.0, to=Stage.INVESTIGATING, reason="reopened")

    def _close(self) -> None:
        change = ("stage", Stage.RESOLVED.value, Stage.CLOSED.value)
        self._say(Topic.FIELD_CHANGE, None, 5.0, to=Stage.CLOSED, reason="closed", change=change)

    def _reason(self, tier: int) -> ReasonCode:
        rng = self.rng
        if tier == 3 and self.tier == 1:
            return ReasonCode.KNOWN_DEFECT if self.defect_scenario else ReasonCode.BUSINESS_IMPACT
        if tier == 3:
            return (ReasonCode.TECHNICAL_EXPERTISE, ReasonCode.KNOWN_DEFECT, ReasonCode.RESOLUTION_TIME)[
                int(rng.random() * 3)
            ]
        weights = (
            18.0,  # resolution time
            38.0,  # technical expertise
            14.0 * (2 if self.plan.customer.tier in (CustomerTier.ENTERPRISE, CustomerTier.STRATEGIC) else 1),
            10.0,  # customer request
            12.0 * (2 if self.defect_scenario else 1),
            8.0 if self.plan.profile.key == "billing" else 2.0,
        )
        cum = list(accumulate(weights))
        return _REASONS[bisect(cum, rng.random() * cum[-1])]

    # -- beats and segments ---------------------------------------------------------------------

    def _enter(self, stage: Stage, worker: Person | None) -> None:
        self.segments.append(_Segment(stage, worker))

    def _say(
        self,
        topic: Topic,
        actor: Actor,
        wait: float,
        *,
        to: Stage | None = None,
        reason: str = "",
        change: tuple[str, str, str] | None = None,
        tail: bool = False,
    ) -> Beat:
        """Add a beat to the current stage (or its end, for ``tail``); ``to`` moves the case on."""
        beat = Beat(topic, actor, wait, change=change)
        if to is not None:
            beat.from_stage, beat.to_stage, beat.reason = self.stage, to, reason
            beat.escalation = self.escalations[-1] if self.escalations else None
            self.stage = to
            if to is not Stage.NEW:
                self._enter(to, self.assignee)
        segment = self.segments[-1]
        (segment.tail if tail else segment.beats).append(beat)
        return beat

    def _pad(self) -> None:
        """Add filler beats up to the event budget, in the stages that can hold them."""
        rng = self.rng
        skeleton = sum(len(segment) for segment in self.segments)
        open_segments = [s for s in self.segments if filler_share(s.stage) > 0]
        if not open_segments:
            return
        cum = list(accumulate(filler_share(s.stage) for s in open_segments))
        for _ in range(min(self.plan.budget, MAX_EVENTS) - skeleton):
            segment = open_segments[bisect(cum, rng.random() * cum[-1])]
            topic, who, wait = draw_filler(rng, segment.stage)
            segment.fillers.append(Beat(topic, self._filler_actor(who, segment), wait))

    def _filler_actor(self, who: str, segment: _Segment) -> Actor:
        if who == "contact":
            return self.plan.contact
        if who == "lead":
            return self.org.leads[self.plan.area]
        if who == "engineer":
            return self.org.tier3[self.plan.area].pick_worker(self.rng)
        if who == "system":
            return None
        return segment.worker or self.plan.agent

    def _finish(self) -> Story:
        self._pad()
        assert self.stage is not None
        if self.stage.is_open and self.stage is not Stage.NEW and self.rng.random() < KEPT_INFORMED:
            topic = Topic.REMINDS if self.stage is Stage.AWAITING_CUSTOMER else Topic.UPDATES
            self.segments[-1].tail.append(Beat(topic, self.assignee or self.plan.agent, 0.3))
        beats = [beat for s in self.segments for part in (s.beats, s.fillers, s.tail) for beat in part]
        priority = self._settle_priority(beats)
        if self.escalations:
            last = self.escalations[-1]
            assert self.stage is not None
            last.stage = self.stage
            if self.resolved is not None and not self.stage.is_open:
                last.closed = self.resolved
        assert self.stage is not None
        return Story(
            beats=beats,
            escalations=self.escalations,
            stage=self.stage,
            tier=self.tier,
            team=self.team,
            assignee=self.assignee,
            priority=priority,
            reopen_count=self.reopen_count,
            linked_defect=self.linked_defect,
            resolved=self.resolved if not self.stage.is_open else None,
            investigation_start=self.investigation_start,
        )

    def _settle_priority(self, beats: list[Beat]) -> Priority:
        """Give filler priority changes their values, in timeline order; the last value is the case's."""
        priority = self.plan.priority
        for beat in beats:
            if beat.topic is Topic.FIELD_CHANGE and beat.change is None:
                rank = _PRIORITIES.index(priority)
                new = _PRIORITIES[rank + 1] if rank < len(_PRIORITIES) - 1 else Priority.HIGH
                beat.change = ("priority", priority.value, new.value)
                priority = new
        return priority
