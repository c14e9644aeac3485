"""The clock engine: a case's event log + its cycle's policy → every clock, to the second, with why.

CONTRACT (signatures fixed; the SLA-engine helper implements the body). Pure: no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.config.sla_model import PauseRule
from core.sla.types import CaseClocks, CaseTimeline, CycleSnapshot


def compute_clocks(
    timeline: CaseTimeline,
    cycle: CycleSnapshot | None,
    pauses: Sequence[PauseRule],
    now: datetime,
) -> CaseClocks:
    """Every clock of the case's current cycle at ``now`` (no clocks when ``cycle`` is None)."""
    raise NotImplementedError
