"""Escalation signals: each module evaluates one family of signals behind :data:`SignalEvaluator`."""

from __future__ import annotations

from core.intelligence.signals import account_value, complexity, customer_request, known_defect, sla_risk
from core.intelligence.signals.base import Signal, SignalEvaluator, SignalInputs

DEFAULT_EVALUATORS: tuple[SignalEvaluator, ...] = (
    customer_request.evaluate,
    complexity.evaluate,
    known_defect.evaluate,
    account_value.evaluate,
    sla_risk.evaluate,
)
"""The signals every recommendation checks, in the order the Escalate dialog lists them."""

__all__ = ["DEFAULT_EVALUATORS", "Signal", "SignalEvaluator", "SignalInputs"]
