"""Choosing a case's policy (first match wins) and snapshotting it for a cycle, with its version.

A cycle keeps the policy and calendar it started with (``CycleSnapshot``); the version is a
short hash of both texts, so an edited policy or calendar is a new version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime

from core.config.sla_model import CalendarSettings, SlaPolicy, SlaSettings
from core.sla.calendar import CalendarError, calendar_for
from core.sla.types import CaseTimeline, CycleSnapshot


def _matches(policy: SlaPolicy, timeline: CaseTimeline) -> bool:
    return (
        (not policy.priorities or timeline.priority in policy.priorities)
        and (not policy.customer_tiers or timeline.customer_tier in policy.customer_tiers)
        and (not policy.product_areas or timeline.product_area in policy.product_areas)
        and (not policy.sources or timeline.source in policy.sources)
        and (not policy.tiers or timeline.tier in policy.tiers)
    )


def match_policy(timeline: CaseTimeline, settings: SlaSettings) -> SlaPolicy | None:
    """The first policy whose non-empty conditions all match the case (None: no policy applies)."""
    return next((policy for policy in settings.policies if _matches(policy, timeline)), None)


def calendar_named(settings: SlaSettings, key: str) -> CalendarSettings:
    """The calendar called ``key``; :class:`CalendarError` when there is none."""
    for calendar in settings.calendars:
        if calendar.key == key:
            return calendar
    known = ", ".join(calendar.key for calendar in settings.calendars) or "none"
    raise CalendarError(f"unknown calendar {key!r} (calendars: {known})")


def calendar_text(calendar: CalendarSettings) -> str:
    """The canonical text of a calendar (what its version hashes)."""
    return json.dumps(asdict(calendar), sort_keys=True, separators=(",", ":"))


def snapshot_for(timeline: CaseTimeline, settings: SlaSettings, started_at: datetime) -> CycleSnapshot | None:
    """The matching policy and its calendar, frozen for a cycle starting at ``started_at``."""
    policy = match_policy(timeline, settings)
    if policy is None:
        return None
    try:
        calendar = calendar_named(settings, policy.calendar)
    except CalendarError as error:
        raise CalendarError(f"policy {policy.key!r}: {error}") from None
    calendar_for(calendar)  # unusable calendars fail here, not when a clock is read
    return CycleSnapshot(
        start=int(started_at.timestamp() // 1),
        policy=policy,
        calendar=calendar,
        version=policy_version(policy, calendar.key, calendar_text(calendar)),
    )


def policy_version(snapshot_policy: SlaPolicy, calendar_key: str, calendar_text: str) -> str:
    """A short stable hash naming the exact policy and calendar text (what "version" means)."""
    text = json.dumps(
        {"policy": asdict(snapshot_policy), "calendar_key": calendar_key, "calendar": calendar_text},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
