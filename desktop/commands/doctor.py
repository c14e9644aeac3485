"""``handoff doctor [--data-dir DIR]``: report whether Handoff can run here, and what it runs on.

It reports the Python, Handoff and Qt versions; whether a ``QGuiApplication``
can start on the current ``QT_QPA_PLATFORM`` (tried in a child process, because
Qt aborts the whole process when no platform plugin loads); the workspace
folder, whether its database opens and at which schema revision; and the
keyring backend, warning loudly when credentials would be stored in plain text
or cannot be stored at all. Exit status 0 when all is well, 1 otherwise. It
never needs a display, and writes no data.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import desktop
from core.db.engine import create_workspace_engine
from core.db.migrate import DatabaseError, check_revision, head_revision
from core.workspace import WorkspacePaths
from desktop.cli import add_data_dir_argument, handoff_version
from desktop.commands.workspace_arg import workspace_dir

APT_LINE = "apt-get install -y libegl1 libgl1 libdbus-1-3 libfontconfig1 libglib2.0-0 libxkbcommon0"
PROBE_TIMEOUT_S = 60
_PROBE_SOURCE = "from desktop.commands.doctor import qt_probe; raise SystemExit(qt_probe())"


@dataclass(frozen=True)
class Finding:
    """One line of the report: what was looked at, what was found, and what to do if it is wrong."""

    label: str
    detail: str
    ok: bool = True
    advice: str = ""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check that Handoff can run here (Qt, workspace, keychain) and report versions"
    )
    add_data_dir_argument(parser)
    parser.add_argument("--qt-probe", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.qt_probe:
        return qt_probe()
    findings = [
        Finding("Python", f"{platform.python_version()} ({sys.executable})"),
        Finding("Handoff", handoff_version()),
        qt_version(),
        qt_platform(),
        *workspace(workspace_dir(args)),
        keychain(),
    ]
    print("Handoff doctor")
    for finding in findings:
        print(f"  {finding.label:<12} {'ok' if finding.ok else '!!'}  {finding.detail}")
        if finding.advice:
            for line in finding.advice.splitlines():
                print(f"{'':<19}{line}")
    problems = sum(not finding.ok for finding in findings)
    if problems:
        print(f"{problems} problem{'s' if problems != 1 else ''} found (marked !! above).")
        return 1
    print("Everything looks fine.")
    return 0


def qt_probe() -> int:
    """Start a QGuiApplication and print its platform name (run in the child process)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([sys.argv[0] or "handoff"])
    print(app.platformName())
    return 0


def qt_version() -> Finding:
    try:
        import PySide6
        from PySide6 import QtCore
    except ImportError as error:
        return Finding("Qt", f"PySide6 cannot be imported: {error}", ok=False, advice="pip install PySide6")
    return Finding("Qt", f"PySide6 {PySide6.__version__}, Qt {QtCore.qVersion()}")


def qt_platform() -> Finding:
    requested = os.environ.get("QT_QPA_PLATFORM") or "the default platform"
    try:
        result = subprocess.run(
            _probe_command(),
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            env=_probe_environment(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Finding("Qt platform", f"the start-up test could not run: {error}", ok=False)
    if result.returncode == 0:
        name = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else requested
        return Finding("Qt platform", f"a QGuiApplication starts on {name}")
    output = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
    return Finding(
        "Qt platform",
        f"a QGuiApplication cannot start on {requested} (exit status {result.returncode})",
        ok=False,
        advice="\n".join(
            [
                *output[-4:],
                "Without a display, set QT_QPA_PLATFORM=offscreen.",
                f"Missing system libraries (Debian/Ubuntu): {APT_LINE}",
            ]
        ),
    )


def _probe_command() -> list[str]:
    if getattr(sys, "frozen", False):  # a PyInstaller build: the executable is handoff itself
        return [sys.executable, "doctor", "--qt-probe"]
    return [sys.executable, "-c", _PROBE_SOURCE]


def _probe_environment() -> dict[str, str]:
    """This environment, with the folder holding the ``desktop`` package importable by the child."""
    source_root = str(Path(desktop.__file__).resolve().parent.parent)
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [source_root, environment.get("PYTHONPATH")]))
    return environment


def workspace(root: Path) -> list[Finding]:
    """The workspace folder, and whether its database opens at a schema this version knows."""
    database = WorkspacePaths(root).database
    findings = [Finding("Workspace", str(root))]
    if not database.exists():
        findings.append(Finding("Database", "none yet; Handoff creates it on first opening this workspace"))
        return findings
    engine = create_workspace_engine(database)
    try:
        revision = check_revision(engine)
    except DatabaseError as error:
        findings.append(Finding("Database", str(error), ok=False))
        return findings
    finally:
        engine.dispose()
    head = head_revision()
    if revision == head:
        state = f"opens, schema {revision} (the newest)"
    else:
        state = f"opens, schema {revision or 'none'} (Handoff upgrades it to {head} on start, after a backup)"
    findings.append(Finding("Database", state))
    return findings


def keychain() -> Finding:
    """The keyring backend; plain-text, failing or discarding backends are problems."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as error:  # a broken keyring configuration raises anything
        return Finding("Keyring", f"WARNING: no keyring backend could be loaded: {error}", ok=False)
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    backends = getattr(backend, "backends", None)
    if backends == []:  # keyring's chainer with nothing to chain: nothing can be stored
        name += " (empty)"
    lowered = name.casefold()
    if "plaintext" in lowered:
        problem = "stores credentials in PLAIN TEXT on disk"
    elif ".fail." in lowered or ".null." in lowered or lowered.endswith(" (empty)"):
        problem = "cannot store credentials: every sign-in is lost"
    else:
        return Finding("Keyring", name)
    return Finding(
        "Keyring",
        f"WARNING: {name} {problem}",
        ok=False,
        advice="Install and unlock the system keychain (Secret Service on Linux, e.g. gnome-keyring),\n"
        "or set PYTHON_KEYRING_BACKEND to a secure backend.",
    )
