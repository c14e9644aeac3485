"""The words of a case: its subject and description, and the body of every timeline event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from random import Random

from core.domain.enums import ReasonCode
from core.generator import phrases
from core.generator.beats import Beat, Story, Topic
from core.generator.diagnostics import Diagnostics
from core.generator.mail import MailComposer
from core.generator.organisation import Organisation, Person
from core.generator.plan import CasePlan
from core.generator.slots import Slots

Body = tuple[str, str | None, str | None]
"""(body_text, body_html, meta_json) of a timeline event."""

_REASON_LABELS = {code: code.value.replace("_", " ") for code in ReasonCode}
_FIELD_LABELS = {
    "priority": "Priority",
    "tier": "Tier",
    "team": "Team",
    "assignee": "Assignee",
    "stage": "Stage",
}
_CUSTOMER_MESSAGES: dict[Topic, tuple[str, ...]] = {
    Topic.PROVIDES_INFO: phrases.CUSTOMER_PROVIDES_INFO,
    Topic.CHASES: phrases.CUSTOMER_CHASES,
    Topic.NOT_FIXED: phrases.CUSTOMER_NOT_FIXED,
    Topic.CONFIRMS: phrases.CUSTOMER_CONFIRMS,
    Topic.REOPENS: phrases.CUSTOMER_REOPENS,
}
_AGENT_REPLIES: dict[Topic, tuple[str, ...]] = {
    Topic.ACKNOWLEDGES: phrases.AGENT_ACKNOWLEDGES,
    Topic.REQUESTS_INFO: phrases.AGENT_REQUESTS_INFO,
    Topic.REMINDS: phrases.AGENT_REMINDS,
    Topic.UPDATES: phrases.AGENT_UPDATES,
    Topic.ANNOUNCES_ESCALATION: phrases.AGENT_ANNOUNCES_ESCALATION,
    Topic.CLOSES: phrases.AGENT_CLOSES,
}
_INTERNAL_TEXTS: dict[Topic, tuple[str, ...]] = {
    Topic.TRIAGE: phrases.TRIAGE_NOTES,
    Topic.SUMMARY: phrases.SUMMARY_NOTES,
    Topic.ACCOUNT: phrases.ACCOUNT_NOTES,
    Topic.ENGINEERING_UPDATE: phrases.ENGINEERING_UPDATES,
    Topic.APPROVAL_REQUEST: phrases.APPROVAL_REQUESTS,
    Topic.APPROVAL_DECISION: phrases.APPROVAL_DECISIONS,
    Topic.TIER1_STEP: phrases.TIER1_STEPS,
}


def pick(rng: Random, values: tuple[str, ...]) -> str:
    """One of ``values``, uniformly."""
    return values[int(rng.random() * len(values))]


@dataclass(slots=True)
class CaseText:
    """The texts fixed for a whole case, and its slots for everything else."""

    slots: Slots
    subject: str
    problem: str
    details: list[str]
    root_cause: str
    resolution: str
    justifications: dict[int, str]
    engineering_handoffs: int = 0
    proposals: int = 0

    @property
    def description(self) -> str:
        """The case description: the problem, then the facts the customer listed."""
        return self.problem + "\n\n" + "\n".join(f"- {detail}" for detail in self.details)


class EventBodies:
    """Writes case texts and event bodies for one generation run."""

    def __init__(self, rng: Random, organisation: Organisation) -> None:
        self._rng = rng
        self._mail = MailComposer(rng)
        self._diagnostics = Diagnostics(rng)
        self._team_names: dict[int | None, str] = {team.id: team.name for team in organisation.teams}

    def case_text(self, plan: CasePlan, story: Story, slots: Slots) -> CaseText:
        """Subject, description, cause and resolution of a case, and its escalations' justifications."""
        rng = self._rng
        scenario = plan.scenario
        subject = slots.fill(pick(rng, scenario.subjects))
        slots["subject_lower"] = subject[:1].lower() + subject[1:]
        picked = rng.sample(scenario.details, min(len(scenario.details), 2 + (rng.random() < 0.4)))
        text = CaseText(
            slots=slots,
            subject=subject,
            problem=slots.fill(scenario.problem),
            details=[slots.fill(detail) for detail in picked],
            root_cause=slots.fill(scenario.root_cause),
            resolution=slots.fill(scenario.resolution),
            justifications={
                id(escalation): slots.fill(pick(rng, phrases.JUSTIFICATIONS[escalation.reason]))
                for escalation in story.escalations
            },
        )
        slots["root_cause"] = text.root_cause
        slots["resolution"] = text.resolution
        return text

    def body(self, beat: Beat, plan: CasePlan, text: CaseText, at: datetime) -> Body:
        """The body of ``beat``, which happens at ``at`` (naive UTC)."""
        topic = beat.topic
        rng = self._rng
        slots = text.slots
        if topic is Topic.INITIAL:
            return self._customer_mail(plan, [text.problem], text.details)
        if topic in _CUSTOMER_MESSAGES:
            return self._customer_mail(plan, [slots.fill(pick(rng, _CUSTOMER_MESSAGES[topic]))], [])
        if topic in _AGENT_REPLIES:
            return self._signed(beat, slots.fill(pick(rng, _AGENT_REPLIES[topic]))), None, None
        if topic is Topic.PROPOSES:
            text.proposals += 1
            proposal = phrases.AGENT_PROPOSES
            if text.proposals > 1:
                proposal = pick(rng, phrases.AGENT_PROPOSES_AGAIN)
            return self._signed(beat, slots.fill(proposal)), None, None
        if topic is Topic.ESCALATION:
            escalation = beat.escalation
            assert escalation is not None
            label = _REASON_LABELS[escalation.reason]
            justification = text.justifications[id(escalation)]
            return f"Escalating to tier {escalation.tier} ({label}): {justification}", None, None
        if topic is Topic.ENGINEERING_HANDOFF:
            text.engineering_handoffs += 1
            handoffs = phrases.ENGINEERING_HANDOFFS
            if text.engineering_handoffs > 1:
                handoffs = phrases.ENGINEERING_FOLLOW_UPS
            return slots.fill(pick(rng, handoffs)), None, None
        if topic is Topic.STEP:
            steps = plan.scenario.steps if rng.random() < 0.7 else phrases.GENERIC_STEPS
            return slots.fill(pick(rng, steps)), None, None
        if topic is Topic.NOTE:
            if rng.random() < 0.4:
                return "Hypothesis: " + slots.fill(pick(rng, plan.scenario.hypotheses)), None, None
            return pick(rng, phrases.PLAIN_NOTES), None, None
        if topic is Topic.LOG:
            return self._diagnostics.log_excerpt(plan.profile, plan.scenario, slots, at), None, None
        if topic is Topic.FIELD_CHANGE:
            assert beat.change is not None
            name, old, new = beat.change
            body = f"{_FIELD_LABELS[name]} changed from {old or 'unassigned'} to {new or 'unassigned'}"
            return body, None, json.dumps({"field": name, "from": old, "to": new}, ensure_ascii=False)
        if topic in (Topic.CUSTOMER_FILE, Topic.SPECIALIST_FILE):
            body, meta = self._diagnostics.attachment(slots, from_customer=topic is Topic.CUSTOMER_FILE)
            return body, None, meta
        return slots.fill(pick(rng, _INTERNAL_TEXTS[topic])), None, None

    def _customer_mail(self, plan: CasePlan, paragraphs: list[str], bullets: list[str]) -> Body:
        rng = self._rng
        body_text, body_html = self._mail.compose(
            greeting=pick(rng, phrases.GREETINGS),
            paragraphs=paragraphs,
            bullets=bullets,
            sign_off=pick(rng, phrases.SIGN_OFFS),
            contact=plan.contact,
            customer=plan.customer,
        )
        return body_text, body_html, None

    def _signed(self, beat: Beat, reply: str) -> str:
        """An agent's reply with their sign-off and team."""
        person = beat.actor
        if not isinstance(person, Person):
            return reply
        team = self._team_names.get(person.team_id, "Customer Support")
        return f"{reply}\n\nBest regards,\n{person.first_name}\n{team}"
