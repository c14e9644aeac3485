"""Verified updates: a signed release manifest, checked at most once a day, offered only if it verifies.

:mod:`core.updates.manifest` reads the manifest; :mod:`core.updates.signing` signs and verifies
it with Ed25519 against the public key built into the app (:mod:`core.updates.keys`);
:mod:`core.updates.check` decides what a fetched manifest means for this installation;
:mod:`core.updates.schedule` says when a check is due and remembers the last one.
The HTTP fetch is :mod:`sync.updates`.
"""

from core.updates.check import UpdateFailed, UpdateOffer, UpdateOutcome, UpToDate, evaluate_manifest
from core.updates.keys import RELEASE_PUBLIC_KEY
from core.updates.manifest import Download, ManifestError, UpdateManifest, parse_manifest
from core.updates.schedule import CHECK_INTERVAL, UpdateState, is_check_due, load_state, save_state
from core.updates.signing import (
    SignatureInvalid,
    generate_key_pair,
    public_key_of,
    sign_manifest,
    verify_signature,
)
from core.updates.source import UpdateSource, update_source
from core.updates.versions import is_newer

__all__ = [
    "CHECK_INTERVAL",
    "RELEASE_PUBLIC_KEY",
    "Download",
    "ManifestError",
    "SignatureInvalid",
    "UpToDate",
    "UpdateFailed",
    "UpdateManifest",
    "UpdateOffer",
    "UpdateOutcome",
    "UpdateSource",
    "UpdateState",
    "evaluate_manifest",
    "generate_key_pair",
    "is_check_due",
    "is_newer",
    "load_state",
    "parse_manifest",
    "public_key_of",
    "save_state",
    "sign_manifest",
    "update_source",
    "verify_signature",
]
