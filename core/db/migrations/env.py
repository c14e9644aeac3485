"""Alembic environment: runs on the connection Handoff passes in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from core.db.models import Base

connection = context.config.attributes["connection"]


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate ignores the full-text index: migrations manage it by hand (it is not in the ORM)."""
    return not (type_ == "table" and name is not None and name.startswith("case_fts"))


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
