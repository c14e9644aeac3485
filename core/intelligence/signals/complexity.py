"""Signals of technical complexity: reopens, agent touches, age, logs attached, a complex product area."""

from __future__ import annotations

from collections.abc import Sequence

from core.domain.enums import EventKind
from core.intelligence.signals.base import Signal, SignalInputs

AGENT_TOUCH_KINDS = (EventKind.AGENT_REPLY, EventKind.INTERNAL_NOTE)
LOG_KINDS = (EventKind.SYSTEM_LOG, EventKind.ATTACHMENT)


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def evaluate(inputs: SignalInputs) -> Sequence[Signal]:
    """One signal per complexity factor, each compared with its configured threshold."""
    criteria = inputs.config.escalation.complexity
    case = inputs.case
    touches = case.events_of(*AGENT_TOUCH_KINDS)
    logs = case.events_of(*LOG_KINDS)
    age_days = (inputs.now - case.header.created_at).days
    area_name = case.header.product_area or case.product_area_key
    complex_area = bool(case.product_area_key) and case.product_area_key in criteria.complex_product_areas
    return [
        Signal(
            "complexity.reopens",
            "Reopened",
            criteria.reopen_weight,
            case.reopen_count >= criteria.reopen_count,
            f"Reopened {_times(case.reopen_count)} (counts from {criteria.reopen_count}).",
        ),
        Signal(
            "complexity.agent_touches",
            "Many agent touches",
            criteria.agent_touches_weight,
            len(touches) >= criteria.agent_touches,
            f"{len(touches)} agent replies and internal notes (counts from {criteria.agent_touches}).",
            touches[-1].id if len(touches) >= criteria.agent_touches else None,
        ),
        Signal(
            "complexity.age",
            "Open for long",
            criteria.age_weight,
            age_days >= criteria.age_days,
            f"Open for {age_days} day{'s' if age_days != 1 else ''} (counts from {criteria.age_days}).",
        ),
        Signal(
            "complexity.logs",
            "Logs attached",
            criteria.logs_weight,
            len(logs) >= criteria.logs_attached,
            f"{len(logs)} log excerpts and attachments (counts from {criteria.logs_attached}).",
            logs[0].id if len(logs) >= criteria.logs_attached else None,
        ),
        Signal(
            "complexity.product_area",
            "Complex product area",
            criteria.product_area_weight,
            complex_area,
            f"{area_name} is {'' if complex_area else 'not '}configured as a complex product area."
            if area_name
            else "The case has no product area.",
        ),
    ]
