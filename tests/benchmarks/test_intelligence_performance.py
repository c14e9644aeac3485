"""Case intelligence at scale: the Escalate dialog's and the summary panel's units of work stay quick.

Targets (100,000 cases, on the DB thread): recommendation and readiness together p95 ≤ 250 ms;
summary p95 ≤ 50 ms; similar past cases p95 ≤ 200 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import default_config
from core.db.models import CaseRow
from core.domain.enums import OPEN_STAGES
from core.intelligence import check_readiness, recommend_escalation, similar_resolved_cases, summarize_case
from core.workspace import open_workspace

pytestmark = pytest.mark.timeout(1800)

SAMPLE = 60
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def _p95_ms(session: Session, case_ids: list[int], work: Callable[[Session, int], object]) -> float:
    timings = []
    for case_id in case_ids:
        started = time.perf_counter()
        work(session, case_id)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(timings, n=20)[-1]


def _escalate_dialog(session: Session, case_id: int) -> object:
    config = default_config()
    recommendation = recommend_escalation(session, case_id, config, NOW)
    return check_readiness(session, case_id, config, recommendation.team_id)


def test_intelligence_answers_quickly_at_scale(bench_workspace: Path) -> None:
    engine, _report = open_workspace(bench_workspace, create=False)
    try:
        with Session(engine) as session:
            open_ids = list(
                session.scalars(
                    select(CaseRow.id)
                    .where(CaseRow.stage.in_([stage.value for stage in OPEN_STAGES]))
                    .order_by(CaseRow.id)
                    .limit(SAMPLE)
                )
            )
            escalate_ms = _p95_ms(session, open_ids, _escalate_dialog)
            summary_ms = _p95_ms(session, open_ids, lambda s, case_id: summarize_case(s, case_id, NOW))
            similar_ms = _p95_ms(session, open_ids, similar_resolved_cases)
    finally:
        engine.dispose()
    print(
        f"escalate p95 {escalate_ms:.0f} ms, summary p95 {summary_ms:.0f} ms, similar p95 {similar_ms:.0f} ms"
    )

    assert escalate_ms <= 250
    assert summary_ms <= 50
    assert similar_ms <= 200
