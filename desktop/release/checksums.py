"""``SHA256SUMS``: writing it for the release artifacts and checking a download against it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

SUMS_NAME = "SHA256SUMS"
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def render_sha256sums(files: Iterable[Path]) -> str:
    """``sha256sum``'s format (``HASH  NAME``, binary-safe), sorted by name, for files in one folder."""
    return "".join(f"{sha256_of(path)}  {path.name}\n" for path in sorted(files, key=lambda path: path.name))


def parse_sha256sums(text: str) -> dict[str, str]:
    """File name to expected hex digest; raises ValueError naming the first line that is not a checksum."""
    expected: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        digest, separator, name = line.partition(" ")
        name = name[1:] if name.startswith(("*", " ")) else name
        if not separator or len(digest) != 64 or not name or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"{SUMS_NAME} line {number} is not '<sha256>  <file>': {line!r}")
        expected[name] = digest
    return expected


def check_sha256sums(folder: Path) -> list[str]:
    """Problems found checking every file listed in ``folder/SHA256SUMS`` (empty: all match)."""
    sums = folder / SUMS_NAME
    if not sums.is_file():
        return [f"{SUMS_NAME} is missing from {folder}"]
    try:
        expected = parse_sha256sums(sums.read_text(encoding="utf-8"))
    except ValueError as error:
        return [str(error)]
    if not expected:
        return [f"{SUMS_NAME} lists no files"]
    problems = []
    for name, digest in expected.items():
        path = folder / name
        if "/" in name or not path.is_file():
            problems.append(f"{name}: listed in {SUMS_NAME} but missing")
        elif sha256_of(path) != digest:
            problems.append(f"{name}: checksum MISMATCH (the file was changed or damaged)")
    return problems
