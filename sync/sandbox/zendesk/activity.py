"""Customers who write back now and then: new replies on open tickets, for the demo's live sync.

:class:`CustomerActivity` adds a customer reply to a random open or pending
ticket every ``interval_s`` seconds (from a background thread), or once per
:meth:`CustomerActivity.step` call in tests.
"""

from __future__ import annotations

import random
import threading

from sync.sandbox.zendesk.store import ZendeskStore

FOLLOW_UPS = (
    "Hi,\n\nany update on this? It is still happening on our side.\n\nThanks,\n{name}",
    "Hello,\n\nwe tried the steps you sent, but the problem is back since this morning.\n\nRegards,\n{name}",
    "Hi again,\n\nquick update: it now also affects two more of our teams.\n\n{name}",
    "Hello,\n\njust checking whether you need more information from us.\n\nBest,\n{name}",
    "Hi,\n\nthis is getting urgent for us, our month-end close depends on it.\n\nThank you,\n{name}",
)
_REPLY_STATUSES = ("open", "pending")


class CustomerActivity:
    """Adds a customer reply to a random open or pending ticket on each step (deterministic per seed)."""

    def __init__(self, store: ZendeskStore, interval_s: float, seed: int = 0) -> None:
        if interval_s <= 0:
            raise ValueError(f"the interval must be positive, not {interval_s}")
        self._store = store
        self._interval_s = interval_s
        self._random = random.Random(seed)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> int | None:
        """Add one reply; the ticket id, or None when no ticket is open or pending."""
        candidates = [
            ticket_id
            for ticket_id in self._store.ticket_ids
            if self._store.ticket(ticket_id)["status"] in _REPLY_STATUSES
        ]
        if not candidates:
            return None
        ticket_id = self._random.choice(candidates)
        requester = self._store.user(int(str(self._store.ticket(ticket_id)["requester_id"])))
        first_name = str(requester["name"]).split()[0]
        self._store.add_customer_reply(ticket_id, self._random.choice(FOLLOW_UPS).format(name=first_name))
        return ticket_id

    def start(self) -> None:
        """Reply every ``interval_s`` seconds from a daemon thread until :meth:`stop` (may start again)."""
        if self._thread is not None:
            raise RuntimeError("The customer activity was already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sandbox-customers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop replying and join the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            self.step()
