"""Bulk loading (generator, import, sync pages): insert many rows fast, then index them in one pass.

The per-row full-text triggers re-aggregate a case's timeline on every event,
which is right for interactive writes and quadratic for bulk loads. Inside
:func:`bulk_load` those triggers are dropped (in the same transaction), and
on exit the new cases are indexed in one statement and the triggers are
re-created exactly as the schema defined them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection

_FTS_TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'case_fts_%'"


@contextmanager
def bulk_load(connection: Connection) -> Iterator[None]:
    """Within a transaction on ``connection``: suspend FTS triggers, then index new cases.

    Only cases inserted inside the block (ids above the previous maximum) are
    indexed on exit; the block must not change existing cases' text.
    """
    triggers = [(str(name), str(sql)) for name, sql in connection.execute(text(_FTS_TRIGGERS))]
    max_before = connection.execute(text("SELECT coalesce(max(id), 0) FROM cases")).scalar_one()
    for name, _sql in triggers:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    try:
        yield
    except BaseException:
        _recreate(connection, triggers)  # even if a caller commits after catching the error
        raise
    connection.execute(
        text(
            """
            INSERT INTO case_fts(rowid, subject, description, timeline)
            SELECT c.id, c.subject, c.description,
                   coalesce((SELECT group_concat(e.body_text, char(10)) FROM timeline_events e
                             WHERE e.case_id = c.id), '')
            FROM cases c WHERE c.id > :max_before
            """
        ),
        {"max_before": max_before},
    )
    _recreate(connection, triggers)


def _recreate(connection: Connection, triggers: Sequence[tuple[str, str]]) -> None:
    for _name, sql in triggers:
        connection.execute(text(sql))


_EVENT_INSERT_TRIGGER = "case_fts_event_insert"
_REINDEX_CASES = (
    "UPDATE case_fts SET timeline = (SELECT coalesce(group_concat(e.body_text, char(10)), '') "
    "FROM timeline_events e WHERE e.case_id = case_fts.rowid) WHERE rowid IN ({ids})"
)


@contextmanager
def events_indexed_once(connection: Connection, case_ids: set[int]) -> Iterator[None]:
    """Within a transaction: insert many timeline events, re-indexing each case's timeline once.

    The per-event trigger re-aggregates the whole timeline of the event's case; a pulled page
    adds several events to each of a hundred cases. Inside the block that trigger is dropped;
    on exit the timelines of ``case_ids`` (which the caller fills with the cases it added
    events to) are indexed in one statement and the trigger is re-created as the schema had it.
    """
    found = connection.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": _EVENT_INSERT_TRIGGER},
    ).scalar_one_or_none()
    if found is None:  # already suspended by an enclosing bulk load
        yield
        return
    trigger_sql = str(found)
    connection.execute(text(f'DROP TRIGGER "{_EVENT_INSERT_TRIGGER}"'))
    try:
        yield
        if case_ids:
            ids = ", ".join(str(int(case_id)) for case_id in sorted(case_ids))
            connection.execute(text(_REINDEX_CASES.format(ids=ids)))
    finally:
        connection.execute(text(trigger_sql))


def table_of(model: type[Any]) -> Table:
    """The table of an ORM model, for Core inserts of many rows (no ORM bookkeeping per row)."""
    return cast(Table, model.__table__)
