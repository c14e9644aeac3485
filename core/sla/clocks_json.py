"""A case's clocks as plain JSON: what ``handoff sla --json`` prints and what an export carries.

Moments are ISO 8601 with the offset of the cycle's calendar (``2026-11-23T09:30:00+01:00``),
so a reader sees the deadline as the team's clock on the wall shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.sla.types import CaseClocks, Clock, Pause, Reset, Segment

JsonObject = dict[str, Any]


def calendar_zone(timezone: str | None) -> tzinfo:
    """The zone a calendar's moments are shown in (UTC when there is none or it is unknown)."""
    if not timezone:
        return UTC
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_iso(value: datetime | None, zone: tzinfo) -> str | None:
    """``value`` in ``zone`` as ISO 8601 with its offset, to the second (None stays None)."""
    return None if value is None else value.astimezone(zone).replace(microsecond=0).isoformat()


def clocks_to_json(clocks: CaseClocks, timezone: str | None, *, detail: bool = True) -> JsonObject:
    """Every clock of ``clocks`` and the pause ledger, moments in the calendar's zone.

    With ``detail`` each clock also lists the segments it counted, its own pauses and resets, and
    the case's explanation lines, and durations as they stand at ``computed_at``; without, it
    is the summary an export carries: moments and states only, nothing that ages by the second
    (the document's ``exported_at`` says when it was true).
    """
    zone = calendar_zone(timezone)
    result: JsonObject = {
        "policy": {
            "key": clocks.policy_key,
            "name": clocks.policy_name,
            "version": clocks.policy_version,
        },
        "calendar": {"key": clocks.calendar_key, "timezone": timezone or "UTC"},
        "cycle_started_at": local_iso(clocks.cycle_started_at, zone),
        "risk": clocks.risk.value,
        "next_due": None if clocks.next_due is None else clocks.next_due.metric.value,
        "clocks": [_clock(clock, zone, detail) for clock in clocks.clocks],
        "pause_ledger": [pause_to_json(pause, zone) for pause in clocks.pause_ledger],
    }
    if detail:
        result["computed_at"] = local_iso(clocks.computed_at, zone)
        result["explanation"] = list(clocks.explanation)
    return result


def pause_to_json(pause: Pause, zone: tzinfo) -> JsonObject:
    """One entry of the pause ledger."""
    return {
        "metric": pause.metric.value,
        "start": local_iso(pause.start, zone),
        "end": local_iso(pause.end, zone),
        "reason": pause.reason,
        "customer_wrote": pause.customer_wrote,
    }


def _clock(clock: Clock, zone: tzinfo, detail: bool) -> JsonObject:
    result: JsonObject = {
        "metric": clock.metric.value,
        "label": clock.label,
        "state": clock.state.value,
        "risk": clock.risk.value,
        "target_seconds": clock.target_seconds,
        "business_hours": clock.business_hours,
        "started_at": local_iso(clock.started_at, zone),
        "due_at": local_iso(clock.due_at, zone),
        "warning_at": local_iso(clock.warning_at, zone),
        "stopped_at": local_iso(clock.stopped_at, zone),
        "breach_level": clock.breach_level,
        "breach_actions": list(clock.breach_actions),
    }
    if detail:
        result["elapsed_seconds"] = clock.elapsed_seconds
        result["remaining_seconds"] = clock.remaining_seconds
        result["segments"] = [_segment(segment, zone) for segment in clock.segments]
        result["pauses"] = [pause_to_json(pause, zone) for pause in clock.pauses]
        result["resets"] = [_reset(reset, zone) for reset in clock.resets]
    return result


def _segment(segment: Segment, zone: tzinfo) -> JsonObject:
    return {
        "start": local_iso(segment.start, zone),
        "end": local_iso(segment.end, zone),
        "seconds": segment.seconds,
    }


def _reset(reset: Reset, zone: tzinfo) -> JsonObject:
    return {"metric": reset.metric.value, "at": local_iso(reset.at, zone), "reason": reset.reason}
