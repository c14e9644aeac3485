"""SHA256SUMS: written in sha256sum's format and checked file by file."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from desktop.release.checksums import check_sha256sums, parse_sha256sums, render_sha256sums


def _files(folder: Path) -> list[Path]:
    paths = [folder / "b.deb", folder / "a.tar.gz"]
    paths[0].write_bytes(b"deb bytes")
    paths[1].write_bytes(b"tar bytes")
    return paths


def test_sums_list_every_file_by_name_in_sha256sum_format(tmp_path: Path) -> None:
    text = render_sha256sums(_files(tmp_path))

    tar_digest, deb_digest = (hashlib.sha256(data).hexdigest() for data in (b"tar bytes", b"deb bytes"))
    assert text == f"{tar_digest}  a.tar.gz\n{deb_digest}  b.deb\n"
    (tmp_path / "SHA256SUMS").write_text(text)
    checked = subprocess.run(["sha256sum", "--check", "SHA256SUMS"], cwd=tmp_path, capture_output=True)
    assert checked.returncode == 0


def test_untouched_files_pass_and_a_changed_or_missing_one_is_named(tmp_path: Path) -> None:
    files = _files(tmp_path)
    (tmp_path / "SHA256SUMS").write_text(render_sha256sums(files))
    assert check_sha256sums(tmp_path) == []

    files[0].write_bytes(b"deb bytes, tampered")
    files[1].unlink()

    assert check_sha256sums(tmp_path) == [
        "a.tar.gz: listed in SHA256SUMS but missing",
        "b.deb: checksum MISMATCH (the file was changed or damaged)",
    ]


def test_a_missing_or_malformed_sums_file_is_a_problem(tmp_path: Path) -> None:
    assert check_sha256sums(tmp_path) == [f"SHA256SUMS is missing from {tmp_path}"]
    (tmp_path / "SHA256SUMS").write_text("not a checksum line\n")
    assert check_sha256sums(tmp_path) == [
        "SHA256SUMS line 1 is not '<sha256>  <file>': 'not a checksum line'"
    ]


def test_binary_mode_lines_are_read_too() -> None:
    digest = "a" * 64
    assert parse_sha256sums(f"{digest} *handoff.deb\n\n{digest}  x.tar.gz\n") == {
        "handoff.deb": digest,
        "x.tar.gz": digest,
    }
