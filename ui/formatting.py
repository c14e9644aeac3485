"""Locale-aware formatting of numbers, money, sizes and times for display.

Times arrive from the core as aware UTC datetimes and are shown in the local
time zone. When the process runs in the bare ``C`` locale (CI, containers),
US English conventions are used so numbers still get group separators.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale


def ui_locale() -> QLocale:
    """The locale to format with: the system's, or US English instead of the bare C locale."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


def _tr(text: str) -> str:
    return QCoreApplication.translate("Formatting", text)


def format_count(value: int) -> str:
    """``1234`` as ``"1,234"`` (with the locale's group separator)."""
    return ui_locale().toString(value)


def format_money(cents: int, currency_symbol: str = "$") -> str:
    """An amount in cents as whole currency units, e.g. ``"$120,000"``."""
    return ui_locale().toCurrencyString(cents / 100, currency_symbol, 0)


def format_file_size(size_bytes: int) -> str:
    """``12_345`` as ``"12.1 KB"``."""
    return ui_locale().formattedDataSize(size_bytes, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def _to_qdatetime(when: datetime) -> QDateTime:
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return QDateTime.fromMSecsSinceEpoch(round(aware.timestamp() * 1000)).toLocalTime()


def format_timestamp(when: datetime) -> str:
    """The full local date and time, e.g. ``"Monday, November 2, 2026 at 10:00:00 AM CET"``."""
    return ui_locale().toString(_to_qdatetime(when), QLocale.FormatType.LongFormat)


def format_short_timestamp(when: datetime) -> str:
    """A compact local date and time, e.g. ``"11/2/26 10:00 AM"``."""
    return ui_locale().toString(_to_qdatetime(when), QLocale.FormatType.ShortFormat)


def format_date(value: date) -> str:
    """A calendar date in the locale's short form."""
    return ui_locale().toString(QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat)


def format_relative(when: datetime, now: datetime) -> str:
    """How long ago ``when`` was: ``"just now"``, ``"5 min ago"``, ``"3 h ago"``, ``"2 d ago"`` or a date."""
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return _tr("just now")
    minutes = int(seconds // 60)
    if minutes < 60:
        return _tr("{0} min ago").format(minutes)
    hours = minutes // 60
    if hours < 24:
        return _tr("{0} h ago").format(hours)
    days = hours // 24
    if days < 7:
        return _tr("{0} d ago").format(days)
    local = _to_qdatetime(when).date()
    return ui_locale().toString(local, QLocale.FormatType.ShortFormat)


def format_duration(seconds: int) -> str:
    """A whole-minute span: ``"35 min"``, ``"2 h 10 min"``, ``"2 h"``, ``"3 d 4 h"``."""
    minutes = seconds // 60
    if minutes < 60:
        return _tr("{0} min").format(minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _tr("{0} h {1} min").format(hours, minutes) if minutes else _tr("{0} h").format(hours)
    days, hours = divmod(hours, 24)
    return _tr("{0} d {1} h").format(days, hours) if hours else _tr("{0} d").format(days)


def format_time_left(seconds: float) -> str:
    """Time until a deadline: ``"in 2 h 10 min"``, ``"in < 1 min"``; once past: ``"overdue 35 min"``.

    Whole minutes, rounded down (the display moves on once a minute).
    """
    if seconds >= 0:
        whole = int(seconds)
        return _tr("in < 1 min") if whole < 60 else _tr("in {0}").format(format_duration(whole))
    whole = int(-seconds)
    return _tr("overdue < 1 min") if whole < 60 else _tr("overdue {0}").format(format_duration(whole))


def format_due_time(when: datetime, now: datetime) -> str:
    """A deadline in local time: just the time (``"2:30 PM"``) when it falls today, else date and time."""
    local = _to_qdatetime(when)
    if local.date() == _to_qdatetime(now).date():
        return ui_locale().toString(local.time(), QLocale.FormatType.ShortFormat)
    return ui_locale().toString(local, QLocale.FormatType.ShortFormat)
