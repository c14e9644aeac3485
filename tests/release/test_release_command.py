"""The release command end to end, PyInstaller replaced by a tiny stand-in bundle.

Signed: every artifact and SHA256SUMS get an .asc, the .deb a debsigs signature, and
``verify`` passes with only the public key; a tampered artifact fails with exit status 1.
Unsigned: the command says so loudly and writes no .asc, and ``verify`` refuses the folder.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.release import build
from desktop.release.__main__ import main
from desktop.release.build import project_metadata
from desktop.release.signing import verify_deb_signature
from desktop.release.verify import import_public_key
from tests.release.conftest import ThrowawayKey, drop_key, make_key
from tests.release.test_packaging import fake_bundle

ROOT = Path(__file__).resolve().parents[2]
VERSION = project_metadata(ROOT)[0]


@pytest.fixture
def stand_in_freeze(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller takes minutes: the release gets a small bundle with a real executable instead."""
    monkeypatch.setattr(build, "freeze", lambda _root, work: fake_bundle(work))


def _release(out: Path, tmp_path: Path) -> int:
    return main(["--out", str(out), "--work", str(tmp_path / "work")])


@pytest.mark.usefixtures("stand_in_freeze")
def test_a_signed_release_verifies_and_a_tampered_one_fails(
    tmp_path: Path, signing_env: ThrowawayKey, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"

    assert _release(out, tmp_path) == 0

    tarball, deb = f"handoff-{VERSION}-linux-x86_64.tar.gz", f"handoff_{VERSION}_amd64.deb"
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [tarball, deb, "SHA256SUMS", f"{tarball}.asc", f"{deb}.asc", "SHA256SUMS.asc"]
    )
    progress = capsys.readouterr().err
    assert "freezing Handoff" in progress and "Depends: fontconfig-config, libc6 (>= " in progress
    home = tmp_path / "only-public-key"
    import_public_key(signing_env.public_key, home)
    assert verify_deb_signature(out / deb, home).ok
    swapped = tmp_path / "swapped"
    swapped.mkdir()
    shutil.copy(out / deb, swapped / deb)
    (swapped / "debian-binary").write_text("2.0\n\n")  # a member changed inside the package
    subprocess.run(["ar", "r", deb, "debian-binary"], cwd=swapped, check=True, capture_output=True)
    assert verify_deb_signature(swapped / deb, home).detail.startswith("BAD signature")

    assert main(["verify", str(out), "--key", str(signing_env.public_key)]) == 0
    assert "verified (checksums and signatures)" in capsys.readouterr().out

    tampered = tmp_path / "tampered"
    shutil.copytree(out, tampered)
    with (tampered / tarball).open("r+b") as stream:
        stream.seek(100)
        stream.write(b"X")
    assert main(["verify", str(tampered), "--key", str(signing_env.public_key)]) == 1
    report = capsys.readouterr().out
    assert f"FAILED  {tarball}: checksum MISMATCH" in report
    assert f"FAILED  {tarball}.asc: BAD signature" in report
    assert "NOT VERIFIED" in report


@pytest.mark.usefixtures("stand_in_freeze")
def test_without_a_key_the_release_is_built_unsigned_and_says_so(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    release_key: ThrowawayKey,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("HANDOFF_SIGNING_KEY", raising=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "SHA256SUMS.asc").write_text("an old signature that no longer matches")

    assert _release(out, tmp_path) == 0

    assert not list(out.glob("*.asc"))
    assert "UNSIGNED" in capsys.readouterr().err
    assert main(["verify", str(out), "--key", str(release_key.public_key)]) == 1
    assert "no signature SHA256SUMS.asc (an unsigned release)" in capsys.readouterr().out


def test_a_key_name_that_gnupghome_lacks_stops_before_building(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    release_key: ThrowawayKey,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GNUPGHOME", str(release_key.home))
    monkeypatch.setenv("HANDOFF_SIGNING_KEY", "no-such-key@handoff.invalid")
    monkeypatch.setattr(build, "freeze", lambda *_: pytest.fail("built although the key is missing"))

    assert _release(tmp_path / "out", tmp_path) == 2

    assert "names no secret key in the keyring of GNUPGHOME" in capsys.readouterr().err


def test_a_missing_tool_names_the_package_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HANDOFF_SIGNING_KEY", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no dpkg-deb, no ldd

    assert _release(tmp_path / "out", tmp_path) == 2

    assert (
        "the release needs `dpkg-deb`, which is not installed: apt-get install dpkg"
        in capsys.readouterr().err
    )


@pytest.mark.usefixtures("stand_in_freeze")
@pytest.mark.parametrize(("given", "status"), [("correct horse", 0), ("wrong horse", 2)])
def test_a_key_with_a_passphrase_signs_everything_from_a_passphrase_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    given: str,
    status: int,
) -> None:
    key = make_key("Protected release key", passphrase="correct horse")
    try:
        passphrase_file = tmp_path / "passphrase"
        passphrase_file.write_text(given + "\n")
        monkeypatch.setenv("GNUPGHOME", str(key.home))
        monkeypatch.setenv("HANDOFF_SIGNING_KEY", key.fingerprint)
        monkeypatch.setenv("HANDOFF_SIGNING_PASSPHRASE_FILE", str(passphrase_file))

        assert _release(tmp_path / "out", tmp_path) == status

        if status == 0:
            assert main(["verify", str(tmp_path / "out"), "--key", str(key.public_key)]) == 0
            assert "good debsigs signature" in capsys.readouterr().out
        else:
            assert "using HANDOFF_SIGNING_PASSPHRASE_FILE" in capsys.readouterr().err
            assert not (tmp_path / "out").exists()
    finally:
        drop_key(key)
