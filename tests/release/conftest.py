"""Release-test fixtures: a throwaway OpenPGP signing key in its own short-lived GNUPGHOME."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

_KEY_PARAMETERS = """\
Key-Type: eddsa
Key-Curve: ed25519
Key-Usage: sign
Name-Real: {name}
Name-Email: test@handoff.invalid
Expire-Date: 1d
{protection}
%commit
"""


@dataclass(frozen=True)
class ThrowawayKey:
    """A signing key, its GNUPGHOME and its exported public key."""

    home: Path
    fingerprint: str
    public_key: Path


def make_key(name: str, passphrase: str | None = None) -> ThrowawayKey:
    """A new key in a new GNUPGHOME (a short path: gpg-agent's socket path has a length limit)."""
    protection = f"Passphrase: {passphrase}" if passphrase else "%no-protection"
    home = Path(tempfile.mkdtemp(prefix="hgpg-"))
    home.chmod(0o700)
    base = ["gpg", "--batch", "--homedir", str(home)]
    parameters = _KEY_PARAMETERS.format(name=name, protection=protection)
    generate = [*base, "--pinentry-mode", "loopback", "--gen-key"]
    try:
        subprocess.run(generate, input=parameters, text=True, check=True, capture_output=True)
    except subprocess.CalledProcessError:
        shutil.rmtree(home, ignore_errors=True)
        raise
    listed = subprocess.run([*base, "--with-colons", "--list-secret-keys"], capture_output=True, text=True)
    fingerprint = next(line.split(":")[9] for line in listed.stdout.splitlines() if line.startswith("fpr:"))
    public_key = home / "public.asc"
    exported = subprocess.run([*base, "--armor", "--export", fingerprint], capture_output=True, check=True)
    public_key.write_bytes(exported.stdout)
    return ThrowawayKey(home, fingerprint, public_key)


def drop_key(key: ThrowawayKey) -> None:
    subprocess.run(["gpgconf", "--homedir", str(key.home), "--kill", "all"], capture_output=True, check=False)
    shutil.rmtree(key.home, ignore_errors=True)


@pytest.fixture(scope="module")
def release_key() -> Iterator[ThrowawayKey]:
    key = make_key("Handoff test release key")
    yield key
    drop_key(key)


@pytest.fixture(scope="module")
def stranger_key() -> Iterator[ThrowawayKey]:
    key = make_key("Somebody else")
    yield key
    drop_key(key)


@pytest.fixture
def signing_env(release_key: ThrowawayKey, monkeypatch: pytest.MonkeyPatch) -> ThrowawayKey:
    """GNUPGHOME and HANDOFF_SIGNING_KEY set to the throwaway release key."""
    monkeypatch.setenv("GNUPGHOME", str(release_key.home))
    monkeypatch.setenv("HANDOFF_SIGNING_KEY", release_key.fingerprint)
    return release_key
