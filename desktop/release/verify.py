"""Checking a downloaded release folder: ``SHA256SUMS``, every ``.asc`` and the .deb's debsigs signature.

The keys are those of GNUPGHOME, or only the public key file given (``--key``): the check then
trusts nothing else. Every problem is reported, not just the first.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop.release.checksums import SUMS_NAME, check_sha256sums, parse_sha256sums
from desktop.release.signing import SIGNATURE_SUFFIX, verify_deb_signature, verify_signature
from desktop.release.tools import ReleaseError, require


def import_public_key(key_file: Path, home: Path) -> None:
    """A fresh gpg home holding only the public key(s) of ``key_file`` (armoured or binary)."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    completed = subprocess.run(
        [require("gpg"), "--batch", "--no-autostart", "--homedir", str(home), "--import", str(key_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise ReleaseError(f"{key_file} is not an OpenPGP public key: {completed.stderr.strip()[-500:]}")


def verify_release(folder: Path, key_file: Path | None = None, say: Callable[[str], None] = print) -> bool:
    """Check everything in ``folder``; ``say`` gets one line per check. True when all is well."""
    with tempfile.TemporaryDirectory(prefix="handoff-verify-") as scratch:
        home = None
        if key_file is not None:
            home = Path(scratch) / "gnupg"
            import_public_key(key_file, home)
        problems = _verify(folder, home, say)
        if key_file is not None:
            subprocess.run(
                [require("gpgconf"), "--homedir", str(home), "--kill", "all"],
                capture_output=True,
                check=False,
            )
    for problem in problems:
        say(f"FAILED  {problem}")
    if problems:
        say(f"{folder}: NOT VERIFIED ({len(problems)} problem(s)); do not install these files")
    else:
        say(f"{folder}: verified (checksums and signatures)")
    return not problems


def _verify(folder: Path, home: Path | None, say: Callable[[str], None]) -> list[str]:
    problems = check_sha256sums(folder)
    sums = folder / SUMS_NAME
    if not sums.is_file():
        return problems
    try:
        listed = parse_sha256sums(sums.read_text(encoding="utf-8"))
    except ValueError:
        listed = {}  # already reported by the checksum check
    if not problems:
        say(f"ok      {SUMS_NAME}: {len(listed)} file(s) match")
    for name in [SUMS_NAME, *sorted(listed)]:
        target = folder / name
        signature = target.with_name(name + SIGNATURE_SUFFIX)
        if not signature.is_file():
            problems.append(f"{name}: no signature {signature.name} (an unsigned release)")
            continue
        if not target.is_file():
            continue  # already reported by the checksum check
        verdict = verify_signature(signature, target, home)
        if verdict.ok:
            say(f"ok      {signature.name}: good signature by {verdict.detail}")
        else:
            problems.append(f"{signature.name}: {verdict.detail}")
        if name.endswith(".deb"):
            deb_verdict = verify_deb_signature(target, home)
            if deb_verdict.ok:
                say(f"ok      {name}: good debsigs signature by {deb_verdict.detail}")
            else:
                problems.append(f"{name} (debsigs): {deb_verdict.detail}")
    return problems
