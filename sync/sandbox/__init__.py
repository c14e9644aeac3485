"""Sandbox servers that stand in for real helpdesks on the loopback interface.

They serve the same HTTP shapes as the real services (over real TLS with a
locally made certificate), for tests, benchmarks and ``handoff demo``.
"""
