"""Looking rows up by remote id with the ids passed as one JSON array."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.db.bulk import insert_rows, table_of
from core.db.lookups import rows_by_remote_id
from core.db.models import ContactRow

ODD_IDS = ["plain", 'with "quotes"', "with, comma", "ünïcödé", "1e3", "007"]


def test_every_remote_id_is_found_as_written_and_only_for_its_helpdesk(engine: Engine) -> None:
    table = table_of(ContactRow)
    with Session(engine) as session, session.begin():
        rows = [
            {
                "name": f"Contact {n}",
                "email": None,
                "customer_id": None,
                "source_system": "zendesk",
                "remote_id": rid,
            }
            for n, rid in enumerate(ODD_IDS)
        ]
        rows.append(
            {
                "name": "Elsewhere",
                "email": None,
                "customer_id": None,
                "source_system": "freshdesk",
                "remote_id": "plain",
            }
        )
        insert_rows(session.connection(), table, rows)
        found = rows_by_remote_id(session.connection(), table, "zendesk", [*ODD_IDS, "1000", "7"], ("name",))
    assert sorted(found) == sorted((rid, f"Contact {n}") for n, rid in enumerate(ODD_IDS))


def test_no_ids_no_query_and_unknown_columns_are_refused(engine: Engine) -> None:
    table = table_of(ContactRow)
    with Session(engine) as session:
        assert rows_by_remote_id(session.connection(), table, "zendesk", [], ("name",)) == []
        with pytest.raises(ValueError, match="no column"):
            rows_by_remote_id(session.connection(), table, "zendesk", ["1"], ("name; DROP TABLE contacts",))
