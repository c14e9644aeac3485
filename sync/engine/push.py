"""Delivering one outbox entry exactly once, and recording how it went.

An entry that has been handed to the network before (in flight after an interruption, or
retried after a failure that may have happened once the server applied it) is first looked
for on the helpdesk (``find_delivered``); only when it did not land is it sent again. The
entry is marked ``in_flight`` (and committed) before the request leaves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from core.domain.enums import OutboxState
from core.outbox import OutboxEntry
from core.remote.delivery import DeliveryTarget
from sync.connectors.base import Connector, PushConflict, PushRejected
from sync.engine.schedule import entry_retry_at
from sync.engine.store import SyncStore
from sync.http import AuthFailed, BadResponse, RateLimited, Retryable, SyncHttpError, TlsFailure

log = logging.getLogger("handoff.sync.engine")

Clock = Callable[[], datetime]


class Outcome(Enum):
    """How one delivery attempt ended for the entry."""

    DELIVERED = "delivered"  # the helpdesk has it (sent now, or found already there)
    FAILED = "failed"  # refused (422/400): the user decides
    CONFLICT = "conflict"  # the ticket changed meanwhile (409): the user resolves it
    RETRY = "retry"  # a temporary failure: rescheduled; the host is in trouble, stop this round


@dataclass(frozen=True)
class Delivery:
    """The outcome of one entry and, for a retry, the failure behind it."""

    outcome: Outcome
    error: SyncHttpError | None = None


def was_sent_before(entry: OutboxEntry) -> bool:
    """Whether the entry may already be on the helpdesk (it went to the network at least once)."""
    return entry.state == OutboxState.IN_FLIGHT or entry.attempts > 0


async def deliver(
    store: SyncStore,
    connector: Connector,
    entry: OutboxEntry,
    target: DeliveryTarget,
    *,
    clock: Clock,
    random: Callable[[], float],
) -> Delivery:
    """Deliver ``entry`` to ``target`` once; see the module docstring.

    ``AuthFailed`` and ``TlsFailure`` are raised after the entry is rescheduled: they concern
    the whole connection, not this entry.
    """
    try:
        if was_sent_before(entry):
            found = await connector.find_delivered(entry, target)
            if found is not None:
                log.info("outbox entry %s had already landed; not sending it again", entry.id)
                await store.mark_delivered(entry, found, clock())
                return Delivery(Outcome.DELIVERED)
        await store.mark_sending(entry, clock())
        result = await connector.push(entry, target)
    except PushConflict as conflict:
        await store.mark_conflict(entry, conflict.conflict)
        return Delivery(Outcome.CONFLICT)
    except PushRejected as rejected:
        await store.mark_failed(entry, rejected.message)
        return Delivery(Outcome.FAILED)
    except RateLimited as limited:
        when = clock() + timedelta(seconds=limited.retry_after)
        await store.mark_retry(entry, limited.user_message, when)
        return Delivery(Outcome.RETRY, limited)
    except (Retryable, BadResponse) as trouble:
        # BadResponse: a 2xx the connector could not read. It may have landed; the next try
        # looks for it first (the entry now counts one attempt).
        next_try = entry_retry_at(clock(), entry.attempts + 1, random)
        await store.mark_retry(entry, trouble.user_message, next_try)
        return Delivery(Outcome.RETRY, trouble)
    except (AuthFailed, TlsFailure) as stop:
        await store.mark_retry(entry, stop.user_message, clock())
        raise
    except SyncHttpError as refused:  # 404 (ticket gone), other 4xx the connector did not map
        await store.mark_failed(entry, refused.user_message)
        return Delivery(Outcome.FAILED)
    await store.mark_delivered(entry, result, clock())
    return Delivery(Outcome.DELIVERED)
