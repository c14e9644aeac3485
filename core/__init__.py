"""Handoff's pure core: domain types, workflow rules, search and the local database.

Nothing in this package imports Qt, httpx or an event loop (checked by import-linter).
"""
