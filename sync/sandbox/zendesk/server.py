"""``ZendeskSandbox``: a seeded sandbox Zendesk account served on 127.0.0.1 (HTTPS by default).

with ZendeskSandbox(cases=30) as sandbox:
    httpx.get(f"{sandbox.base_url}/api/v2/users/me.json",
              auth=(f"{sandbox.email}/token", sandbox.token),
              verify=ssl.create_default_context(cafile=sandbox.ca_bundle))
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from sync.sandbox.faults import FaultInjector, FaultSpec
from sync.sandbox.runner import LoopbackServer
from sync.sandbox.tls import LocalCertificate, make_certificate
from sync.sandbox.zendesk import errors
from sync.sandbox.zendesk.activity import CustomerActivity
from sync.sandbox.zendesk.app import create_app
from sync.sandbox.zendesk.envelope import DEFAULT_RATE_LIMIT, RateLimit
from sync.sandbox.zendesk.model import END_USER_ID_BASE, USER_ID_BASE, User
from sync.sandbox.zendesk.seed import SeedData, load_seed, seed_store
from sync.sandbox.zendesk.store import ZendeskStore

AGENT_EMAIL = "agent@sandbox.test"
END_USER_EMAIL = "customer@sandbox.test"
API_AGENT_ID = USER_ID_BASE + 999_000
API_END_USER_ID = END_USER_ID_BASE + 999_000
DEFAULT_CASES = 30
DEFAULT_SEED = 1
_TICKET_WRITE = re.compile(r"^/api/v2/tickets/(\d+)\.json$")


class ZendeskSandbox:
    """A seeded store, its HTTP app and a loopback server; a context manager.

    ``email``/``token`` are the agent credentials it accepts (Basic
    ``email/token:TOKEN`` or ``Bearer TOKEN``); ``end_user_email``/
    ``end_user_token`` belong to an end-user (``users/me`` says ``end-user``,
    everything else answers 403). ``ca_bundle`` is the certificate to trust
    (None with ``http=True``). With ``customer_reply_every_s``, customers
    write back on open and pending tickets at that pace while it serves.
    ``rate_limit`` sets the requests per minute the rate-limit headers
    advertise (raise it for benchmarks: clients slow down as it runs out) and
    whether going over it answers 429. ``stop()`` then ``start()`` takes it
    offline and back on the same URL with the same data; leaving the ``with``
    block (or ``close()``) also removes the certificate files.
    """

    def __init__(
        self,
        *,
        cases: int = DEFAULT_CASES,
        seed: int = DEFAULT_SEED,
        http: bool = False,
        port: int = 0,
        faults: FaultSpec | str | None = None,
        seed_data: SeedData | None = None,
        token: str | None = None,
        customer_reply_every_s: float | None = None,
        rate_limit: RateLimit = DEFAULT_RATE_LIMIT,
    ) -> None:
        self.store = ZendeskStore()
        seed_store(self.store, seed_data if seed_data is not None else load_seed(cases, seed))
        self.email = AGENT_EMAIL
        self.token = token or secrets.token_urlsafe(24)
        self.end_user_email = END_USER_EMAIL
        self.end_user_token = secrets.token_urlsafe(24)
        created = self.store.now()
        self.store.add_user(User(API_AGENT_ID, "Sandbox API Agent", self.email, "agent", None, created))
        self.store.add_user(
            User(API_END_USER_ID, "Sandbox Customer", self.end_user_email, "end-user", None, created)
        )
        self.store.add_api_token(self.email, self.token)
        self.store.add_api_token(self.end_user_email, self.end_user_token)
        self.faults = FaultInjector()
        self.set_faults(faults)
        app = create_app(self.store, rate_limit, self.faults, self._conflicting_edit)
        certificate: LocalCertificate | None = None
        self._remove_certificate: Callable[[], object] | None = None
        if not http:
            folder = Path(tempfile.mkdtemp(prefix="handoff-zendesk-sandbox-"))
            # Removed on close(), or when the sandbox is garbage collected or Python exits.
            self._remove_certificate = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
            certificate = make_certificate(folder)
        self._certificate = certificate
        self.server = LoopbackServer(app, certificate, port=port)
        self.customers = (
            CustomerActivity(self.store, customer_reply_every_s, seed) if customer_reply_every_s else None
        )
        """Writes a customer reply every ``customer_reply_every_s`` seconds while serving (None: never)."""

    @property
    def base_url(self) -> str:
        """``https://127.0.0.1:PORT`` (``http://`` with ``http=True``)."""
        return self.server.base_url

    @property
    def ca_bundle(self) -> Path | None:
        """The certificate file a client names as an extra CA bundle (None for plain HTTP)."""
        return self._certificate.cert_path if self._certificate else None

    def set_faults(self, spec: FaultSpec | str | None) -> None:
        """Switch fault injection (a spec or its text; None or "" for none) from the next request on."""
        self.faults.spec = FaultSpec.parse(spec) if isinstance(spec, str) else (spec or FaultSpec())

    def start(self) -> ZendeskSandbox:
        """Serve; returns once connections are accepted."""
        self.store.base_url = ""
        self.server.start()
        self.store.base_url = self.base_url
        if self.customers is not None:
            self.customers.start()
        return self

    def stop(self) -> None:
        """Stop serving (and the customers' replies); :meth:`start` serves again on the same URL."""
        if self.customers is not None:
            self.customers.stop()
        self.server.stop()

    def close(self) -> None:
        """Stop serving and remove the certificate files."""
        self.stop()
        if self._remove_certificate is not None:
            self._remove_certificate()

    def __enter__(self) -> ZendeskSandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _conflicting_edit(self, method: str, path: str) -> None:
        match = _TICKET_WRITE.match(path)
        if method == "PUT" and match:
            # An unknown, deleted or closed ticket: the request answers for itself.
            with contextlib.suppress(errors.ZendeskError):
                self.store.edit_as_other_agent(int(match.group(1)))
