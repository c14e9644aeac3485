"""Ed25519 signatures of the manifest: only the release key's signature of the exact bytes verifies."""

from __future__ import annotations

import base64

import pytest

from core.updates import (
    RELEASE_PUBLIC_KEY,
    SignatureInvalid,
    generate_key_pair,
    public_key_of,
    sign_manifest,
    verify_signature,
)
from tests.core.updates.manifests import PRIVATE_KEY, PUBLIC_KEY, manifest_bytes, tampered


def test_a_signature_verifies_against_its_public_key() -> None:
    data = manifest_bytes()
    signature = sign_manifest(PRIVATE_KEY, data)
    assert signature.endswith(b"\n") and len(base64.b64decode(signature)) == 64
    verify_signature(PUBLIC_KEY, data, signature)  # no exception
    assert public_key_of(PRIVATE_KEY) == PUBLIC_KEY


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        (None, "signature missing"),
        (b"  \n", "signature missing"),
        (b"not base64!", "signature malformed"),
        (base64.b64encode(b"short"), "signature malformed"),
    ],
)
def test_missing_or_malformed_signatures_are_refused(signature: bytes | None, reason: str) -> None:
    with pytest.raises(SignatureInvalid, match=reason):
        verify_signature(PUBLIC_KEY, manifest_bytes(), signature)


def test_a_tampered_manifest_or_another_key_is_refused() -> None:
    data = manifest_bytes()
    signature = sign_manifest(PRIVATE_KEY, data)
    with pytest.raises(SignatureInvalid, match="signature invalid"):
        verify_signature(PUBLIC_KEY, tampered(data), signature)
    other_private, _other_public = generate_key_pair()
    with pytest.raises(SignatureInvalid, match="signature invalid"):
        verify_signature(PUBLIC_KEY, data, sign_manifest(other_private, data))


def test_the_built_in_key_does_not_accept_a_test_signature() -> None:
    assert len(RELEASE_PUBLIC_KEY) == 32
    data = manifest_bytes()
    with pytest.raises(SignatureInvalid):
        verify_signature(RELEASE_PUBLIC_KEY, data, sign_manifest(PRIVATE_KEY, data))
