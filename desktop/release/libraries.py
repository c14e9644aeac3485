"""Which system libraries the frozen bundle loads from the machine, and which Debian packages provide them.

PyInstaller copies most libraries into the bundle but leaves out the ones that must match the
machine (the C library, OpenGL/EGL drivers). ``ldd`` on every binary of the bundle, with the
bundle's own folders on the library path, shows what is left to the system; ``dpkg -S`` names
the packages, which become the .deb's ``Depends:``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.release.tools import require

# Not libraries but needed on a bare machine: without fontconfig's configuration every glyph
# is a box (see the toolchain notes).
EXTRA_DEPENDS = ("fontconfig-config",)
_ELF_MAGIC = b"\x7fELF"


@dataclass
class SystemLibraries:
    """Libraries the bundle takes from the system (soname to path) and those found nowhere."""

    found: dict[str, str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)


def parse_ldd(text: str, bundle: Path, into: SystemLibraries) -> None:
    """Add the outside-the-bundle and not-found libraries of one ``ldd`` output to ``into``."""
    inside = str(bundle.resolve())
    for line in text.splitlines():
        name, arrow, rest = line.strip().partition(" => ")
        if not arrow:
            continue
        if rest.startswith("not found"):
            into.missing.add(name)
            continue
        path = rest.split(" (", 1)[0].strip()
        if path and not os.path.realpath(path).startswith(inside):
            into.found[name] = path


def _elf_files(bundle: Path) -> Iterable[Path]:
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as stream:
                if stream.read(4) == _ELF_MAGIC:
                    yield path


def system_libraries(bundle: Path) -> SystemLibraries:
    """What the bundle's binaries load from outside it, as the frozen app's loader would resolve them."""
    folders = {str(path.parent) for path in _elf_files(bundle)}
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(sorted(folders)))
    ldd = require("ldd")
    result = SystemLibraries()
    for binary in _elf_files(bundle):
        completed = subprocess.run([ldd, str(binary)], env=env, capture_output=True, text=True, check=False)
        parse_ldd(completed.stdout, bundle, result)
    # Libraries a plugin needs but the machine lacks are optional (e.g. a Vulkan server plugin).
    result.missing -= set(result.found)
    return result


def parse_dpkg_search(text: str) -> set[str]:
    """Package names (architecture qualifier dropped) from ``dpkg -S`` output lines ``pkg[:arch]: path``."""
    packages: set[str] = set()
    for line in text.splitlines():
        owners, separator, _path = line.partition(": ")
        if separator and not line.startswith("diversion "):
            packages.update(owner.strip().split(":")[0] for owner in owners.split(","))
    return packages


def owning_packages(paths: Iterable[str]) -> tuple[set[str], set[str]]:
    """The Debian packages owning ``paths`` (each looked up as is and resolved); and paths no package owns."""
    dpkg = require("dpkg-query")
    packages: set[str] = set()
    unowned: set[str] = set()
    for path in sorted(set(paths)):
        candidates = {path, os.path.realpath(path)}
        candidates |= {"/usr" + c for c in candidates if c.startswith("/lib")}
        candidates |= {c.removeprefix("/usr") for c in candidates if c.startswith("/usr/lib")}
        completed = subprocess.run(
            [dpkg, "-S", *sorted(candidates)], capture_output=True, text=True, check=False
        )
        found = parse_dpkg_search(completed.stdout)
        if found:
            packages |= found
        else:
            unowned.add(path)
    return packages, unowned


def installed_version(package: str) -> str | None:
    """The version of an installed package on the build machine, or None."""
    completed = subprocess.run(
        [require("dpkg-query"), "-W", "-f", "${Version}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or None if completed.returncode == 0 else None


def depends_field(packages: Iterable[str], libc_version: str | None) -> list[str]:
    """``Depends:`` entries: the packages sorted, libc6 at least the build machine's upstream version."""
    entries = []
    for package in sorted(set(packages) | set(EXTRA_DEPENDS)):
        if package == "libc6" and libc_version:
            upstream = libc_version.split("-", 1)[0]
            entries.append(f"libc6 (>= {upstream})")
        else:
            entries.append(package)
    return entries
