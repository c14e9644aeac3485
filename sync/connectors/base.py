"""The one interface every helpdesk connector implements (Zendesk first; Freshdesk, Intercom and
Salesforce follow the same shape).

CONTRACT (signatures fixed; the Zendesk-connector helper implements it, the engine helper calls it).

A connector talks HTTP through :class:`sync.http.ApiClient` only and maps vendor payloads to
:mod:`core.remote.dtos` (vendor field names never leak past it). HTTP failures surface as
:mod:`sync.http` errors (``AuthFailed``, ``Retryable``, ``RateLimited``, ``Unreachable``,
``TlsFailure``, ``Rejected``...); a refused push raises :class:`PushConflict` or
:class:`PushRejected`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.outbox import OutboxEntry
from core.remote.delivery import DeliveryTarget
from core.remote.dtos import Conflict, PushResult, RemotePage


@dataclass(frozen=True)
class AccountCheck:
    """What "Test connection" found: who signed in and whether they may work tickets."""

    user_name: str
    user_email: str | None
    is_agent: bool  # an end-user credential cannot sync


class PushConflict(Exception):
    """The ticket changed since the version the push was based on (Zendesk 409 on safe_update)."""

    def __init__(self, conflict: Conflict) -> None:
        super().__init__("the ticket changed on the helpdesk since it was last pulled")
        self.conflict = conflict


class PushRejected(Exception):
    """The helpdesk refused the change (Zendesk 422/400); ``message`` is its own words, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Connector(Protocol):
    """Pull pages of changes since a cursor; push one outbox entry at a time, exactly once."""

    kind: str  # the SourceSystem value of the helpdesk ("zendesk")

    async def check(self) -> AccountCheck:
        """Who the credentials belong to (``users/me``).

        Raises ``AuthFailed``, ``Unreachable`` or ``TlsFailure`` (:mod:`sync.http`).
        """
        ...

    async def pull(self, cursor: str | None) -> RemotePage:
        """The next page of changes after ``cursor`` (None: the first sync), with its new cursor."""
        ...

    async def push(self, entry: OutboxEntry, target: DeliveryTarget) -> PushResult:
        """Deliver one entry, carrying its idempotency marker where the helpdesk keeps it (a comment's
        text/metadata); raises :class:`PushConflict`, :class:`PushRejected` or an HTTP error."""
        ...

    async def find_delivered(self, entry: OutboxEntry, target: DeliveryTarget) -> PushResult | None:
        """Whether an entry interrupted in flight already landed (its marker found on the ticket's
        comments or audits); None: it did not, send it again."""
        ...

    async def aclose(self) -> None:
        """Close the HTTP client."""
        ...
