"""Where and whether to check for updates, from the policy and the user's preferences.

The manifest URL is the policy's ``updates.url`` or :data:`DEFAULT_MANIFEST_URL` (none yet:
Handoff has no public update server, so without a policy URL no check is made); ``{channel}``
in it is replaced by the channel. The signature is at the same URL with ``.sig`` appended.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.policy.model import Feature, Policy
from core.policy.preferences import Preferences

DEFAULT_MANIFEST_URL: str | None = None
SIGNATURE_SUFFIX = ".sig"


@dataclass(frozen=True)
class UpdateSource:
    """The channel followed and the URLs of its manifest and detached signature."""

    channel: str
    manifest_url: str

    @property
    def signature_url(self) -> str:
        """Where the manifest's detached signature is."""
        return self.manifest_url + SIGNATURE_SUFFIX


def update_source(policy: Policy, preferences: Preferences) -> UpdateSource | None:
    """Where to check, or None when checks are off (by policy or by the user) or there is no URL."""
    if not policy.feature_enabled(Feature.UPDATE_CHECKS) or not preferences.update_checks:
        return None
    template = policy.updates.url or DEFAULT_MANIFEST_URL
    if template is None:
        return None
    channel = preferences.update_channel
    return UpdateSource(channel=channel, manifest_url=template.replace("{channel}", channel))
