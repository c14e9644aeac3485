"""The release manifest: which version a channel offers, and a checksummed download per platform.

Format (JSON, ``manifest_version`` 1)::

    {"manifest_version": 1, "product": "handoff", "version": "1.3.0", "channel": "stable",
     "published": "2026-12-01T09:00:00Z", "notes_url": "https://…/1.3.0",
     "downloads": {"linux-x86_64": {"url": "https://…/handoff-1.3.0-linux-x86_64.tar.gz",
                                    "sha256": "…64 hex digits…"}}}
"""

from __future__ import annotations

import json
import platform
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from core.updates.versions import parse_version

MANIFEST_VERSION = 1
PRODUCT = "handoff"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PLATFORM = re.compile(r"^[a-z]+-[a-z0-9_]+$")


class ManifestError(ValueError):
    """A manifest that cannot be used (names the field that is wrong)."""


@dataclass(frozen=True)
class Download:
    """Where one platform's package is, and the SHA-256 it must have."""

    url: str
    sha256: str


@dataclass(frozen=True)
class UpdateManifest:
    """A verified manifest's content."""

    version: str
    channel: str
    published: datetime
    notes_url: str | None
    downloads: Mapping[str, Download]

    def download_for(self, platform_key: str) -> Download | None:
        """The download for ``platform_key`` (``linux-x86_64``), if the release has one."""
        return self.downloads.get(platform_key)


def current_platform() -> str:
    """This machine's platform key in a manifest: ``linux-x86_64``, ``windows-x86_64``, ``macos-arm64``."""
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def parse_manifest(data: bytes) -> UpdateManifest:
    """The manifest in ``data``; raises :class:`ManifestError` naming the first wrong field."""
    try:
        tree = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"manifest is not JSON ({error})") from error
    if not isinstance(tree, dict):
        raise ManifestError("manifest is not a JSON object")
    if tree.get("manifest_version") != MANIFEST_VERSION:
        raise ManifestError(f"manifest_version must be {MANIFEST_VERSION}")
    if tree.get("product") != PRODUCT:
        raise ManifestError(f"product must be {PRODUCT!r}")
    version = _text(tree, "version")
    if parse_version(version) is None:
        raise ManifestError(f"version {version!r} is not a PEP 440 version")
    notes_url = tree.get("notes_url")
    if notes_url is not None and not _is_web_url(notes_url):
        raise ManifestError("notes_url must be an https:// URL")
    return UpdateManifest(
        version=version,
        channel=_text(tree, "channel"),
        published=_published(tree.get("published")),
        notes_url=notes_url,
        downloads=_downloads(tree.get("downloads")),
    )


def _text(tree: Mapping[str, Any], key: str) -> str:
    value = tree.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ManifestError(f"{key} must be a non-empty text")
    return value.strip()


def _published(value: object) -> datetime:
    if not isinstance(value, str):
        raise ManifestError("published must be an ISO 8601 date and time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise ManifestError("published must be an ISO 8601 date and time") from error
    if moment.tzinfo is None:
        raise ManifestError("published must carry a time zone (Z for UTC)")
    return moment.astimezone(UTC)


def _downloads(value: object) -> dict[str, Download]:
    if not isinstance(value, dict) or not value:
        raise ManifestError("downloads must be an object with one entry per platform")
    downloads = {}
    for key, entry in value.items():
        if not isinstance(key, str) or not _PLATFORM.match(key):
            raise ManifestError(f"downloads: {key!r} is not a platform such as linux-x86_64")
        if not isinstance(entry, dict):
            raise ManifestError(f"downloads.{key} must be an object with url and sha256")
        url, digest = entry.get("url"), entry.get("sha256")
        if not _is_web_url(url):
            raise ManifestError(f"downloads.{key}.url must be an https:// URL")
        if not isinstance(digest, str) or not _SHA256.match(digest.lower()):
            raise ManifestError(f"downloads.{key}.sha256 must be 64 hexadecimal digits")
        downloads[key] = Download(url=str(url), sha256=digest.lower())
    return downloads


def _is_web_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname)
