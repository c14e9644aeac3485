"""Signal: the customer asked to escalate ("manager", "unacceptable", "cancel our contract", …)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from core.domain.enums import EventKind
from core.intelligence.signals.base import Signal, SignalInputs
from core.intelligence.text_scan import excerpt_around, message_body

KEY = "customer_request"
LABEL = "Customer asked to escalate"


@lru_cache(maxsize=64)
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any of ``phrases`` as whole words, ignoring case and spacing."""
    alternatives = [
        r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases if phrase.strip()
    ]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def evaluate(inputs: SignalInputs) -> Sequence[Signal]:
    """Fires on the latest customer message using a configured phrase (quotes and signatures aside)."""
    criteria = inputs.config.escalation.customer_request
    pattern = phrase_pattern(criteria.phrases)
    for event in reversed(inputs.case.events_of(EventKind.CUSTOMER_MESSAGE)):
        body = message_body(event.body_text)
        match = pattern.search(body) if pattern else None
        if match is None:
            continue
        author = event.author_name or "The customer"
        explanation = (
            f'{author} wrote "{excerpt_around(body, match.start(), match.end(), 120)}" '
            f'(phrase "{" ".join(match.group(0).split()).lower()}")'
        )
        return [Signal(KEY, LABEL, criteria.weight, True, explanation, event.id)]
    return [Signal(KEY, LABEL, criteria.weight, False, "No customer message asks to escalate.")]
