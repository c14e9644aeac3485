"""Benchmarks run on demand (``pytest tests/benchmarks``), never in the default test run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.cli import main

BENCH_CASES = int(os.environ.get("HANDOFF_BENCH_CASES", "100000"))


@pytest.fixture(scope="session")
def bench_workspace() -> Path:
    """A generated workspace of ``HANDOFF_BENCH_CASES`` cases (default 100,000), reused across runs.

    Its folder is ``HANDOFF_BENCH_DIR`` or ``/tmp/handoff-bench-<cases>``; generating
    100,000 cases takes about two minutes, so it is kept for the next run.
    """
    folder = Path(os.environ.get("HANDOFF_BENCH_DIR", f"/tmp/handoff-bench-{BENCH_CASES}"))
    if not (folder / "handoff.sqlite").exists():
        assert (
            main(["generate", "--data-dir", str(folder), "--cases", str(BENCH_CASES), "--seed", "2026"]) == 0
        )
    return folder
