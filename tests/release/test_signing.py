"""Signatures with a throwaway key: good ones verify, tampered files and strangers' keys do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.release.signing import check_signing_key, sign_detached, verify_signature
from desktop.release.tools import ReleaseError
from desktop.release.verify import import_public_key
from tests.release.conftest import ThrowawayKey


def test_a_detached_signature_is_ascii_armoured_and_verifies(
    tmp_path: Path, signing_env: ThrowawayKey
) -> None:
    artifact = tmp_path / "handoff.tar.gz"
    artifact.write_bytes(b"release bytes")

    signature = sign_detached(artifact, signing_env.fingerprint)

    assert signature.name == "handoff.tar.gz.asc"
    assert signature.read_text().startswith("-----BEGIN PGP SIGNATURE-----")
    verdict = verify_signature(signature, artifact)
    assert verdict.ok
    assert verdict.detail == signing_env.fingerprint


def test_a_changed_file_fails_with_a_bad_signature(tmp_path: Path, signing_env: ThrowawayKey) -> None:
    artifact = tmp_path / "SHA256SUMS"
    artifact.write_text("abc  handoff.deb\n")
    signature = sign_detached(artifact, signing_env.fingerprint)

    artifact.write_text("abd  handoff.deb\n")

    verdict = verify_signature(signature, artifact)
    assert not verdict.ok
    assert verdict.detail.startswith("BAD signature")


def test_a_signature_by_a_key_not_trusted_is_refused(
    tmp_path: Path, signing_env: ThrowawayKey, stranger_key: ThrowawayKey
) -> None:
    artifact = tmp_path / "handoff.deb"
    artifact.write_bytes(b"deb")
    signature = sign_detached(artifact, signing_env.fingerprint)
    only_stranger = tmp_path / "gnupg"
    import_public_key(stranger_key.public_key, only_stranger)

    verdict = verify_signature(signature, artifact, only_stranger)

    assert not verdict.ok
    assert "not in the keyring" in verdict.detail


def test_a_signing_key_missing_from_gnupghome_is_named(signing_env: ThrowawayKey) -> None:
    assert check_signing_key(signing_env.fingerprint) == signing_env.fingerprint
    with pytest.raises(ReleaseError, match="HANDOFF_SIGNING_KEY='0123456789ABCDEF' names no secret key"):
        check_signing_key("0123456789ABCDEF")


def test_a_file_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    not_a_key = tmp_path / "key.asc"
    not_a_key.write_text("hello")
    with pytest.raises(ReleaseError, match="is not an OpenPGP public key"):
        import_public_key(not_a_key, tmp_path / "gnupg")
