"""The flat CSV export: one row per case, counts and the latest closure computed in SQL.

CSV cells holding free text that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return are prefixed with ``'``, so a spreadsheet never runs a
customer-written subject as a formula.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, select

from core.db.models import (
    CaseRouteRow,
    CaseRow,
    ClosureRecordRow,
    CustomerRow,
    EscalationRow,
    OutboxRow,
    TimelineEventRow,
)
from core.domain.enums import OutboxState
from core.routing.history import STANDING_REROUTE
from core.transfer.json_values import format_timestamp, optional_timestamp

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_columns() -> tuple[Any, ...]:
    """The per-case values the case select adds for the CSV (labelled as the row's attributes)."""

    def count(table: Any, *conditions: Any) -> Any:
        return select(func.count(table.id)).where(table.case_id == CaseRow.id, *conditions).scalar_subquery()

    def latest_closure(column: Any) -> Any:
        return (
            select(column)
            .where(ClosureRecordRow.case_id == CaseRow.id)
            .order_by(ClosureRecordRow.closed_at.desc(), ClosureRecordRow.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return (
        count(TimelineEventRow).label("event_count"),
        count(EscalationRow).label("escalation_count"),
        latest_closure(ClosureRecordRow.closed_at).label("closed_at"),
        latest_closure(ClosureRecordRow.root_cause_category).label("root_cause_category"),
        count(OutboxRow, OutboxRow.state != OutboxState.DONE.value).label("pending_outbox"),
        count(CaseRouteRow, *STANDING_REROUTE).label("reroute_count"),
    )


def csv_values(row: Row[Any]) -> list[object]:
    """One CSV row (in the order of :data:`~core.transfer.schema.CSV_COLUMNS`) of a case select row."""
    case: CaseRow = row.CaseRow
    customer: CustomerRow | None = row.CustomerRow
    return [
        case.number,
        _cell(case.subject),
        _cell(customer.name if customer else ""),
        customer.tier if customer else "",
        case.priority,
        case.tier,
        case.stage,
        _cell(row.team or ""),
        _cell(row.assignee or ""),
        _cell(row.product_area or ""),
        format_timestamp(case.created_at),
        format_timestamp(case.updated_at),
        optional_timestamp(case.resolved_at) or "",
        _cell(case.root_cause or ""),
        row.event_count,
        row.escalation_count,
        optional_timestamp(row.closed_at) or "",
        _cell(row.root_cause_category or ""),
        row.pending_outbox,
        row.reroute_count,
    ]


def _cell(text: str) -> str:
    """Free text made safe for spreadsheets: a leading formula character is escaped with ``'``."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text
