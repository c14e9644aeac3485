"""Shared helpers for the transfer tests: export to a document, import one, count rows, mutate a case."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.transfer import ImportReport, ImportValidationError, export_json, import_json

Document = dict[str, Any]


def export_document(engine: Engine, exported_at: datetime) -> Document:
    """The JSON export of the workspace behind ``engine``, parsed."""
    out = io.StringIO()
    with Session(engine) as session:
        export_json(session, out, exported_at=exported_at)
    document: Document = json.loads(out.getvalue())
    return document


def import_document(engine: Engine, document: object) -> ImportReport:
    """Import ``document`` into the workspace behind ``engine`` on its own DB thread."""
    db = DbRunner(engine)
    try:
        return db.write(import_json, document).result()
    finally:
        db.shutdown()


def refusal_of_import(engine: Engine, document: Document, mutate: Callable[[Document], None]) -> str:
    """Why importing a copy of ``document`` changed by ``mutate`` is refused (it must be)."""
    broken = copy.deepcopy(document)
    mutate(broken)
    with pytest.raises(ImportValidationError) as refused:
        import_document(engine, broken)
    return str(refused.value)


def count_rows(engine: Engine, table: type[Any]) -> int:
    """How many rows ``table`` holds."""
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def set_in_first_case(path: str, value: object) -> Callable[[Document], None]:
    """A mutation that sets ``path`` (dotted, with list indexes) in the first case."""

    def mutate(document: Document) -> None:
        *parents, last = path.split(".")
        target: Any = document["cases"][0]
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return mutate
