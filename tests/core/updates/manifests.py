"""Building signed release manifests for the update tests (a throwaway key pair per test run)."""

from __future__ import annotations

import json
from typing import Any

from core.updates import generate_key_pair, sign_manifest

PRIVATE_KEY, PUBLIC_KEY = generate_key_pair()
PLATFORM = "linux-x86_64"
DIGEST = "ab" * 32


def manifest_tree(version: str = "9.1.0", channel: str = "stable", **changes: Any) -> dict[str, Any]:
    """A valid manifest document offering ``version`` on ``channel``."""
    tree: dict[str, Any] = {
        "manifest_version": 1,
        "product": "handoff",
        "version": version,
        "channel": channel,
        "published": "2026-11-20T09:00:00Z",
        "notes_url": f"https://example.com/handoff/{version}",
        "downloads": {
            PLATFORM: {"url": f"https://example.com/handoff-{version}-{PLATFORM}.tar.gz", "sha256": DIGEST}
        },
    }
    tree.update(changes)
    return tree


def manifest_bytes(version: str = "9.1.0", channel: str = "stable", **changes: Any) -> bytes:
    """The manifest's exact bytes, as served."""
    return json.dumps(manifest_tree(version, channel, **changes), indent=2).encode()


def signed(data: bytes) -> tuple[bytes, bytes]:
    """``data`` and its detached signature made with the test key."""
    return data, sign_manifest(PRIVATE_KEY, data)


def tampered(data: bytes) -> bytes:
    """``data`` with its version changed after signing (what an attacker on the path would do)."""
    return data.replace(b'"9.1.0"', b'"9.9.9"')
