"""Bulk loading (generator, import, sync pages): insert many rows fast, then index them in one pass.

The per-row full-text triggers re-aggregate a case's timeline on every event,
which is right for interactive writes and quadratic for bulk loads. Inside
:func:`bulk_load` those triggers are dropped (in the same transaction), and
on exit the new cases are indexed in one statement and the triggers are
re-created exactly as the schema defined them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any, cast

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection

from core.db.types import UtcDateTime, column_text

ROWS_PER_STATEMENT = 2_000  # rows per INSERT of insert_values (parameters permitting)
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
    indexing = text(_INDEX_CASES_WHOLE.format(where="c.id > :max_before"))
    connection.execute(indexing, {"max_before": max_before})
    _recreate(connection, triggers)


def _recreate(connection: Connection, triggers: Sequence[tuple[str, str]]) -> None:
    for _name, sql in triggers:
        connection.execute(text(sql))


_EVENT_INSERT_TRIGGER = "case_fts_event_insert"
_CASE_INSERT_TRIGGER = "case_fts_case_insert"
_REINDEX_CASES = (
    "UPDATE case_fts SET timeline = (SELECT coalesce(group_concat(e.body_text, char(10)), '') "
    "FROM timeline_events e WHERE e.case_id = case_fts.rowid) WHERE rowid IN ({ids})"
)
_INDEX_CASES_WHOLE = (
    "INSERT INTO case_fts(rowid, subject, description, timeline) "
    "SELECT c.id, c.subject, c.description, "
    "coalesce((SELECT group_concat(e.body_text, char(10)) FROM timeline_events e "
    "WHERE e.case_id = c.id), '') "
    "FROM cases c WHERE {where}"
)
# What the case insert trigger writes, for many new cases in one statement.
_INDEX_NEW_CASES = (
    "INSERT INTO case_fts(rowid, subject, description, timeline) "
    "SELECT id, subject, description, '' FROM cases WHERE id IN ({ids})"
)


@contextmanager
def events_indexed_once(connection: Connection, case_ids: set[int]) -> Iterator[None]:
    """Within a transaction: insert many timeline events, re-indexing each case's timeline once.

    The per-event trigger re-aggregates the whole timeline of the event's case; a pulled page
    adds several events to each of a hundred cases. Inside the block that trigger is dropped;
    on exit the timelines of ``case_ids`` (which the caller fills with the cases it added
    events to) are indexed in one statement and the trigger is re-created as the schema had it.
    """
    with _suspended(connection, _EVENT_INSERT_TRIGGER) as suspended:
        yield
        if suspended:
            reindex_timelines(connection, case_ids)


@contextmanager
def cases_indexed_once(connection: Connection, case_ids: set[int]) -> Iterator[None]:
    """Within a transaction: insert many cases, indexing them in one statement.

    Full-text rows written one by one (the case insert trigger, once per inserted row) cost
    several times what one statement for all of them costs: SQLite's full-text index writes
    its pending terms out at every statement. Inside the block that trigger is dropped; on exit
    the cases of ``case_ids`` (which the caller fills with the ids it inserted) are indexed as
    the trigger would have, and the trigger is re-created as the schema had it.
    """
    with _suspended(connection, _CASE_INSERT_TRIGGER) as suspended:
        yield
        if suspended and case_ids:
            connection.execute(text(_INDEX_NEW_CASES.format(ids=_id_list(case_ids))))


@contextmanager
def _suspended(connection: Connection, trigger: str) -> Iterator[bool]:
    """Drop ``trigger`` while in the block (yields False when an enclosing bulk load already has)."""
    found = connection.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"), {"name": trigger}
    ).scalar_one_or_none()
    if found is None:
        yield False
        return
    connection.execute(text(f'DROP TRIGGER "{trigger}"'))
    try:
        yield True
    finally:
        connection.execute(text(str(found)))


def reindex_timelines(connection: Connection, case_ids: set[int]) -> None:
    """Index the timelines of ``case_ids`` again, in one statement (their events as they are now)."""
    if case_ids:
        connection.execute(text(_REINDEX_CASES.format(ids=_id_list(case_ids))))


def index_cases_whole(connection: Connection, case_ids: set[int]) -> None:
    """Write the full-text entries of ``case_ids`` from scratch (subject, description, timeline),
    in two statements: whatever entry a case had is replaced, and one it lacked is added."""
    if case_ids:
        ids = _id_list(case_ids)
        connection.execute(text(f"DELETE FROM case_fts WHERE rowid IN ({ids})"))
        connection.execute(text(_INDEX_CASES_WHOLE.format(where=f"c.id IN ({ids})")))


# Tuning of SQLite's full-text index (see its FTS5 documentation, "automerge"): how many segments
# of a level it lets pile up before merging them. SQLite's default keeps queries on the fewest
# segments; indexing a whole first sync merges far less often with the maximum.
FTS_AUTOMERGE_DEFAULT = 4
FTS_AUTOMERGE_BULK = 16


def set_fts_automerge(connection: Connection, segments: int) -> None:
    """Set the full-text index's ``automerge`` (stored in the index; it holds until set again)."""
    connection.execute(
        text("INSERT INTO case_fts(case_fts, rank) VALUES ('automerge', :segments)"), {"segments": segments}
    )


def _id_list(ids: set[int]) -> str:
    return ", ".join(str(int(item)) for item in sorted(ids))


def table_of(model: type[Any]) -> Table:
    """The table of an ORM model, for Core inserts of many rows (no ORM bookkeeping per row)."""
    return cast(Table, model.__table__)


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert ``rows`` into ``table`` straight through the driver, in a few multi-row statements
    (:func:`insert_values`).

    For the hundreds of thousands of rows of a first sync: SQLAlchemy's own executemany runs
    every value of every row through its parameter and type processing, which costs more than
    SQLite's work. Here only :class:`~core.db.types.UtcDateTime` values are converted (to the
    text SQLAlchemy would store). Every row names the same columns as the first; a column
    none names gets its Python-side default, as SQLAlchemy would give it.
    """
    if not rows:
        return
    named = list(rows[0])
    defaults = {
        column.name: column.default
        for column in table.columns
        if column.name not in rows[0] and column.default is not None and not column.primary_key
    }
    columns = named + list(defaults)
    moments = [index for index, name in enumerate(columns) if isinstance(table.c[name].type, UtcDateTime)]
    values: list[tuple[object, ...]] = []
    for row in rows:
        listed = [row[name] for name in named]
        for default in defaults.values():
            listed.append(default.arg(None) if default.is_callable else default.arg)  # type: ignore[attr-defined]
        for index in moments:
            moment = listed[index]
            if moment is not None:
                listed[index] = column_text(moment)  # type: ignore[arg-type]
        values.append(tuple(listed))
    insert_values(connection, table, columns, values)


def insert_values(
    connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Insert ``rows`` (values of ``columns``, in order, already as the driver takes them: moments
    as :func:`~core.db.types.column_text`) with a few multi-row statements.

    Each statement carries up to :data:`ROWS_PER_STATEMENT` rows (``VALUES (…), (…), …``): the
    driver gives up the interpreter's lock while SQLite works, once per statement. With one
    statement per row (``executemany``), a thread decoding or mapping pages meanwhile takes the
    lock every time, for up to its switch interval, and a thousand-row insert waited seconds.
    """
    if not rows:
        return
    for name in columns:
        if name not in table.c:
            raise ValueError(f"{table.name} has no column {name!r}")
    quoted = ", ".join(f'"{name}"' for name in columns)
    one_row = "(" + ", ".join("?" for _ in columns) + ")"
    per_statement = max(1, min(ROWS_PER_STATEMENT, _parameter_limit(connection) // len(columns)))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values = ", ".join(one_row for _ in chunk)
        connection.exec_driver_sql(
            f'INSERT INTO "{table.name}" ({quoted}) VALUES {values}', tuple(chain.from_iterable(chunk))
        )


def _parameter_limit(connection: Connection) -> int:
    """How many parameters one statement may bind on this connection (999 before SQLite 3.32)."""
    driver = connection.connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        return driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 999
