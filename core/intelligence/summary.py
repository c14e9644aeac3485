"""The case summary a specialist reads first: extractive, deterministic, every line traceable.

Nothing is generated: each line is a sentence or fact taken from the case, and
carries the id of the timeline event it came from (None for facts of the case
itself: subject, description, account, escalation episodes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.domain.dtos import CaseHeader, Escalation, TimelineEvent
from core.domain.enums import EventKind, NoteKind
from core.intelligence.case_context import CaseContext, load_case_context
from core.intelligence.environment_facts import EnvironmentFact, extract_facts
from core.intelligence.text_scan import clip, message_body, sentences

PROBLEM_WIDTH = 300
MAX_TRIED = 12
MAX_QUESTIONS = 8
_ATTEMPT = re.compile(
    r"\b(?:tried|cleared|restarted|rebooted|reinstalled|re-?ran|re-?tested|rolled back|disabled|re-?enabled"
    r"|checked|verified|reproduced|replayed|compared|upgraded|downgraded|regenerated|reconfigured"
    r"|recreated|removed|applied|switched|decoded|uploaded)\b",
    re.IGNORECASE,
)
_STRUCTURED_NOTES: dict[str, str] = {
    NoteKind.TROUBLESHOOTING_STEP.value: "Step",
    NoteKind.TEST.value: "Test",
    NoteKind.RESULT.value: "Result",
    NoteKind.FINDING.value: "Finding",
}
_SOURCE_LABELS: dict[EventKind, str] = {
    EventKind.CUSTOMER_MESSAGE: "Customer",
    EventKind.AGENT_REPLY: "Reply",
    EventKind.INTERNAL_NOTE: "Note",
}


@dataclass(frozen=True)
class SummaryLine:
    """One line of the summary: a short ``label``, the ``text``, and the event it came from."""

    label: str
    text: str
    event_id: int | None


@dataclass(frozen=True)
class CaseSummary:
    """Everything the summary panel shows about a case, section by section."""

    case_id: int
    problem: tuple[SummaryLine, ...]
    environment: tuple[EnvironmentFact, ...]
    tried: tuple[SummaryLine, ...]
    last_customer_message: SummaryLine | None
    last_customer_message_at: datetime | None
    last_customer_message_age: timedelta | None
    open_questions: tuple[SummaryLine, ...]
    escalation_history: tuple[SummaryLine, ...]
    account: tuple[SummaryLine, ...]


def _opening(text: str, count: int = 2) -> str:
    """The first ``count`` sentences of a message, greeting left out, clipped."""
    return clip(" ".join(sentences(message_body(text))[:count]), PROBLEM_WIDTH)


def _problem(context: CaseContext) -> list[SummaryLine]:
    header = context.header
    lines = [SummaryLine("Subject", header.subject, None)]
    description = _opening(header.description)
    if description:
        lines.append(SummaryLine("Description", description, None))
    first = next(iter(context.events_of(EventKind.CUSTOMER_MESSAGE)), None)
    if first is not None:
        opening = _opening(first.body_text)
        if opening and opening.rstrip("…") not in description:
            lines.append(SummaryLine("First message", opening, first.id))
    return lines


def _tried(timeline: tuple[TimelineEvent, ...]) -> list[SummaryLine]:
    lines: list[SummaryLine] = []
    seen: set[str] = set()

    def add(label: str, text: str, event_id: int) -> None:
        key = text.lower()
        if text and key not in seen:
            seen.add(key)
            lines.append(SummaryLine(label, text, event_id))

    for event in timeline:
        note_kind = event.meta.get("note_kind", "")
        if event.kind is EventKind.TROUBLESHOOTING_STEP:
            add("Step", clip(event.body_text), event.id)
        elif event.kind is EventKind.INTERNAL_NOTE and note_kind in _STRUCTURED_NOTES:
            add(_STRUCTURED_NOTES[note_kind], clip(event.body_text), event.id)
        elif event.kind in _SOURCE_LABELS:
            for sentence in sentences(message_body(event.body_text)):
                if _ATTEMPT.search(sentence) and not sentence.endswith("?"):
                    add(_SOURCE_LABELS[event.kind], clip(sentence), event.id)
    return lines[-MAX_TRIED:]


def _open_questions(timeline: tuple[TimelineEvent, ...]) -> list[SummaryLine]:
    """Questions in customer messages and public replies that the other side has not written after."""
    sides = {EventKind.CUSTOMER_MESSAGE: "customer", EventKind.AGENT_REPLY: "support"}
    conversation = [event for event in timeline if event.kind in sides]
    questions: list[SummaryLine] = []
    for index, event in enumerate(conversation):
        side = sides[event.kind]
        if any(sides[later.kind] != side for later in conversation[index + 1 :]):
            continue
        asker = event.author_name or side.capitalize()
        questions.extend(
            SummaryLine(asker, clip(sentence), event.id)
            for sentence in sentences(message_body(event.body_text))
            if sentence.endswith("?")
        )
    return questions[-MAX_QUESTIONS:]


def _escalation_line(escalation: Escalation) -> SummaryLine:
    parts = [escalation.reason_code.replace("_", " ").capitalize()]
    if escalation.team_name:
        parts.append(f"to {escalation.team_name}")
    if escalation.requested_by:
        parts.append(f"by {escalation.requested_by}")
    parts.append(f"on {escalation.requested_at.date().isoformat()}")
    text = " ".join(parts)
    if escalation.justification:
        text += f": {clip(escalation.justification, 200)}"
    if escalation.override_reason:
        text += f" (readiness overridden: {clip(escalation.override_reason, 120)})"
    return SummaryLine(f"Tier {escalation.tier}", text, None)


def _account(header: CaseHeader, now: datetime) -> list[SummaryLine]:
    if not header.customer_name:
        return []
    lines = [SummaryLine("Account", f"{header.customer_name} ({header.customer_tier or 'no tier'})", None)]
    if header.arr_cents:
        lines.append(SummaryLine("ARR", f"{header.arr_cents / 100:,.0f}", None))
    if header.renewal_date is not None:
        days = (header.renewal_date - now.date()).days
        when = f"in {days} days" if days >= 0 else f"{-days} days ago"
        lines.append(SummaryLine("Renewal", f"{header.renewal_date.isoformat()} ({when})", None))
    if header.contact_name:
        contact = header.contact_name + (f" <{header.contact_email}>" if header.contact_email else "")
        lines.append(SummaryLine("Contact", contact, None))
    return lines


def summarize_case(session: Session, case_id: int, now: datetime) -> CaseSummary:
    """The summary of case ``case_id`` as of ``now`` (which only dates the last message and the renewal)."""
    context = load_case_context(session, case_id)
    timeline = context.timeline
    customer_messages = context.events_of(EventKind.CUSTOMER_MESSAGE)
    last = customer_messages[-1] if customer_messages else None
    header_texts = [(None, context.header.subject), (None, context.header.description)]
    sources = [*header_texts, *((event.id, event.body_text) for event in timeline)]
    return CaseSummary(
        case_id=case_id,
        problem=tuple(_problem(context)),
        environment=extract_facts(sources),
        tried=tuple(_tried(timeline)),
        last_customer_message=(
            SummaryLine(last.author_name or "Customer", clip(message_body(last.body_text), 400), last.id)
            if last
            else None
        ),
        last_customer_message_at=last.occurred_at if last else None,
        last_customer_message_age=(now - last.occurred_at) if last else None,
        open_questions=tuple(_open_questions(timeline)),
        escalation_history=tuple(_escalation_line(escalation) for escalation in context.detail.escalations),
        account=tuple(_account(context.header, now)),
    )
