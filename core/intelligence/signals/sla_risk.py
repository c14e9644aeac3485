"""Signal: the case's soonest SLA deadline is in its warning window or already breached.

It reads the stored deadline of the case (``cases.sla_due_at`` / ``sla_warning_at`` /
``sla_metric``, kept current on every change), so it costs one primary-key lookup, and says
when on the wall clock of the case's SLA calendar (its current cycle's time zone).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, SlaCycleRow
from core.intelligence.signals.base import Signal, SignalInputs
from core.sla.clocks_json import calendar_zone

KEY = "sla_risk"
LABEL = "SLA at risk"
WEIGHT = 3.0

METRIC_LABELS = {
    "first_reply": "First reply",
    "next_reply": "Next reply",
    "periodic_update": "Periodic update",
    "resolution": "Resolution",
    "time_in_stage": "Time in stage",
}
"""English names of the SLA metrics, for explanations written in core."""


def metric_name(metric: str | None) -> str:
    """``"next_reply"`` → ``"Next reply"``; an unknown or missing metric reads "The SLA"."""
    if not metric:
        return "The SLA"
    return METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize())


def duration_words(seconds: float) -> str:
    """A short English duration: "25 min", "1 h 12 min", "2 d 3 h" (under a minute: "1 min")."""
    minutes = max(1, int(abs(seconds) // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def _clock_time(moment: datetime, zone: tzinfo) -> str:
    """``"11:05 CET"``: the moment on the wall clock of the case's SLA calendar."""
    return moment.astimezone(zone).strftime("%H:%M %Z")


def _calendar_zone(session: Session, case_id: int) -> tzinfo:
    """The time zone of the calendar the case's current SLA cycle follows (UTC without one)."""
    calendar_json = session.scalar(
        select(SlaCycleRow.calendar_json)
        .where(SlaCycleRow.case_id == case_id)
        .order_by(SlaCycleRow.id.desc())
        .limit(1)
    )
    timezone = json.loads(calendar_json).get("timezone") if calendar_json else None
    return calendar_zone(timezone if isinstance(timezone, str) else None)


def evaluate(inputs: SignalInputs) -> Sequence[Signal]:
    """Fires when the soonest deadline is breached or its warning moment has passed at ``inputs.now``."""
    case = inputs.session.get(CaseRow, inputs.case.header.id)
    due_at = case.sla_due_at if case is not None else None
    if case is None or due_at is None:
        return [Signal(KEY, LABEL, WEIGHT, False, "No SLA clock is running on this case.")]
    name = metric_name(case.sla_metric)
    zone = _calendar_zone(inputs.session, case.id)
    left = (due_at - inputs.now).total_seconds()
    warning_at = case.sla_warning_at
    if left <= 0:
        explanation = f"{name} breached {duration_words(left)} ago (due {_clock_time(due_at, zone)})."
        return [Signal(KEY, LABEL, WEIGHT, True, explanation)]
    if warning_at is not None and warning_at <= inputs.now:
        explanation = (
            f"{name} breaches in {duration_words(left)} (warning since {_clock_time(warning_at, zone)})."
        )
        return [Signal(KEY, LABEL, WEIGHT, True, explanation)]
    explanation = f"{name} is due in {duration_words(left)}, outside its warning window."
    return [Signal(KEY, LABEL, WEIGHT, False, explanation)]
