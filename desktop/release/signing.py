"""OpenPGP signatures: detached armoured ``.asc`` files, the .deb's ``debsigs`` signature, checking both.

The signing key is named by ``HANDOFF_SIGNING_KEY`` (key id or fingerprint) and must have its
secret part in the keyring of ``GNUPGHOME`` (gpg's default home when unset). A key protected by
a passphrase needs it cached in gpg-agent, or ``HANDOFF_SIGNING_PASSPHRASE_FILE`` naming a file
holding it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desktop.release.tools import ReleaseError, require, run

KEY_ENV = "HANDOFF_SIGNING_KEY"
PASSPHRASE_FILE_ENV = "HANDOFF_SIGNING_PASSPHRASE_FILE"
SIGNATURE_SUFFIX = ".asc"
DEB_SIGNATURE_MEMBER = "_gpgorigin"  # debsigs' origin signature inside the .deb's ar archive


def signing_key_from_env() -> str | None:
    """The key id or fingerprint the release signs with, or None for an unsigned build."""
    return os.environ.get(KEY_ENV, "").strip() or None


def check_signing_key(key: str) -> str:
    """The fingerprint of ``key``'s secret key in GNUPGHOME; a :class:`ReleaseError` when it is not there."""
    try:
        listed = run(["gpg", "--batch", "--with-colons", "--list-secret-keys", key])
    except ReleaseError:
        home = os.environ.get("GNUPGHOME", "~/.gnupg")
        raise ReleaseError(
            f"{KEY_ENV}={key!r} names no secret key in the keyring of GNUPGHOME ({home}); "
            "import the key there or fix the variable"
        ) from None
    for line in listed.stdout.decode().splitlines():
        if line.startswith("fpr:"):
            return line.split(":")[9]
    raise ReleaseError(f"gpg lists no fingerprint for {key!r}")


def _passphrase_args() -> list[str]:
    passphrase_file = os.environ.get(PASSPHRASE_FILE_ENV)
    if not passphrase_file:
        return []
    return ["--pinentry-mode", "loopback", "--passphrase-file", passphrase_file]


def unlock_signing_key(key: str) -> None:
    """Sign a few bytes once so that gpg-agent holds the passphrase (debsigs runs gpg without one).

    Nothing to do for a key without a passphrase or one already cached; a wrong passphrase
    stops the release here, before it builds anything.
    """
    if not _passphrase_args():
        return
    try:
        run(
            ["gpg", "--batch", *_passphrase_args(), "--local-user", key, "--detach-sign", "--output", "-"],
            input_bytes=b"unlock",
        )
    except ReleaseError as error:
        raise ReleaseError(f"cannot sign with {key} using {PASSPHRASE_FILE_ENV}: {error}") from None


def sign_detached(path: Path, key: str) -> Path:
    """Write ``path.asc``, an ASCII-armoured detached signature of ``path`` by ``key``."""
    signature = path.with_name(path.name + SIGNATURE_SUFFIX)
    run(
        [
            "gpg", "--batch", "--yes", *_passphrase_args(), "--local-user", key,
            "--armor", "--detach-sign", "--output", signature, path,
        ]
    )  # fmt: skip
    return signature


def sign_deb(deb: Path, key: str) -> None:
    """Add debsigs' origin signature (``_gpgorigin``) to the .deb, in place."""
    run(["debsigs", "--sign=origin", "-k", key, deb])


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one signature."""

    ok: bool
    detail: str  # the signer's fingerprint when ok, else what is wrong


def verify_signature(signature: Path, data: Path | bytes, gnupg_home: Path | None = None) -> Verdict:
    """Check a detached signature over a file (or bytes) against the keys of ``gnupg_home`` (or GNUPGHOME)."""
    home = ["--homedir", str(gnupg_home)] if gnupg_home is not None else []
    source = "-" if isinstance(data, bytes) else str(data)
    # --no-autostart: checking a signature needs no gpg-agent, so none is left running afterwards
    command = [require("gpg"), "--batch", "--no-autostart", *home, "--status-fd", "1", "--verify"]
    command += [str(signature), source]
    completed = subprocess.run(
        command,
        input=data if isinstance(data, bytes) else None,
        capture_output=True,
        check=False,
    )
    status = completed.stdout.decode(errors="replace").splitlines()
    valid = [line.split()[2] for line in status if line.startswith("[GNUPG:] VALIDSIG ")]
    if completed.returncode == 0 and valid:
        return Verdict(True, valid[0])
    if any(line.startswith("[GNUPG:] BADSIG ") for line in status):
        return Verdict(False, "BAD signature: the file does not match what was signed")
    if any(line.startswith(("[GNUPG:] NO_PUBKEY ", "[GNUPG:] ERRSIG ")) for line in status):
        return Verdict(False, "signed by a key that is not in the keyring (import the Handoff release key)")
    message = completed.stderr.decode(errors="replace").strip().splitlines()
    return Verdict(False, f"not a valid signature ({message[-1] if message else 'gpg failed'})")


def deb_signed_bytes(deb: Path) -> tuple[bytes, bytes] | None:
    """The debsigs signature of a .deb and the bytes it signs (its members in order), or None if unsigned."""
    members = run(["ar", "t", deb]).stdout.decode().split()
    if DEB_SIGNATURE_MEMBER not in members:
        return None
    signature = run(["ar", "p", deb, DEB_SIGNATURE_MEMBER]).stdout
    signed = b"".join(run(["ar", "p", deb, name]).stdout for name in members if not name.startswith("_gpg"))
    return signature, signed


def verify_deb_signature(deb: Path, gnupg_home: Path | None = None) -> Verdict:
    """Check the .deb's debsigs origin signature (what ``debsig-verify`` checks, without its policy files)."""
    found = deb_signed_bytes(deb)
    if found is None:
        return Verdict(False, "the .deb carries no debsigs signature")
    signature, signed = found
    with tempfile.TemporaryDirectory() as folder:
        signature_file = Path(folder) / DEB_SIGNATURE_MEMBER
        signature_file.write_bytes(signature)
        return verify_signature(signature_file, signed, gnupg_home)
