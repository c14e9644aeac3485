"""Choosing a case's policy (first match wins) and snapshotting it for a cycle, with its version.

CONTRACT (signatures fixed; the SLA-engine helper implements the bodies).
"""

from __future__ import annotations

from datetime import datetime

from core.config.sla_model import SlaPolicy, SlaSettings
from core.sla.types import CaseTimeline, CycleSnapshot


def match_policy(timeline: CaseTimeline, settings: SlaSettings) -> SlaPolicy | None:
    """The first policy whose non-empty conditions all match the case (None: no policy applies)."""
    raise NotImplementedError


def snapshot_for(timeline: CaseTimeline, settings: SlaSettings, started_at: datetime) -> CycleSnapshot | None:
    """The matching policy and its calendar, frozen for a cycle starting at ``started_at``."""
    raise NotImplementedError


def policy_version(snapshot_policy: SlaPolicy, calendar_key: str, calendar_text: str) -> str:
    """A short stable hash naming the exact policy and calendar text (what "version" means)."""
    raise NotImplementedError
