"""The one interface every escalation signal follows, so new signals (SLA risk, capacity) plug in alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.config.model import WorkspaceConfig
from core.intelligence.case_context import CaseContext


@dataclass(frozen=True)
class Signal:
    """One reason for (or, when not ``fired``, checked against) escalating, with its configured weight.

    ``explanation`` says what was found, in words a person reads in the Escalate
    dialog; ``evidence_event_id`` is the timeline event it was found in, if any.
    """

    key: str
    label: str
    weight: float
    fired: bool
    explanation: str
    evidence_event_id: int | None = None


@dataclass(frozen=True)
class SignalInputs:
    """What an evaluator may read: the case, the workspace configuration, the time, the DB session."""

    session: Session
    case: CaseContext
    config: WorkspaceConfig
    now: datetime


SignalEvaluator = Callable[[SignalInputs], Sequence[Signal]]
"""A function that checks one family of signals; it returns each signal, fired or not."""
