"""The .deb's control file and Depends, the package's layout, the tar.gz and the Windows icon."""

from __future__ import annotations

import shutil
import struct
import subprocess
import tarfile
from pathlib import Path

import pytest

from desktop.release.debian import build_deb, debian_version, render_control
from desktop.release.icons import ico_bytes
from desktop.release.libraries import SystemLibraries, depends_field, parse_dpkg_search, parse_ldd
from desktop.release.tarball import build_tarball

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "resources" / "packaging"


def fake_bundle(folder: Path) -> Path:
    """A one-dir bundle stand-in: a real executable (``/bin/true``) and a data file."""
    bundle = folder / "handoff"
    (bundle / "_internal").mkdir(parents=True)
    shutil.copy(shutil.which("true") or "/bin/true", bundle / "handoff")
    (bundle / "_internal" / "data.txt").write_text("bundled")
    return bundle


def test_control_file_names_version_dependencies_and_size() -> None:
    control = render_control(
        (PACKAGING / "control.in").read_text(),
        version="1.4.0",
        depends=["libc6 (>= 2.36)", "libgl1"],
        installed_size_kib=150000,
        summary="A native desktop workbench.",
    )

    fields = dict(line.split(": ", 1) for line in control.splitlines() if line and not line.startswith(" "))
    assert fields["Package"] == "handoff"
    assert fields["Version"] == "1.4.0"
    assert fields["Architecture"] == "amd64"
    assert fields["Depends"] == "libc6 (>= 2.36), libgl1"
    assert fields["Installed-Size"] == "150000"
    assert fields["Description"] == "A native desktop workbench"
    assert control.endswith("\n")


def test_a_control_file_without_dependencies_is_refused() -> None:
    with pytest.raises(ValueError, match="Depends"):
        render_control("{depends}", version="1", depends=[], installed_size_kib=1, summary="x")


def test_pre_releases_sort_before_the_release_in_debian_versions() -> None:
    assert debian_version("1.2.0") == "1.2.0"
    assert debian_version("1.2.0rc1") == "1.2.0~rc1"
    assert debian_version("2.0.0b3") == "2.0.0~b3"
    newer = subprocess.run(["dpkg", "--compare-versions", "1.2.0", "gt", debian_version("1.2.0rc1")])
    assert newer.returncode == 0


def test_ldd_output_keeps_only_what_comes_from_outside_the_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "handoff"
    inside = bundle / "_internal" / "libQt6Core.so.6"
    found = SystemLibraries()
    parse_ldd(
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        f"\tlibQt6Core.so.6 => {inside} (0x00007f00)\n"
        "\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f01)\n"
        "\tlibgtk-3.so.0 => not found\n"
        "\t/lib64/ld-linux-x86-64.so.2 (0x00007f02)\n",
        bundle,
        found,
    )

    assert found.found == {"libGL.so.1": "/lib/x86_64-linux-gnu/libGL.so.1"}
    assert found.missing == {"libgtk-3.so.0"}


def test_dpkg_search_output_gives_package_names_and_depends_adds_fonts_and_libc_version() -> None:
    packages = parse_dpkg_search(
        "libgl1:amd64: /usr/lib/x86_64-linux-gnu/libGL.so.1\n"
        "libc6:amd64, libc6-dev:amd64: /usr/lib/x86_64-linux-gnu/libm.so.6\n"
        "diversion by x from: /usr/lib/foo\n"
    )

    assert packages == {"libgl1", "libc6", "libc6-dev"}
    assert depends_field({"libgl1", "libc6"}, "2.36-9+deb12u9") == [
        "fontconfig-config",
        "libc6 (>= 2.36)",
        "libgl1",
    ]


def test_the_deb_installs_the_bundle_under_opt_with_a_command_link_menu_entry_and_icon(
    tmp_path: Path,
) -> None:
    deb = build_deb(
        fake_bundle(tmp_path),
        PACKAGING,
        tmp_path,
        version="0.9.1",
        depends=["libc6 (>= 2.36)"],
        summary="Handoff",
    )

    assert deb.name == "handoff_0.9.1_amd64.deb"
    listing = subprocess.run(
        ["dpkg-deb", "--contents", deb], capture_output=True, text=True, check=True
    ).stdout
    assert "./opt/handoff/handoff" in listing
    assert "./opt/handoff/_internal/data.txt" in listing
    assert "./usr/bin/handoff -> /opt/handoff/handoff" in listing
    assert "./usr/share/applications/handoff.desktop" in listing
    assert "./usr/share/icons/hicolor/256x256/apps/handoff.png" in listing
    assert "./usr/share/doc/handoff/copyright" in listing  # every Debian package names its licence
    assert "root/root" in listing.splitlines()[0]
    members = subprocess.run(["ar", "t", deb], capture_output=True, text=True, check=True).stdout.split()
    assert members == ["debian-binary", "control.tar.xz", "data.tar.xz"]  # xz: debsigs can sign it
    field = subprocess.run(["dpkg-deb", "--field", deb, "Depends"], capture_output=True, text=True).stdout
    assert field.strip() == "libc6 (>= 2.36)"


def test_the_desktop_entry_starts_the_command_with_the_icon() -> None:
    entry = dict(
        line.split("=", 1) for line in (PACKAGING / "handoff.desktop").read_text().splitlines() if "=" in line
    )
    assert entry["Exec"].split()[0] == "handoff"
    assert entry["Icon"] == "handoff"
    assert entry["Type"] == "Application"


def test_the_tarball_holds_the_bundle_in_a_versioned_folder_owned_by_root(tmp_path: Path) -> None:
    tarball = build_tarball(fake_bundle(tmp_path), tmp_path, "0.9.1")

    assert tarball.name == "handoff-0.9.1-linux-x86_64.tar.gz"
    with tarfile.open(tarball) as archive:
        members = {member.name: member for member in archive.getmembers()}
    assert members["handoff-0.9.1/handoff"].mode & 0o111
    assert "handoff-0.9.1/_internal/data.txt" in members
    assert {member.uname for member in members.values()} == {"root"}


def test_the_windows_icon_lists_each_size_with_its_png() -> None:
    pngs = {16: b"\x89PNG-16", 256: b"\x89PNG-256"}
    data = ico_bytes(pngs)

    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, 2)
    for index, size in enumerate(sorted(pngs)):
        width, _h, _c, _r, _planes, _bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert width == (0 if size == 256 else size)
        assert data[offset : offset + length] == pngs[size]
    assert (PACKAGING / "handoff.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
