"""The effective policy written out as a policy document (what ``handoff policy show`` prints)."""

from __future__ import annotations

from typing import Any

from core.policy.model import Feature, Policy
from core.policy.validation import POLICY_VERSION


def policy_to_tree(policy: Policy) -> dict[str, Any]:
    """``policy`` as a complete version-1 document, every key spelled out (defaults included)."""
    bounds = policy.sync_interval
    tree: dict[str, Any] = {
        "policy_version": POLICY_VERSION,
        "connections": [
            {"kind": preset.kind, "name": preset.name, "url": preset.url, "auth_method": preset.auth_method}
            for preset in policy.connections
        ],
        "allowed_hosts": None if policy.allowed_hosts is None else list(policy.allowed_hosts),
        "sync": {
            "min_interval_minutes": bounds.min_minutes,
            "max_interval_minutes": bounds.max_minutes,
            "default_interval_minutes": bounds.default_minutes,
        },
        "features": {feature.value: policy.feature_enabled(feature) for feature in Feature},
        "updates": {"channel": policy.updates.channel, "url": policy.updates.url},
        "ca_bundle": policy.ca_bundle,
        "locked_settings": sorted(policy.locked_settings),
    }
    return tree
