"""The release pipeline: freeze, package (.deb, tar.gz), checksum, sign, with a line of progress per step."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from desktop.release.checksums import SUMS_NAME, render_sha256sums
from desktop.release.debian import build_deb, deb_name
from desktop.release.freeze import freeze, tree_size
from desktop.release.libraries import depends_field, installed_version, owning_packages, system_libraries
from desktop.release.signing import (
    KEY_ENV,
    SIGNATURE_SUFFIX,
    check_signing_key,
    sign_deb,
    sign_detached,
    signing_key_from_env,
    unlock_signing_key,
)
from desktop.release.tarball import build_tarball, tarball_name
from desktop.release.tools import Progress, require

MIB = 1024 * 1024


@dataclass
class ReleaseResult:
    """What a release run produced."""

    version: str
    app: Path  # the one-dir bundle (in the work folder)
    app_bytes: int
    artifacts: list[Path]  # the packages, then SHA256SUMS
    signatures: list[Path] = field(default_factory=list)
    signed_by: str | None = None  # the signing key's fingerprint


def project_metadata(root: Path) -> tuple[str, str]:
    """The version and one-line description from ``pyproject.toml``."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["version"]), str(project["description"])


def _stale_outputs(out: Path, version: str) -> list[Path]:
    names = [tarball_name(version), deb_name(version), SUMS_NAME]
    return [out / name for name in names] + [out / (name + SIGNATURE_SUFFIX) for name in names]


def release(root: Path, out: Path, work: Path, progress: Progress) -> ReleaseResult:
    """Build, package, checksum and (when a key is configured) sign Handoff into ``out``."""
    version, summary = project_metadata(root)
    key = signing_key_from_env()
    for tool in ("dpkg-deb", "dpkg-query", "ldd", *(("gpg", "debsigs") if key else ())):
        require(tool)
    fingerprint = check_signing_key(key) if key else None
    if key:
        unlock_signing_key(key)
        progress.step(f"signing with key {fingerprint} ({KEY_ENV})")
    else:
        progress.warn(f"{KEY_ENV} is not set: this release will be UNSIGNED (no .asc files)")

    progress.step(f"freezing Handoff {version} with PyInstaller (build.spec)…")
    app = freeze(root, work)
    app_bytes = tree_size(app)
    progress.step(f"one-dir bundle: {app_bytes / MIB:.1f} MiB in {app}")

    progress.step("finding the system libraries the bundle loads (ldd, dpkg -S)…")
    libraries = system_libraries(app)
    packages, unowned = owning_packages(libraries.found.values())
    depends = depends_field(packages, installed_version("libc6"))
    progress.step(f"Depends: {', '.join(depends)}")
    if unowned:
        progress.step(f"libraries no package owns (not in Depends): {', '.join(sorted(unowned))}")

    out.mkdir(parents=True, exist_ok=True)
    for stale in _stale_outputs(out, version):
        stale.unlink(missing_ok=True)
    packaging = root / "resources" / "packaging"
    progress.step("building the .deb (dpkg-deb -Zxz)…")
    deb = build_deb(app, packaging, out, version=version, depends=depends, summary=summary)
    if key:
        progress.step("signing the .deb with debsigs (origin)…")
        sign_deb(deb, key)
    progress.step("archiving the tar.gz…")
    tarball = build_tarball(app, out, version)
    for artifact in (tarball, deb):
        progress.step(f"{artifact.name}: {artifact.stat().st_size / MIB:.1f} MiB")

    progress.step(f"writing {SUMS_NAME}…")
    sums = out / SUMS_NAME
    sums.write_text(render_sha256sums([tarball, deb]), encoding="utf-8")
    result = ReleaseResult(version, app, app_bytes, [tarball, deb, sums], signed_by=fingerprint)
    if key:
        progress.step("signing every artifact and SHA256SUMS (detached, ASCII-armoured)…")
        result.signatures = [sign_detached(path, key) for path in result.artifacts]
    else:
        progress.warn(f"UNSIGNED release in {out}: set {KEY_ENV} to a key in GNUPGHOME to sign it")
    progress.step(f"done: {', '.join(path.name for path in result.artifacts + result.signatures)} in {out}")
    return result
