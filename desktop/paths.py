"""Where Handoff keeps workspaces: the platform's user data directory, unless told otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "Handoff"


def user_data_root() -> Path:
    """The platform's per-user data folder for Handoff (e.g. ``~/.local/share/Handoff``)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_workspace_dir() -> Path:
    """The workspace ``handoff`` opens when no ``--data-dir`` is given."""
    return user_data_root() / "workspace"


def demo_workspace_dir() -> Path:
    """The demo workspace, kept apart from real ones."""
    return user_data_root() / "demo"


def log_dir() -> Path:
    """Where log files go."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def bundled_resource(*parts: str) -> Path:
    """A file under ``resources/``: beside the packages in a checkout, in the bundle when frozen."""
    root = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return root.joinpath("resources", *parts)


def app_icon_file() -> Path:
    """Handoff's icon (256 px PNG), for the window and the tray."""
    return bundled_resource("packaging", "handoff.png")
