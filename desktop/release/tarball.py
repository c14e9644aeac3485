"""The portable Linux archive: ``handoff-VERSION-linux-x86_64.tar.gz`` holding the one-dir bundle."""

from __future__ import annotations

import tarfile
from pathlib import Path


def tarball_name(version: str) -> str:
    """The archive's file name for ``version``."""
    return f"handoff-{version}-linux-x86_64.tar.gz"


def _as_root(member: tarfile.TarInfo) -> tarfile.TarInfo:
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    return member


def build_tarball(app: Path, out: Path, version: str) -> Path:
    """Archive the bundle folder ``app`` as ``handoff-VERSION/`` into ``out``; the archive's path."""
    target = out / tarball_name(version)
    with tarfile.open(target, "w:gz", compresslevel=9) as archive:
        archive.add(app, arcname=f"handoff-{version}", filter=_as_root)
    return target
