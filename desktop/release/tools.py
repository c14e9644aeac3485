"""External tools the release needs (found or named with their Debian package) and step-by-step progress."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

# The Debian package that provides each tool the release runs.
APT_PACKAGES = {
    "gpg": "gpg",
    "gpgv": "gpgv",
    "gpgconf": "gpgconf",
    "debsigs": "debsigs",
    "debsig-verify": "debsig-verify",
    "dpkg-deb": "dpkg",
    "dpkg-query": "dpkg",
    "ldd": "libc-bin",
    "ar": "binutils",
    "pyinstaller": 'pip install -e ".[build]"',
}


class ReleaseError(Exception):
    """A release step that cannot go on; the message says what to do."""


def require(tool: str) -> str:
    """The path of ``tool``, or a :class:`ReleaseError` naming the package that provides it."""
    found = shutil.which(tool)
    if found is None:
        package = APT_PACKAGES.get(tool, tool)
        how = package if package.startswith("pip ") else f"apt-get install {package}"
        raise ReleaseError(f"the release needs `{tool}`, which is not installed: {how}")
    return found


def run(
    args: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    input_bytes: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run a tool; a failure raises :class:`ReleaseError` with the tool's own output."""
    command = [str(arg) for arg in args]
    command[0] = require(command[0])
    completed = subprocess.run(command, env=env, input=input_bytes, capture_output=True, check=False)
    if completed.returncode != 0:
        output = (completed.stderr or completed.stdout).decode(errors="replace").strip()
        raise ReleaseError(f"`{' '.join(command)}` failed (exit {completed.returncode}):\n{output[-3000:]}")
    return completed


class Progress:
    """One line per release step on the terminal, with the seconds each step took."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._started = time.monotonic()

    def step(self, text: str) -> None:
        """Announce the next step."""
        elapsed = time.monotonic() - self._started
        print(f"[release {elapsed:6.1f}s] {text}", file=self._stream, flush=True)

    def warn(self, text: str) -> None:
        """A message nobody should miss (boxed)."""
        bar = "!" * 72
        print(f"{bar}\n!! {text}\n{bar}", file=self._stream, flush=True)
