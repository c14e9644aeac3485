"""The SLA clocks of cases in the workspace: timelines read in bulk, cycles snapshotted, deadlines stored.

CONTRACT (signatures fixed; the SLA-storage helper implements the bodies).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.sla.types import CaseClocks, CaseTimeline


def load_timelines(session: Session, case_ids: Iterable[int] | None = None) -> dict[int, CaseTimeline]:
    """The engine's view of the cases (all open cases when ``case_ids`` is None), in a few grouped queries."""
    raise NotImplementedError


def case_clocks(session: Session, case_id: int, now: datetime) -> CaseClocks:
    """The clocks of one case (its cycle snapshotted on first use)."""
    raise NotImplementedError


def refresh_deadlines(session: Session, case_ids: Iterable[int] | None, now: datetime) -> ChangeSet:
    """Recompute and store ``cases.sla_due_at``/``sla_warning_at``/``sla_metric`` (None: every open case)."""
    raise NotImplementedError
