"""A ticket's version as text (what optimistic concurrency sends back) and as the case's moment.

The version is kept on ``cases.remote_updated_at`` (an aware UTC datetime) and handed to the
connector as ISO-8601 UTC text ending in ``Z`` (Zendesk's ``updated_stamp``:
``2026-11-02T09:00:00Z``; fractions of a second only when the helpdesk gave them).
"""

from __future__ import annotations

from datetime import UTC, datetime


def version_moment(version: str | None) -> datetime | None:
    """The moment ``version`` names (ISO-8601 text), or None when it is not a moment."""
    if not version:
        return None
    text = version.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def version_text(moment: datetime | None) -> str | None:
    """``moment`` as the version text a push is based on (None: the ticket was never pulled)."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC)
    if utc.microsecond:
        return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
