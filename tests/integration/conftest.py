"""Fixtures for end-to-end runs: a small generated workspace shared by the module."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace of 80 generated cases (seed 11)."""
    data_dir = tmp_path_factory.mktemp("generated") / "workspace"
    assert main(["generate", "--data-dir", str(data_dir), "--cases", "80", "--seed", "11"]) == 0
    return data_dir


def run_handoff(
    *args: str, env_extra: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m desktop ARGS`` in a fresh process, offscreen, with the test's isolated HOME."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=REPO_ROOT,
    )
