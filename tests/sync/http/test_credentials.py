"""Secrets live only in the OS keychain; without a usable keychain nothing is stored anywhere."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null
from keyrings.alt.file import PlaintextKeyring

from sync.credentials import (
    SERVICE,
    CredentialStoreUnavailable,
    delete_secret,
    load_secret,
    store_secret,
)
from sync.http import redact_text
from tests.conftest import MemoryKeyring


def test_a_stored_secret_is_in_the_keychain_under_handoff(memory_keyring: MemoryKeyring) -> None:
    store_secret("Acme Zendesk", "zd-token-abc123")

    assert memory_keyring.secrets == {(SERVICE, "Acme Zendesk"): "zd-token-abc123"}
    assert load_secret("Acme Zendesk") == "zd-token-abc123"


def test_storing_again_replaces_the_secret() -> None:
    store_secret("Acme", "first-token-1")
    store_secret("Acme", "second-token-2")

    assert load_secret("Acme") == "second-token-2"


def test_an_unknown_connection_has_no_secret() -> None:
    assert load_secret("Nobody") is None


def test_deleting_removes_the_secret_and_deleting_twice_is_harmless() -> None:
    store_secret("Acme", "zd-token-abc123")

    delete_secret("Acme")
    delete_secret("Acme")

    assert load_secret("Acme") is None


def test_a_loaded_secret_is_masked_in_logs(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.secrets[(SERVICE, "Old")] = "stored-before-start-99"

    load_secret("Old")

    assert "stored-before-start-99" not in redact_text("using stored-before-start-99")


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring], ids=["fail", "null"])
def test_no_keychain_is_a_clear_error(backend: type[keyring.backend.KeyringBackend]) -> None:
    keyring.set_keyring(backend())

    with pytest.raises(CredentialStoreUnavailable) as raised:
        store_secret("Acme", "zd-token-abc123")

    assert "cannot keep your sign-in safe" in raised.value.user_message
    assert "keychain" in raised.value.user_message
    with pytest.raises(CredentialStoreUnavailable):
        load_secret("Acme")


def test_a_plaintext_file_keyring_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "keyring_pass.cfg")
    keyring.set_keyring(plaintext)

    with pytest.raises(CredentialStoreUnavailable) as raised:
        store_secret("Acme", "zd-token-abc123")

    assert "file" in raised.value.user_message
    assert list(tmp_path.iterdir()) == []


def test_a_locked_keychain_is_a_clear_error(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("the keychain is locked")

    monkeypatch.setattr(memory_keyring, "set_password", locked)

    with pytest.raises(CredentialStoreUnavailable) as raised:
        store_secret("Acme", "zd-token-abc123")

    assert "locked" in raised.value.user_message
