"""Inbox queries: the ordered ids of a saved view (with search), and rows for a window of ids.

The inbox never loads every row: it asks for the ordered ids once (a compact
``array``), then fetches the rows of the visible window on demand.

The SLA views and the SLA order read the deadline each case stores
(``sla_due_at``, ``sla_warning_at``); which cases are at risk depends on the
``now`` the caller passes, so a UI with a fake clock sees consistent results.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.db.types import format_utc, parse_utc, utc_now
from core.domain.dtos import InboxQuery, InboxRow, SortKey
from core.domain.enums import DONE_STAGES, Priority, SavedView, Stage
from core.search import match_expression, relevance_order
from core.settings import my_person_id

RECENTLY_RESOLVED_DAYS = 14
SEARCH_RESULT_LIMIT = 2000

_ORDER_SQL: dict[SortKey, str] = {
    SortKey.NUMBER: "c.number",
    SortKey.CUSTOMER: "cu.name",
    SortKey.SUBJECT: "c.subject COLLATE NOCASE",
    SortKey.PRIORITY: "CASE c.priority "
    + " ".join(f"WHEN '{p.value}' THEN {p.rank}" for p in Priority)
    + " END",
    SortKey.TIER: "c.tier",
    SortKey.STAGE: "CASE c.stage "
    + " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(Stage))
    + " END",
    SortKey.TEAM: "t.name",
    SortKey.ASSIGNEE: "p.name",
    SortKey.UPDATED: "c.updated_at",
}
# Cases without a running clock come last in both directions; the unary ``+`` keeps SQLite from
# walking ``ix_cases_sla_due_at`` row by row (a scan and a sort of the matches is several times faster).
_SLA_ORDER = "c.sla_due_at IS NULL, +c.sla_due_at {direction}, c.number {direction}"
_DONE = ", ".join(f"'{stage.value}'" for stage in DONE_STAGES)
# Escalation views leave out tier-1 cases nobody has escalated (stage ``new``).
_NOT_ESCALATED_OR_DONE = ", ".join(f"'{stage.value}'" for stage in (Stage.NEW, *DONE_STAGES))
# A running clock within its warning window or past its deadline (the deadline never precedes the warning).
_AT_RISK = f"c.stage NOT IN ({_DONE}) AND (c.sla_warning_at <= :now OR c.sla_due_at <= :now)"
SLA_VIEWS = frozenset({SavedView.AT_RISK, SavedView.PROACTIVE})
"""The saved views about SLA risk: listed soonest deadline first, their membership changes with time."""


def _order_by(sort: SortKey, direction: str) -> str:
    """The ORDER BY terms of ``sort`` in ``direction`` (``ASC``/``DESC``), ties broken stably."""
    if sort is SortKey.SLA:
        return _SLA_ORDER.format(direction=direction)
    return f"{_ORDER_SQL[sort]} {direction}, c.id {direction}"


def _view_filter(session: Session, view: SavedView, now: datetime) -> tuple[str, dict[str, object]]:
    """SQL condition (on alias ``c``) and parameters for a saved view at ``now``."""
    if view is SavedView.AT_RISK:
        return _AT_RISK, {"now": format_utc(now)}
    if view is SavedView.PROACTIVE:
        return f"{_AT_RISK} AND c.stage = :new", {"now": format_utc(now), "new": Stage.NEW.value}
    me = my_person_id(session)
    if view is SavedView.MY_CASES:
        return f"c.assignee_id = :me AND c.stage NOT IN ({_DONE})", {"me": me}
    if view is SavedView.MY_TEAM:
        return (
            "c.team_id = (SELECT team_id FROM people WHERE id = :me) "
            f"AND c.stage NOT IN ({_NOT_ESCALATED_OR_DONE})",
            {"me": me},
        )
    if view is SavedView.ALL_OPEN:
        return f"c.stage NOT IN ({_NOT_ESCALATED_OR_DONE})", {}
    if view is SavedView.AWAITING_CUSTOMER:
        return "c.stage = :awaiting", {"awaiting": Stage.AWAITING_CUSTOMER.value}
    if view is SavedView.RECENTLY_RESOLVED:
        since = now - timedelta(days=RECENTLY_RESOLVED_DAYS)
        return f"c.stage IN ({_DONE}) AND c.resolved_at >= :since", {"since": format_utc(since)}
    return "1 = 1", {}


def inbox_case_ids(session: Session, query: InboxQuery, now: datetime | None = None) -> array[int]:
    """The ids of the cases ``query`` shows at ``now`` (default: the current time), in display order."""
    condition, params = _view_filter(session, query.view, now or utc_now())
    joins = (
        "LEFT JOIN customers cu ON cu.id = c.customer_id "
        "LEFT JOIN teams t ON t.id = c.team_id "
        "LEFT JOIN people p ON p.id = c.assignee_id"
    )
    direction = "DESC" if query.descending else "ASC"
    expression = match_expression(query.search) if query.search.strip() else None
    if query.search.strip() and expression is None:
        return array("q")
    if expression is not None:
        params["expression"] = expression
        params["limit"] = query.limit or SEARCH_RESULT_LIMIT
        if query.sort is SortKey.RELEVANCE:
            order = relevance_order(session, expression)
        else:
            order = _order_by(query.sort, direction)
        sql = (
            f"SELECT c.id FROM case_fts JOIN cases c ON c.id = case_fts.rowid {joins} "
            f"WHERE case_fts MATCH :expression AND {condition} ORDER BY {order} LIMIT :limit"
        )
    else:
        sort = SortKey.UPDATED if query.sort is SortKey.RELEVANCE else query.sort
        if query.sort is SortKey.RELEVANCE:  # nothing to rank: newest first
            direction = "DESC"
        needs_joins = sort in (SortKey.CUSTOMER, SortKey.TEAM, SortKey.ASSIGNEE)
        # No index narrows "at risk" (the warning time has none): one scan and a sort of the few
        # matches beats walking an index in display order (e.g. ``updated_at``) and filtering.
        scan = "NOT INDEXED" if query.view is SavedView.AT_RISK else ""
        sql = (
            f"SELECT c.id FROM cases c {scan} {joins if needs_joins else ''} WHERE {condition} "
            f"ORDER BY {_order_by(sort, direction)}"
        )
        if query.limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = query.limit
    ids = array("q")
    ids.extend(row[0] for row in session.execute(text(sql), params))
    return ids


def inbox_rows(session: Session, case_ids: Sequence[int]) -> list[InboxRow]:
    """The inbox rows of ``case_ids`` (in the same order; unknown ids are skipped)."""
    if not case_ids:
        return []
    placeholders = ", ".join(str(int(case_id)) for case_id in case_ids)
    rows = session.execute(
        text(
            f"""
            SELECT c.id, c.number, c.subject, coalesce(cu.name, ''), coalesce(cu.tier, ''),
                   c.priority, c.tier, c.stage, coalesce(t.name, ''), coalesce(p.name, ''), c.updated_at,
                   c.sla_due_at, c.sla_warning_at, coalesce(c.sla_metric, '')
            FROM cases c
            LEFT JOIN customers cu ON cu.id = c.customer_id
            LEFT JOIN teams t ON t.id = c.team_id
            LEFT JOIN people p ON p.id = c.assignee_id
            WHERE c.id IN ({placeholders})
            """
        )
    ).all()
    by_id = {
        row[0]: InboxRow(
            id=row[0],
            number=row[1],
            subject=row[2],
            customer_name=row[3],
            customer_tier=row[4],
            priority=Priority(row[5]),
            tier=row[6],
            stage=Stage(row[7]),
            team_name=row[8],
            assignee_name=row[9],
            updated_at=parse_utc(row[10]),
            sla_due_at=None if row[11] is None else parse_utc(row[11]),
            sla_warning_at=None if row[12] is None else parse_utc(row[12]),
            sla_metric=row[13],
        )
        for row in rows
    }
    return [by_id[case_id] for case_id in case_ids if case_id in by_id]


def view_counts(session: Session, now: datetime | None = None) -> dict[SavedView, int]:
    """How many cases each saved view holds at ``now`` (default: the current time), for the sidebar."""
    at = now or utc_now()
    counts: dict[SavedView, int] = {}
    for view in SavedView:
        if view in SLA_VIEWS:
            continue
        condition, params = _view_filter(session, view, at)
        counts[view] = session.execute(
            text(f"SELECT count(*) FROM cases c WHERE {condition}"), params
        ).scalar_one()
    counts.update(sla_view_counts(session, at))
    return counts


def sla_view_counts(session: Session, now: datetime) -> dict[SavedView, int]:
    """How many cases the SLA views hold at ``now``: one scan, cheap enough to repeat every minute."""
    at_risk, proactive = session.execute(
        text(f"SELECT count(*), coalesce(sum(c.stage = :new), 0) FROM cases c WHERE {_AT_RISK}"),
        {"now": format_utc(now), "new": Stage.NEW.value},
    ).one()
    return {SavedView.AT_RISK: at_risk, SavedView.PROACTIVE: proactive}
