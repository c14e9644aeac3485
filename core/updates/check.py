"""What a fetched manifest means for this installation: an offer, up to date, or a failed check.

The signature is verified first, over the exact bytes fetched, before anything in the manifest
is read: a bad or missing signature is a failed check, never followed.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.updates.manifest import Download, ManifestError, UpdateManifest, parse_manifest
from core.updates.signing import SignatureInvalid, verify_signature
from core.updates.versions import is_newer


@dataclass(frozen=True)
class UpdateOffer:
    """A newer, verified release for this platform."""

    manifest: UpdateManifest
    download: Download

    @property
    def version(self) -> str:
        """The version offered."""
        return self.manifest.version


@dataclass(frozen=True)
class UpToDate:
    """The channel offers nothing newer than ``current``."""

    current: str
    latest: str


@dataclass(frozen=True)
class UpdateFailed:
    """The check failed; ``reason`` is short and shown to the user (``signature invalid``)."""

    reason: str

    def message(self) -> str:
        """What the user reads and the log says."""
        return f"update check failed: {self.reason}"


UpdateOutcome = UpdateOffer | UpToDate | UpdateFailed


def evaluate_manifest(
    manifest_bytes: bytes,
    signature_file: bytes | None,
    *,
    public_key: bytes,
    current_version: str,
    channel: str,
    platform_key: str,
) -> UpdateOutcome:
    """Verify ``manifest_bytes`` against ``public_key``, then compare it with this installation."""
    try:
        verify_signature(public_key, manifest_bytes, signature_file)
    except SignatureInvalid as error:
        return UpdateFailed(str(error))
    try:
        manifest = parse_manifest(manifest_bytes)
    except ManifestError as error:
        return UpdateFailed(f"manifest invalid: {error}")
    if manifest.channel != channel:
        return UpdateFailed(f"the manifest is for the {manifest.channel} channel, not {channel}")
    if not is_newer(manifest.version, current_version):
        return UpToDate(current=current_version, latest=manifest.version)
    download = manifest.download_for(platform_key)
    if download is None:
        return UpdateFailed(f"release {manifest.version} has no download for {platform_key}")
    return UpdateOffer(manifest, download)
