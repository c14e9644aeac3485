"""Sandbox servers that stand in for real helpdesks on the loopback interface.

They serve the same HTTP shapes as the real services, over real TLS with a
locally made certificate, for tests, benchmarks, ``handoff sandbox`` and
``handoff demo``:

- :mod:`sync.sandbox.tls`: ``make_certificate(directory)``, a self-signed
  certificate for 127.0.0.1/localhost that clients name as an extra CA bundle.
- :mod:`sync.sandbox.runner`: ``LoopbackServer``, any ASGI app served by
  uvicorn from a background thread (HTTPS or HTTP, restartable on its port).
- :mod:`sync.sandbox.faults`: ``FaultSpec``/``FaultInjector``/``FaultMiddleware``,
  seeded 429s, server errors, slow answers, dropped connections and conflicts.
- :mod:`sync.sandbox.zendesk`: ``ZendeskSandbox``, a seeded Zendesk Support account.
"""
