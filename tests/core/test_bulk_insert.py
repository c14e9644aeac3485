"""Rows inserted straight to the driver read back exactly as rows inserted through SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy.orm import Session

from core.db.bulk import events_indexed_once, insert_rows, insert_values, table_of
from core.db.models import CaseRow, TimelineEventRow


def _case_values(number: int, created: datetime, remote_id: str) -> dict[str, object]:
    return {
        "number": number,
        "subject": f"Case {number}",
        "priority": "high",
        "stage": "new",
        "created_at": created,
        "updated_at": created,
        "resolved_at": None,
        "source_system": "zendesk",
        "remote_id": remote_id,
    }


def test_stored_text_defaults_and_nulls_match_sqlalchemy(engine: Engine) -> None:
    # A moment with no microseconds and one given in another zone: the stored text must be the same.
    on_the_second = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    elsewhere = datetime(2026, 11, 2, 10, 30, 0, 250, tzinfo=timezone(timedelta(hours=1)))
    with Session(engine) as session, session.begin():
        table = table_of(CaseRow)
        session.execute(insert(table), [_case_values(1, on_the_second, "1"), _case_values(2, elsewhere, "2")])
        insert_rows(
            session.connection(),
            table,
            [_case_values(3, on_the_second, "3"), _case_values(4, elsewhere, "4")],
        )
    with engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT number, created_at, resolved_at, description, tier, reopen_count"
                " FROM cases ORDER BY number"
            )
        ).all()
    by_sqlalchemy, by_driver = stored[:2], stored[2:]
    assert [row[1:] for row in by_driver] == [row[1:] for row in by_sqlalchemy]
    assert by_driver[0][1] == "2026-11-02 09:00:00.000000"
    assert by_driver[1][1] == "2026-11-02 09:30:00.000250"
    assert by_driver[0][3:] == ("", 1, 0)  # the columns' Python-side defaults, as SQLAlchemy gives them
    with Session(engine) as session:
        read_back = session.scalars(select(CaseRow.created_at).where(CaseRow.number == 4)).one()
    assert read_back == elsewhere


def test_a_naive_moment_is_refused_and_nothing_is_inserted(engine: Engine) -> None:
    naive = datetime(2026, 11, 2, 9, 0)
    with pytest.raises(ValueError, match="naive"), Session(engine) as session, session.begin():
        insert_rows(session.connection(), table_of(CaseRow), [_case_values(1, naive, "1")])
    with Session(engine) as session:
        assert session.scalar(select(CaseRow.id)) is None


def test_thousands_of_events_go_in_a_few_statements(engine: Engine) -> None:
    statements: list[str] = []
    with Session(engine) as session, session.begin():
        insert_rows(session.connection(), table_of(CaseRow), [_case_values(1, datetime.now(UTC), "1")])
        case_id = session.scalars(select(CaseRow.id)).one()
        events = [
            {
                "case_id": case_id,
                "kind": "customer_message",
                "visibility": "customer",
                "occurred_at": datetime(2026, 11, 2, 9, tzinfo=UTC) + timedelta(seconds=minute),
                "author_name": "Ada",
                "body_text": f"message {minute}",
                "source_system": "zendesk",
                "remote_id": str(minute),
            }
            for minute in range(4_500)
        ]
        connection = session.connection()
        connection.exec_driver_sql("SELECT 1")  # the connection is open before counting
        event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))
        with events_indexed_once(connection, {case_id}):  # as a pulled page is inserted
            insert_rows(connection, table_of(TimelineEventRow), events)
    inserts = [statement for statement in statements if statement.startswith("INSERT")]
    assert 1 <= len(inserts) <= 3  # 2,000 rows a statement where SQLite allows their parameters
    with Session(engine) as session:
        in_order = select(TimelineEventRow.body_text).order_by(TimelineEventRow.occurred_at)
        bodies = session.scalars(in_order).all()
    assert bodies == [f"message {minute}" for minute in range(4_500)]


def test_values_for_a_column_the_table_lacks_are_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="no column"), Session(engine) as session:
        insert_values(session.connection(), table_of(CaseRow), ("number", "nickname"), [(1, "x")])


def test_values_keep_their_types_and_every_character(engine: Engine) -> None:
    awkward = 'quotes " and \\ backslash, newline\nand tab\t, émoji 🎉, "end_time": 5'
    moment = "2026-11-02 09:00:00.000000"
    values = {
        "number": 7,
        "subject": awkward,
        "description": "",
        "priority": "high",
        "stage": "new",
        "tier": 2,
        "reopen_count": 0,
        "source_system": "zendesk",
        "created_at": moment,
        "updated_at": moment,
        "remote_id": "0042",
    }
    with Session(engine) as session, session.begin():
        insert_values(session.connection(), table_of(CaseRow), tuple(values), [tuple(values.values())])
    with engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT number, typeof(number), subject, remote_id, typeof(remote_id), resolved_at FROM cases"
            )
        ).one()
    assert tuple(stored) == (7, "integer", awkward, "0042", "text", None)  # "0042" stays text, not 42
