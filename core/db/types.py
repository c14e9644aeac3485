"""Column types shared by the ORM models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime, stored as naive UTC ISO text so that it sorts as text."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def format_utc(value: datetime) -> str:
    """``value`` as the text SQLite stores for a :class:`UtcDateTime` column (for raw SQL)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def column_text(value: datetime) -> str:
    """``value`` as exactly the text SQLAlchemy writes for a :class:`UtcDateTime` column
    (microseconds always present), for rows inserted without it (:func:`core.db.bulk.insert_rows`).
    A naive ``value`` is refused, as the column type refuses it."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r} given where UTC is required")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def parse_utc(value: str | datetime) -> datetime:
    """A :class:`UtcDateTime` column's stored text (from raw SQL) as an aware UTC datetime."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
