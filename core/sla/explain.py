"""The words that answer "why is it due then?": policy and version, calendar, and per clock its target,
start, counted segments (local time), pauses, resets and deadline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from core.config.sla_model import CalendarSettings
from core.sla.types import Clock, ClockState, Metric, Segment

_MAX_SEGMENTS = 12  # more than this: the first and last few, with a count of those between
_EDGE_SEGMENTS = 5


def local_text(moment: datetime, zone: ZoneInfo) -> str:
    """``"Fri 2026-11-27 16:30:00 +01:00"``: local wall time with its offset."""
    local = moment.astimezone(zone)
    return f"{local:%a %Y-%m-%d %H:%M:%S} {local.isoformat()[-6:]}"


def duration_text(seconds: int) -> str:
    """``"1 h 30 min"``, ``"45 min"``, ``"20 s"``; a minus sign for negative durations."""
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "", f"{secs} s" if secs else ""]
    return sign + (" ".join(part for part in parts if part) or "0 s")


def target_text(minutes: int, business_hours: bool) -> str:
    """``"4 business hours"``, ``"90 business minutes"``, ``"2 hours (calendar time)"``."""
    hours, rest = divmod(minutes, 60)
    if business_hours:
        if not rest and hours:
            return f"{hours} business hour{'s' if hours != 1 else ''}"
        return f"{minutes} business minute{'s' if minutes != 1 else ''}"
    amount = f"{hours} hour{'s' if hours != 1 else ''}" if not rest and hours else f"{minutes} minutes"
    return f"{amount} (calendar time)"


def _segment_text(segment: Segment, zone: ZoneInfo) -> str:
    start, end = segment.start.astimezone(zone), segment.end.astimezone(zone)
    end_text = f"{end:%H:%M:%S}" if start.date() == end.date() else local_text(segment.end, zone)
    word = "to come" if segment.projected else "counted"
    return f"    {word} {local_text(segment.start, zone)} – {end_text} ({duration_text(segment.seconds)})"


def _segment_lines(segments: Sequence[Segment], zone: ZoneInfo) -> list[str]:
    if len(segments) <= _MAX_SEGMENTS:
        return [_segment_text(segment, zone) for segment in segments]
    hidden = segments[_EDGE_SEGMENTS:-_EDGE_SEGMENTS]
    summary = f"    … {len(hidden)} more segments ({duration_text(sum(s.seconds for s in hidden))}) …"
    return [
        *(_segment_text(segment, zone) for segment in segments[:_EDGE_SEGMENTS]),
        summary,
        *(_segment_text(segment, zone) for segment in segments[-_EDGE_SEGMENTS:]),
    ]


def clock_lines(clock: Clock, zone: ZoneInfo, extra: Iterable[str] = ()) -> list[str]:
    """The lines of one clock."""
    target = target_text(clock.target_seconds // 60, clock.business_hours)
    lines = [f"{clock.label}: target {target}, {clock.state}"]
    if clock.started_at is not None:
        lines.append(f"  started {local_text(clock.started_at, zone)}")
    for reset in clock.resets:
        lines.append(f"  reset {local_text(reset.at, zone)} ({reset.reason})")
    lines.extend(_segment_lines(clock.segments, zone))
    for pause in clock.pauses:
        until = local_text(pause.end, zone) if pause.end is not None else "now (still paused)"
        wrote = "; customer wrote during this pause" if pause.customer_wrote else ""
        lines.append(f"  paused {local_text(pause.start, zone)} – {until} ({pause.reason}){wrote}")
    lines.append(
        f"  counted {duration_text(clock.elapsed_seconds)} of {duration_text(clock.target_seconds)}, "
        f"{'left' if clock.remaining_seconds >= 0 else 'over'} {duration_text(abs(clock.remaining_seconds))}"
    )
    if clock.stopped_at is not None:
        lines.append(f"  stopped {local_text(clock.stopped_at, zone)}")
    if clock.due_at is not None:
        lines.append(f"  due {local_text(clock.due_at, zone)}")
    elif clock.state is ClockState.PAUSED:
        lines.append("  due: not while paused (the remaining time is kept)")
    if clock.warning_at is not None and clock.stopped_at is None:
        lines.append(f"  warning from {local_text(clock.warning_at, zone)}")
    if clock.breach_level:
        actions = ", ".join(clock.breach_actions) or "none"
        lines.append(f"  breach level {clock.breach_level} (actions: {actions})")
    lines.extend(f"  {line}" for line in extra)
    return lines


def explanation(
    policy: tuple[str, str, str],
    calendar: CalendarSettings,
    zone: ZoneInfo,
    cycle_started_at: datetime,
    clocks: Sequence[Clock],
    extras: Mapping[Metric, Sequence[str]],
) -> tuple[str, ...]:
    """Every line of a case's explanation; ``policy`` is (name, key, version)."""
    name, key, version = policy
    lines = [
        f"Policy: {name} ({key}), version {version}",
        f"Calendar: {calendar.name} ({calendar.key}), time zone {calendar.timezone}",
        f"Cycle started {local_text(cycle_started_at, zone)}",
    ]
    for clock in clocks:
        lines.extend(clock_lines(clock, zone, extras.get(clock.metric, ()) if clock.metric else ()))
    if not clocks:
        lines.append("No target of this policy applies to the case's priority.")
    return tuple(lines)
