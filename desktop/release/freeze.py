"""Freezing the app with PyInstaller from ``build.spec`` into a one-dir bundle."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from desktop.release.tools import ReleaseError

APP_NAME = "handoff"


def freeze(root: Path, work: Path) -> Path:
    """Build ``root/build.spec`` under ``work``; the bundle's folder (holding the ``handoff`` executable)."""
    if importlib.util.find_spec("PyInstaller") is None:
        raise ReleaseError('the release needs PyInstaller, which is not installed: pip install -e ".[build]"')
    dist = work / "dist"
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(root / "build.spec"),
    ]  # fmt: skip
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise ReleaseError(f"PyInstaller failed (exit {completed.returncode}):\n{completed.stderr[-4000:]}")
    app = dist / APP_NAME
    if not (app / APP_NAME).is_file():
        raise ReleaseError(f"PyInstaller finished but {app / APP_NAME} is missing")
    return app


def tree_size(folder: Path) -> int:
    """The bytes of every file under ``folder`` (symbolic links count as nothing)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
