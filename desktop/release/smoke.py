"""The frozen build's smoke test (CI): unpack the release's tar.gz and run the real binary headless.

``python -m desktop.release.smoke DIR`` takes a release folder and checks what a user would
notice: the version, a generated workspace (so the bundled migrations ran up to the newest
revision), ``handoff doctor``, screenshots of the inbox and a case that are not blank, the
start-up time to the first painted inbox, no stray processes left behind, and no traceback,
loader error or unexpected warning in any output. Sizes are checked against the targets.
Exit status 0 when everything passed, 1 otherwise (each failure is printed).
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.release.freeze import APP_NAME, tree_size

MIB = 1024 * 1024
MAX_APP_MIB = 160
MAX_TARBALL_MIB = 70
FIRST_PAINT_TARGET_S = 2.0
COMMAND_TIMEOUT_S = 300

# Output that means something went wrong, whatever the exit status said.
_BAD_OUTPUT = re.compile(
    r"Traceback \(most recent call last\)|\[PYI-\d+:ERROR\]|ModuleNotFoundError|ImportError|"
    r"cannot open shared object file|Could not (load|find) the Qt platform plugin|"
    r"Failed to execute script|\bERROR\b|\bCRITICAL\b|\bWARNING\b|\bWarning:"
)
# Expected on a CI machine without a desktop keychain: doctor's keyring finding that nothing can be
# stored (the frozen app must never fall back to a plain-text keyring: that line stays a failure).
_EXPECTED = re.compile(r"Keyring\s+!!\s+WARNING: keyring\.backends\.fail\.Keyring cannot store credentials")
_DOCTOR_SUMMARY = re.compile(r"^\d+ problems? found")


@dataclass
class SmokeReport:
    """The figures measured and the failures found."""

    figures: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def fail(self, text: str) -> None:
        print(f"FAIL  {text}", flush=True)
        self.failures.append(text)

    def note(self, name: str, value: str) -> None:
        print(f"      {name}: {value}", flush=True)
        self.figures[name] = value


def unexpected_lines(output: str) -> list[str]:
    """Lines of a command's output that report an error or a warning nobody expected."""
    return [line for line in output.splitlines() if _BAD_OUTPUT.search(line) and not _EXPECTED.search(line)]


def png_is_blank(path: Path) -> bool:
    """Whether an image has (almost) one colour: nothing was painted."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull() or image.width() < 100 or image.height() < 100:
        return True
    step = max(1, image.width() // 200)
    colours = {
        image.pixel(x, y) for y in range(0, image.height(), step) for x in range(0, image.width(), step)
    }
    return len(colours) < 16


def workspace_revision(data_dir: Path) -> str | None:
    """The schema revision stored in a workspace's database (read with sqlite3, not through the app)."""
    from core.workspace import WorkspacePaths

    database = WorkspacePaths(data_dir).database
    if not database.is_file():
        return None
    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def bundle_processes(bundle: Path) -> list[str]:
    """Processes still running from the bundle's folder (stray workers), as ``pid command``."""
    import psutil

    inside = str(bundle.resolve())
    found = []
    for process in psutil.process_iter(["pid", "exe", "cmdline"]):
        exe = process.info.get("exe") or ""
        if exe.startswith(inside):
            found.append(f"{process.info['pid']} {' '.join(process.info.get('cmdline') or [])}")
    return found


class FrozenApp:
    """The unpacked frozen executable, run with a clean home folder on the offscreen platform."""

    def __init__(self, executable: Path, home: Path, report: SmokeReport) -> None:
        self.executable = executable
        self.report = report
        self.env = dict(
            os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "cfg")
        )
        self.env.update(XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"))
        self.env.pop("PYTHONPATH", None)

    def run(self, *arguments: str, allowed_status: Sequence[int] = (0,)) -> str:
        """Run ``handoff ARGUMENTS``; its output. A bad status or unexpected output line is a failure."""
        label = f"handoff {' '.join(arguments)}"
        print(f"run   {label}", flush=True)
        completed = subprocess.run(
            [str(self.executable), *arguments],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
        output = completed.stdout + completed.stderr
        if completed.returncode not in allowed_status:
            self.report.fail(f"{label}: exit status {completed.returncode}\n{output[-3000:]}")
        for line in unexpected_lines(output):
            self.report.fail(f"{label}: unexpected output: {line}")
        return output


def check_sizes(folder: Path, bundle: Path, report: SmokeReport) -> None:
    """The one-dir bundle and the tar.gz against their targets."""
    app_mib = tree_size(bundle) / MIB
    report.note("one-dir bundle", f"{app_mib:.1f} MiB (target ≤ {MAX_APP_MIB})")
    if app_mib > MAX_APP_MIB:
        report.fail(f"the one-dir bundle is {app_mib:.1f} MiB, over {MAX_APP_MIB} MiB")
    for tarball in folder.glob("handoff-*-linux-x86_64.tar.gz"):
        tar_mib = tarball.stat().st_size / MIB
        report.note("tar.gz", f"{tar_mib:.1f} MiB (target ≤ {MAX_TARBALL_MIB})")
        if tar_mib > MAX_TARBALL_MIB:
            report.fail(f"{tarball.name} is {tar_mib:.1f} MiB, over {MAX_TARBALL_MIB} MiB")
    for deb in folder.glob("handoff_*_amd64.deb"):
        report.note(".deb", f"{deb.stat().st_size / MIB:.1f} MiB")


def check_first_paint(app: FrozenApp, workspace: Path, report: SmokeReport) -> None:
    """Start to first painted inbox of the frozen app, three fresh processes."""
    from desktop.bench import measure_first_paint

    try:
        paints, peak_mb = measure_first_paint(workspace, runs=3, command=[str(app.executable)])
    except RuntimeError as error:
        report.fail(f"first paint: {error}")
        return
    median = statistics.median(paints)
    report.note(
        "first paint",
        f"median {median:.2f} s, cold {paints[0]:.2f} s, runs {', '.join(f'{p:.2f}' for p in paints)} "
        f"(target ≤ {FIRST_PAINT_TARGET_S:.0f} s), GUI peak RSS {peak_mb:.0f} MB",
    )
    if median > FIRST_PAINT_TARGET_S:
        print(f"WARN  first paint {median:.2f} s is over the {FIRST_PAINT_TARGET_S:.0f} s target", flush=True)


def smoke(folder: Path, scratch: Path, version: str) -> SmokeReport:
    """Every check on the release in ``folder``, working in ``scratch``."""
    from core.db.migrate import head_revision

    report = SmokeReport()
    tarballs = sorted(folder.glob(f"handoff-{version}-linux-x86_64.tar.gz"))
    if not tarballs:
        report.fail(f"no handoff-{version}-linux-x86_64.tar.gz in {folder}")
        return report
    with tarfile.open(tarballs[0]) as archive:
        if hasattr(tarfile, "tar_filter"):  # extraction filters: Python 3.11.4 and later
            archive.extractall(scratch / "unpacked", filter="tar")
        else:
            archive.extractall(scratch / "unpacked")  # an older 3.11: our own archive, just built
    bundle = scratch / "unpacked" / f"handoff-{version}"
    check_sizes(folder, bundle, report)
    app = FrozenApp(bundle / APP_NAME, scratch / "home", report)
    workspace = scratch / "workspace"

    if f"handoff {version}" not in app.run("--version"):
        report.fail(f"handoff --version does not say {version}")
    app.run("generate", "--data-dir", str(workspace), "--cases", "40", "--seed", "5")
    revision, head = workspace_revision(workspace), head_revision()
    report.note("workspace schema", f"revision {revision} (newest {head})")
    if revision != head:
        report.fail(f"the bundled migrations left the workspace at {revision}, not {head}")
    doctor = app.run("doctor", "--data-dir", str(workspace), allowed_status=(0, 1))
    for line in doctor.splitlines():
        if "!!" in line and not _EXPECTED.search(line) and not _DOCTOR_SUMMARY.match(line):
            report.fail(f"handoff doctor found a problem: {line.strip()}")
    for view in ("inbox", "case"):
        picture = scratch / f"{view}.png"
        app.run("screenshot", "--data-dir", str(workspace), "--view", view, "--out", str(picture))
        if not picture.is_file() or png_is_blank(picture):
            report.fail(f"the {view} screenshot is missing or blank")
    check_first_paint(app, workspace, report)
    stray = bundle_processes(bundle)
    if stray:
        report.fail(f"processes left running from the bundle: {stray}")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the smoke test on a release folder; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m desktop.release.smoke", description=__doc__)
    parser.add_argument(
        "folder", type=Path, metavar="DIR", help="a release folder (python -m desktop.release)"
    )
    options = parser.parse_args(argv)
    from desktop.release.build import project_metadata

    version, _summary = project_metadata(Path(__file__).resolve().parents[2])
    with tempfile.TemporaryDirectory(prefix="handoff-smoke-") as scratch:
        report = smoke(options.folder.resolve(), Path(scratch), version)
    if report.failures:
        print(f"frozen smoke test: {len(report.failures)} failure(s)", flush=True)
        return 1
    print("frozen smoke test: OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
