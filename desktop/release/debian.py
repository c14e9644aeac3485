"""The Debian package: ``handoff_VERSION_amd64.deb`` installing the bundle under ``/opt/handoff``.

It adds a ``/usr/bin/handoff`` link, a desktop entry and the icon, and depends on the system
libraries the bundle does not carry. Built with ``dpkg-deb --root-owner-group -Zxz`` (xz members,
which debsigs can sign).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from desktop.release.tools import run

INSTALL_DIR = "opt/handoff"
MAINTAINER = "Handoff release team <release@handoff.invalid>"


def deb_name(version: str) -> str:
    """The package's file name for ``version``."""
    return f"handoff_{version}_amd64.deb"


def debian_version(version: str) -> str:
    """A Python version as a Debian one (``1.2.0rc1`` sorts before ``1.2.0`` as ``1.2.0~rc1``)."""
    for marker in ("a", "b", "rc", ".dev"):
        head, found, tail = version.partition(marker)
        if found and head and head[-1].isdigit():
            return f"{head}~{marker.lstrip('.')}{tail}"
    return version


def render_control(
    template: str, *, version: str, depends: Sequence[str], installed_size_kib: int, summary: str
) -> str:
    """The ``DEBIAN/control`` file from ``resources/packaging/control.in``."""
    if not depends:
        raise ValueError("a Debian package of the frozen app needs its system libraries in Depends")
    text = template.format(
        version=debian_version(version),
        maintainer=MAINTAINER,
        installed_size_kib=installed_size_kib,
        depends=", ".join(depends),
        summary=summary.strip().rstrip("."),
    )
    return text if text.endswith("\n") else text + "\n"


def _installed_size_kib(root: Path) -> int:
    total = sum(path.stat().st_size for path in root.rglob("*") if path.is_file() and not path.is_symlink())
    return (total + 1023) // 1024


def build_deb(
    app: Path, packaging: Path, out: Path, *, version: str, depends: Sequence[str], summary: str
) -> Path:
    """Lay out the package tree from the bundle ``app`` and the files in ``packaging``; the .deb's path."""
    target = out / deb_name(version)
    with tempfile.TemporaryDirectory(prefix="handoff-deb-") as folder:
        root = Path(folder) / "root"
        shutil.copytree(app, root / INSTALL_DIR, symlinks=True)
        (root / "usr/bin").mkdir(parents=True)
        (root / "usr/bin/handoff").symlink_to(f"/{INSTALL_DIR}/handoff")
        _install(packaging / "handoff.desktop", root / "usr/share/applications/handoff.desktop")
        _install(packaging / "handoff.png", root / "usr/share/icons/hicolor/256x256/apps/handoff.png")
        _install(packaging / "handoff.svg", root / "usr/share/icons/hicolor/scalable/apps/handoff.svg")
        _install(packaging / "copyright", root / "usr/share/doc/handoff/copyright")  # Debian policy 12.5
        control = render_control(
            (packaging / "control.in").read_text(encoding="utf-8"),
            version=version,
            depends=depends,
            installed_size_kib=_installed_size_kib(root),
            summary=summary,
        )
        _install_text(control, root / "DEBIAN/control")
        for path in root.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        run(["dpkg-deb", "--build", "--root-owner-group", "-Zxz", root, target])
    return target


def _install(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o644)


def _install_text(text: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    target.chmod(0o644)
