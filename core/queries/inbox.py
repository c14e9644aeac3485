"""Inbox queries: the ordered ids of a saved view (with search), and rows for a window of ids.

The inbox never loads every row: it asks for the ordered ids once (a compact
``array``), then fetches the rows of the visible window on demand.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import timedelta

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
_DONE = ", ".join(f"'{stage.value}'" for stage in DONE_STAGES)
# Escalation views leave out tier-1 cases nobody has escalated (stage ``new``).
_NOT_ESCALATED_OR_DONE = ", ".join(f"'{stage.value}'" for stage in (Stage.NEW, *DONE_STAGES))


def _view_filter(session: Session, view: SavedView) -> tuple[str, dict[str, object]]:
    """SQL condition (on alias ``c``) and parameters for a saved view."""
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
        since = utc_now() - timedelta(days=RECENTLY_RESOLVED_DAYS)
        return f"c.stage IN ({_DONE}) AND c.resolved_at >= :since", {"since": format_utc(since)}
    return "1 = 1", {}


def inbox_case_ids(session: Session, query: InboxQuery) -> array[int]:
    """The ids of the cases ``query`` shows, in display order."""
    condition, params = _view_filter(session, query.view)
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
            order = f"{_ORDER_SQL[query.sort]} {direction}, c.id {direction}"
        sql = (
            f"SELECT c.id FROM case_fts JOIN cases c ON c.id = case_fts.rowid {joins} "
            f"WHERE case_fts MATCH :expression AND {condition} ORDER BY {order} LIMIT :limit"
        )
    else:
        sort = SortKey.UPDATED if query.sort is SortKey.RELEVANCE else query.sort
        if query.sort is SortKey.RELEVANCE:  # nothing to rank: newest first
            direction = "DESC"
        needs_joins = sort in (SortKey.CUSTOMER, SortKey.TEAM, SortKey.ASSIGNEE)
        sql = (
            f"SELECT c.id FROM cases c {joins if needs_joins else ''} WHERE {condition} "
            f"ORDER BY {_ORDER_SQL[sort]} {direction}, c.id {direction}"
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
                   c.priority, c.tier, c.stage, coalesce(t.name, ''), coalesce(p.name, ''), c.updated_at
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
        )
        for row in rows
    }
    return [by_id[case_id] for case_id in case_ids if case_id in by_id]


def view_counts(session: Session) -> dict[SavedView, int]:
    """How many cases each saved view holds (for the sidebar)."""
    counts: dict[SavedView, int] = {}
    for view in SavedView:
        condition, params = _view_filter(session, view)
        counts[view] = session.execute(
            text(f"SELECT count(*) FROM cases c WHERE {condition}"), params
        ).scalar_one()
    return counts
