"""A complete, valid policy document (what the README's For IT section shows) for the policy tests."""

from __future__ import annotations

import copy
from typing import Any

FULL_POLICY: dict[str, Any] = {
    "policy_version": 1,
    "connections": [
        {"kind": "zendesk", "name": "Acme Zendesk", "url": "https://acme.zendesk.com", "auth_method": "oauth"}
    ],
    "allowed_hosts": ["acme.zendesk.com", "*.support.acme.com"],
    "sync": {"min_interval_minutes": 5, "max_interval_minutes": 60, "default_interval_minutes": 10},
    "features": {"sla_notifications": True, "tray_icon": True, "demo": False, "update_checks": True},
    "updates": {"channel": "beta", "url": "https://updates.acme.com/handoff/beta/manifest.json"},
    "locked_settings": ["sync.interval_minutes", "updates.channel", "connections", "config.routing"],
}


def full_policy(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`FULL_POLICY` with top-level ``changes`` (None removes a key)."""
    tree = copy.deepcopy(FULL_POLICY)
    for key, value in changes.items():
        if value is None:
            tree.pop(key, None)
        else:
            tree[key] = value
    return tree
