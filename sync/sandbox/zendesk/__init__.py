"""A sandbox Zendesk Support account: an in-memory store served over HTTP(S) with the recorded shapes.

Use :class:`sync.sandbox.zendesk.server.ZendeskSandbox` to run one; its
``store`` lets tests and the demo act as the customer or another agent.
"""
