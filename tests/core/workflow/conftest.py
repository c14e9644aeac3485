"""Workflow test fixtures: the organisation every workflow test acts with."""

from __future__ import annotations

import pytest

from core.db.runner import DbRunner
from tests.core.workflow.builders import Org, build_org


@pytest.fixture
def org(db: DbRunner) -> Org:
    """Two teams, a specialist, a lead and a manager, in the test workspace."""
    return db.write(build_org).result()
