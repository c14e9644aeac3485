"""Turning a case's plan and story into table rows (tuples in the column order of :mod:`.writer`).

Ids are sequential per table across the whole run, so rows link to each other
without asking the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from core.domain.enums import DEFAULT_VISIBILITY, NoteKind
from core.generator import phrases
from core.generator.beats import TOPIC_KIND, Story
from core.generator.bodies import CaseText, EventBodies, pick
from core.generator.catalog import RootCauseKind
from core.generator.customers import Contact
from core.generator.defects import DefectRegistry
from core.generator.organisation import Organisation, Person
from core.generator.plan import CasePlan
from core.generator.slots import Slots
from core.generator.timing import HOUR, Clock
from core.generator.traits import RoutingTraits

INVESTIGATION_NOTE_SHARE = 0.55
"""Share of investigated cases whose specialist kept investigation notes."""

DEFECT_SHARE = 0.75
"""Share of resolved product-defect cases linked to an engineering defect."""

Row = tuple[object, ...]


@dataclass
class CaseRows:
    """The rows of a batch of cases, ready for ``executemany``."""

    cases: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    escalations: list[Row] = field(default_factory=list)
    transitions: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)


@dataclass
class RenderTotals:
    """Running totals (the last id of each table) and open cases per assignee (for choosing "me")."""

    events: int = 0
    escalations: int = 0
    transitions: int = 0
    notes: int = 0
    open_by_assignee: dict[int, int] = field(default_factory=dict)


class CaseRenderer:
    """Renders cases into rows; one renderer per generation run."""

    def __init__(
        self,
        rng: Random,
        organisation: Organisation,
        clock: Clock,
        traits: RoutingTraits,
        *,
        total_cases: int,
    ) -> None:
        self._rng = rng
        self._clock = clock
        self._traits = traits
        self._bodies = EventBodies(rng, organisation)
        self._defects = DefectRegistry(rng, total_cases=total_cases)
        self.totals = RenderTotals()

    def render(self, case_id: int, plan: CasePlan, story: Story, rows: CaseRows) -> None:
        """Append the rows of case ``case_id`` to ``rows``."""
        done = not story.stage.is_open
        defect_key = self._defect_key(plan, story, done=done)
        customer = plan.customer
        slots = Slots(
            self._rng,
            day=self._clock.naive(story.beats[0].at).date(),
            error_prefix=plan.profile.error_prefix,
            fixed={
                "customer": customer.name,
                "customer_tier": customer.tier.value,
                "renewal": customer.renewal.isoformat(),
                "contact": plan.contact.first_name,
                "tenant": customer.tenant,
                "tenant_url": f"https://{customer.tenant}.app.example",
                "team": story.team.name,
                "defect": defect_key or "ENG-pending",
            },
        )
        text = self._bodies.case_text(plan, story, slots)
        self._events(case_id, plan, story, text, rows)
        escalation_ids = self._escalations(case_id, story, text, rows)
        self._transitions(case_id, story, escalation_ids, rows)
        self._investigation_notes(case_id, plan, story, text, rows)
        assignee = story.assignee
        if assignee is not None and story.stage.is_open:
            self.totals.open_by_assignee[assignee.id] = self.totals.open_by_assignee.get(assignee.id, 0) + 1
        clock = self._clock
        resolved_at = clock.text(story.resolved.at) if story.resolved is not None else None
        rows.cases.append(
            (
                case_id, plan.number, text.subject, text.description, story.priority.value,
                story.stage.value, story.tier, customer.id, plan.contact.id, plan.area + 1, story.team.id,
                assignee.id if assignee is not None else None,
                clock.text(story.beats[0].at), clock.text(story.beats[-1].at), resolved_at,
                story.reopen_count,
                text.resolution if done else None, text.root_cause if done else None, defect_key,
                self._traits.language(customer), self._traits.issue_type(plan.scenario),
            )
        )  # fmt: skip

    def _defect_key(self, plan: CasePlan, story: Story, *, done: bool) -> str | None:
        """The engineering defect a case is linked to, if any."""
        defect_cause = plan.scenario.cause_kind is RootCauseKind.PRODUCT_DEFECT
        if story.linked_defect or (done and defect_cause and self._rng.random() < DEFECT_SHARE):
            return self._defects.key_for(plan.scenario)
        return None

    def _events(self, case_id: int, plan: CasePlan, story: Story, text: CaseText, rows: CaseRows) -> None:
        event_id = self.totals.events
        slots = text.slots
        clock = self._clock
        for beat in story.beats:
            if beat.escalation is not None:
                slots["team"] = beat.escalation.team.name
            kind = TOPIC_KIND[beat.topic]
            body_text, body_html, meta = self._bodies.body(beat, plan, text, clock.naive(beat.at))
            actor = beat.actor
            if isinstance(actor, Person):
                author, person_id, contact_id = actor.name, actor.id, None
            elif isinstance(actor, Contact):
                author, person_id, contact_id = actor.name, None, actor.id
            else:
                author, person_id, contact_id = "System", None, None
            event_id += 1
            rows.events.append(
                (
                    event_id, case_id, kind.value, DEFAULT_VISIBILITY[kind].value, clock.text(beat.at),
                    author, person_id, contact_id, body_text, body_html, meta,
                )
            )  # fmt: skip
        self.totals.events = event_id

    def _escalations(self, case_id: int, story: Story, text: CaseText, rows: CaseRows) -> dict[int, int]:
        """Write the escalation episodes; returns their ids keyed by ``id()`` of the plan objects."""
        ids: dict[int, int] = {}
        clock = self._clock
        for escalation in story.escalations:
            self.totals.escalations += 1
            ids[id(escalation)] = self.totals.escalations
            override = pick(self._rng, phrases.OVERRIDE_REASONS) if escalation.override else None
            closed_at = clock.text(escalation.closed.at) if escalation.closed is not None else None
            rows.escalations.append(
                (
                    self.totals.escalations, case_id, escalation.tier, escalation.reason.value,
                    text.justifications[id(escalation)], override, escalation.stage.value, escalation.team.id,
                    escalation.requested_by.id, clock.text(escalation.opened.at), closed_at,
                )
            )  # fmt: skip
        return ids

    def _transitions(
        self, case_id: int, story: Story, escalation_ids: dict[int, int], rows: CaseRows
    ) -> None:
        for beat in story.beats:
            if beat.to_stage is None:
                continue
            self.totals.transitions += 1
            rows.transitions.append(
                (
                    self.totals.transitions, case_id,
                    escalation_ids[id(beat.escalation)] if beat.escalation is not None else None,
                    beat.from_stage.value if beat.from_stage is not None else None, beat.to_stage.value,
                    beat.actor.id if isinstance(beat.actor, Person) else None, self._clock.text(beat.at),
                    phrases.TRANSITION_REASONS[beat.reason],
                )
            )  # fmt: skip

    def _investigation_notes(
        self, case_id: int, plan: CasePlan, story: Story, text: CaseText, rows: CaseRows
    ) -> None:
        """Hypothesis → test → result notes of the specialist, kept during the investigation."""
        rng = self._rng
        start = story.investigation_start
        if start is None or rng.random() >= INVESTIGATION_NOTE_SHARE:
            return
        author = story.assignee or story.escalations[-1].requested_by
        slots = text.slots
        result = (
            "Confirmed. " + text.root_cause
            if not story.stage.is_open
            else "Inconclusive so far; the symptoms fit, but we need another reproduction."
        )
        notes = (
            (NoteKind.HYPOTHESIS, slots.fill(pick(rng, plan.scenario.hypotheses))),
            (NoteKind.TEST, slots.fill(pick(rng, plan.scenario.steps))),
            (NoteKind.RESULT, result),
            (NoteKind.NOTE, pick(rng, phrases.PLAIN_NOTES)),
        )
        end = story.beats[-1].at
        moment = start.at
        for kind, body in notes[: rng.randint(1, len(notes))]:
            moment = min(end, moment + rng.randint(300, 4 * HOUR))
            updated = min(end, moment + rng.randint(0, 1800))
            self.totals.notes += 1
            rows.notes.append(
                (
                    self.totals.notes, case_id, author.id, kind.value, body,
                    self._clock.text(moment), self._clock.text(updated),
                )
            )  # fmt: skip
