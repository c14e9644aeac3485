"""The policy this process runs under, set once at start by the entry point (defaults until then)."""

from __future__ import annotations

from core.policy.model import DEFAULT_POLICY, Policy

_current: Policy = DEFAULT_POLICY


def current_policy() -> Policy:
    """The policy read at start (:data:`DEFAULT_POLICY` if none was set)."""
    return _current


def set_current_policy(policy: Policy) -> None:
    """Make ``policy`` the one every part of the app consults (the entry point calls it once)."""
    global _current
    _current = policy
