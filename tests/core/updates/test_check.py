"""What a fetched manifest means: offered only if signed by the release key, newer and for this platform."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from core.updates import (
    ManifestError,
    UpdateFailed,
    UpdateOffer,
    UpdateOutcome,
    UpToDate,
    evaluate_manifest,
    is_newer,
    parse_manifest,
)
from core.updates.manifest import current_platform
from tests.core.updates.manifests import DIGEST, PLATFORM, PUBLIC_KEY, manifest_bytes, signed, tampered


def evaluate(
    data: bytes, signature: bytes | None, current: str = "1.0.0", channel: str = "stable"
) -> UpdateOutcome:
    return evaluate_manifest(
        data,
        signature,
        public_key=PUBLIC_KEY,
        current_version=current,
        channel=channel,
        platform_key=PLATFORM,
    )


def test_a_newer_signed_release_is_offered_with_its_download() -> None:
    outcome = evaluate(*signed(manifest_bytes("9.1.0")))
    assert isinstance(outcome, UpdateOffer)
    assert outcome.version == "9.1.0"
    assert outcome.download.url == "https://example.com/handoff-9.1.0-linux-x86_64.tar.gz"
    assert outcome.download.sha256 == DIGEST
    assert outcome.manifest.published == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert outcome.manifest.notes_url == "https://example.com/handoff/9.1.0"


def test_tampered_and_unsigned_manifests_fail_and_say_why() -> None:
    data, signature = signed(manifest_bytes())
    assert evaluate(tampered(data), signature) == UpdateFailed("signature invalid")
    assert evaluate(data, None) == UpdateFailed("signature missing")
    assert UpdateFailed("signature invalid").message() == "update check failed: signature invalid"


@pytest.mark.parametrize(
    ("current", "offered"), [("9.1.0", False), ("9.2", False), ("9.1.0rc1", True), ("1.0", True)]
)
def test_only_a_newer_version_is_offered(current: str, offered: bool) -> None:
    outcome = evaluate(*signed(manifest_bytes("9.1.0")), current=current)
    assert isinstance(outcome, UpdateOffer) is offered
    if not offered:
        assert outcome == UpToDate(current=current, latest="9.1.0")


def test_pep440_ordering() -> None:
    assert is_newer("1.10", "1.9")
    assert not is_newer("2.0rc1", "2.0")
    assert is_newer("2.0.post1", "2.0")
    assert not is_newer("banana", "1.0") and not is_newer("1.0", "dev build")


def test_a_manifest_of_another_channel_or_without_this_platform_is_not_followed() -> None:
    assert evaluate(*signed(manifest_bytes(channel="beta"))) == UpdateFailed(
        "the manifest is for the beta channel, not stable"
    )
    other = manifest_bytes(
        downloads={"windows-x86_64": {"url": "https://example.com/h.msi", "sha256": DIGEST}}
    )
    assert evaluate(*signed(other)) == UpdateFailed("release 9.1.0 has no download for linux-x86_64")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"manifest_version": 2}, "manifest_version must be 1"),
        ({"product": "other"}, "product must be 'handoff'"),
        ({"version": "soon"}, "version 'soon' is not a PEP 440 version"),
        ({"published": "2026-11-20T09:00:00"}, "published must carry a time zone"),
        ({"notes_url": "http://example.com"}, "notes_url must be an https:// URL"),
        ({"downloads": {}}, "downloads must be an object"),
        ({"downloads": {PLATFORM: {"url": "ftp://x", "sha256": DIGEST}}}, "url must be an https:// URL"),
        ({"downloads": {PLATFORM: {"url": "https://x", "sha256": "abc"}}}, "sha256 must be 64 hexadecimal"),
    ],
)
def test_a_signed_but_malformed_manifest_is_reported(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        parse_manifest(manifest_bytes(**changes))
    outcome = evaluate(*signed(manifest_bytes(**changes)))
    assert isinstance(outcome, UpdateFailed) and outcome.reason.startswith("manifest invalid:")


def test_not_json_is_a_manifest_error() -> None:
    with pytest.raises(ManifestError, match="not JSON"):
        parse_manifest(b"\xff")
    with pytest.raises(ManifestError, match="not a JSON object"):
        parse_manifest(json.dumps([1]).encode())


def test_this_machine_has_a_platform_key() -> None:
    system, _, machine = current_platform().partition("-")
    assert system in {"linux", "windows", "macos"} and machine
