"""Reading a calendar's texts: ``"mon-fri 09:00-12:00"`` frames, ``"2026-12-24 Christmas Eve"`` holidays.

A frame text names days (``mon-fri``, ``sat``, ``mon,wed,fri``) and one or more time
ranges (``09:00-12:00, 13:00-17:00``); ``24:00`` ends a day. Anything else raises
:class:`HoursTextError`, whose message quotes the text.
"""

from __future__ import annotations

from datetime import date

DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_SECONDS = 24 * 3600

Frame = tuple[int, int]  # seconds after local midnight: start, end


class HoursTextError(ValueError):
    """A text that does not read as business hours or a holiday."""


def _day_index(name: str, text: str) -> int:
    try:
        return DAY_NAMES.index(name.strip().lower()[:3])
    except ValueError:
        raise HoursTextError(f"unknown day {name.strip()!r} in {text!r} (use mon … sun)") from None


def _days(spec: str, text: str) -> list[int]:
    days: list[int] = []
    for part in spec.split(","):
        if not part.strip():
            raise HoursTextError(f"empty day in {text!r}")
        if "-" in part:
            first_name, last_name = part.split("-", 1)
            first, last = _day_index(first_name, text), _day_index(last_name, text)
            if last < first:
                raise HoursTextError(f"day range {part.strip()!r} runs backwards in {text!r}")
            days.extend(range(first, last + 1))
        else:
            days.append(_day_index(part, text))
    return days


def _clock(value: str, text: str) -> int:
    hours, sep, minutes = value.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise HoursTextError(f"time {value.strip()!r} in {text!r} is not HH:MM")
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and m):
        raise HoursTextError(f"time {value.strip()!r} in {text!r} is out of range (00:00 … 24:00)")
    return h * 3600 + m * 60


def _ranges(spec: str, text: str) -> list[Frame]:
    frames: list[Frame] = []
    for part in spec.split(","):
        start_text, sep, end_text = part.partition("-")
        if not sep:
            raise HoursTextError(f"time range {part.strip()!r} in {text!r} is not HH:MM-HH:MM")
        start, end = _clock(start_text, text), _clock(end_text, text)
        if end <= start:
            raise HoursTextError(f"time range {part.strip()!r} in {text!r} must end after it starts")
        frames.append((start, end))
    return frames


def parse_hours(text: str) -> dict[int, list[Frame]]:
    """The frames one hours text adds, by weekday (0 = Monday)."""
    day_spec, _, range_spec = text.strip().partition(" ")
    if not day_spec or not range_spec.strip():
        raise HoursTextError(f"hours {text!r} should read like 'mon-fri 09:00-17:00'")
    frames = _ranges(range_spec, text)
    return {day: list(frames) for day in _days(day_spec, text)}


def merge_frames(frames: list[Frame]) -> tuple[Frame, ...]:
    """Frames sorted, with overlapping or touching ones joined."""
    merged: list[Frame] = []
    for start, end in sorted(frames):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def week_frames(texts: tuple[str, ...]) -> tuple[tuple[Frame, ...], ...]:
    """The working frames of each weekday (Monday first) from all the hours texts."""
    if not texts:
        raise HoursTextError("a calendar needs at least one hours text, e.g. 'mon-fri 09:00-17:00'")
    by_day: dict[int, list[Frame]] = {day: [] for day in range(7)}
    for text in texts:
        for day, frames in parse_hours(text).items():
            by_day[day].extend(frames)
    return tuple(merge_frames(by_day[day]) for day in range(7))


def parse_holiday(text: str) -> tuple[date, str]:
    """The date and the (possibly empty) name of a ``"2026-12-24 Christmas Eve"`` holiday text."""
    date_text, _, name = text.strip().partition(" ")
    try:
        return date.fromisoformat(date_text), name.strip()
    except ValueError:
        raise HoursTextError(f"holiday {text!r} does not start with an ISO date (YYYY-MM-DD)") from None


def format_frame(frame: Frame) -> str:
    """``"09:00-17:00"``."""
    return "-".join(f"{s // 3600:02d}:{s % 3600 // 60:02d}" for s in frame)
