"""Fixtures shared by the core tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.workspace import open_workspace


@pytest.fixture
def other_workspace(tmp_path: Path) -> Iterator[Engine]:
    """A second, empty workspace to import into."""
    engine, _report = open_workspace(tmp_path / "other")
    yield engine
    engine.dispose()
