"""Ed25519 signatures of a release manifest: the release manager signs, the app verifies.

The signature is detached: ``manifest.json.sig`` holds the base64 text of the 64-byte Ed25519
signature over the exact bytes of ``manifest.json``. Keys are the raw 32-byte Ed25519 keys.
"""

from __future__ import annotations

import base64
import binascii

# ``cryptography`` is imported inside the functions: the window imports this package at start
# and only needs it, about 30 ms later, when an update check runs.

SIGNATURE_BYTES = 64


class SignatureInvalid(ValueError):
    """The manifest's signature is missing, malformed, or not made by the release key."""


def generate_key_pair() -> tuple[bytes, bytes]:
    """A new (private, public) raw Ed25519 key pair for a release manager (keep the private one offline)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    private = Ed25519PrivateKey.generate()
    private_bytes = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return private_bytes, public_key_of(private_bytes)


def public_key_of(private_key_bytes: bytes) -> bytes:
    """The raw public key that verifies signatures made with ``private_key_bytes``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.from_private_bytes(private_key_bytes)
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign_manifest(private_key_bytes: bytes, manifest_bytes: bytes) -> bytes:
    """The detached signature file's content (base64 text and a newline) for ``manifest_bytes``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signature = Ed25519PrivateKey.from_private_bytes(private_key_bytes).sign(manifest_bytes)
    return base64.b64encode(signature) + b"\n"


def verify_signature(public_key_bytes: bytes, manifest_bytes: bytes, signature_file: bytes | None) -> None:
    """Raise :class:`SignatureInvalid` unless ``signature_file`` is ``public_key_bytes``' signature of
    exactly ``manifest_bytes``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not signature_file or not signature_file.strip():
        raise SignatureInvalid("signature missing")
    try:
        signature = base64.b64decode(signature_file.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureInvalid("signature malformed") from error
    if len(signature) != SIGNATURE_BYTES:
        raise SignatureInvalid("signature malformed")
    try:
        Ed25519PublicKey.from_public_bytes(public_key_bytes).verify(signature, manifest_bytes)
    except InvalidSignature as error:
        raise SignatureInvalid("signature invalid") from error
