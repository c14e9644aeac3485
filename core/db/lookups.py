"""Many rows looked up by remote id in one statement, the ids handed to SQLite as one JSON array.

A pulled page names thousands of tickets, users and comments. ``remote_id IN (:a, :b, …)``
through SQLAlchemy binds and processes every id in Python; ``remote_id IN (SELECT value FROM
json_each(?))`` hands SQLite a single string, and it still searches the
``(source_system, remote_id)`` index once per id. The statement goes straight to the driver
and its rows come back as plain tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import Table
from sqlalchemy.engine import Connection


def json_list(values: Iterable[object]) -> str:
    """``values`` as a JSON array (for ``json_each``)."""
    return orjson.dumps(list(values)).decode()


def rows_by_remote_id(
    connection: Connection, table: Table, kind: str, remote_ids: Iterable[str], columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """The rows of ``table`` from helpdesk ``kind`` with one of ``remote_ids``: ``(remote_id, *columns)``."""
    wanted = sorted(set(remote_ids))
    if not wanted:
        return []
    for name in ("source_system", "remote_id", *columns):
        if name not in table.c:
            raise ValueError(f"{table.name} has no column {name!r}")
    selected = ", ".join(f'"{name}"' for name in ("remote_id", *columns))
    # One row back (a JSON array of the rows): the interpreter's lock is released once, not per row.
    statement = (
        f'SELECT json_group_array(json_array({selected})) FROM "{table.name}" '
        "WHERE source_system = ? AND remote_id IN (SELECT value FROM json_each(?))"
    )
    packed = connection.exec_driver_sql(statement, (kind, json_list(wanted))).scalar_one()
    return [tuple(row) for row in orjson.loads(packed)]
