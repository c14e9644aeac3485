"""DbRunner: one DB thread, writes commit, failures roll back, reads never write."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.db.runner import DbRunner
from tests.factories import add_case


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CaseRow)) or 0


def test_write_commits_and_later_reads_see_it(db: DbRunner) -> None:
    db.write(lambda s: add_case(s, 1, "Webhook retries stop after 3 attempts") and None).result()

    assert db.read(_count).result() == 1


def test_a_failing_write_leaves_nothing_behind(db: DbRunner) -> None:
    def add_then_fail(session: Session) -> None:
        add_case(session, 2, "SAML assertion rejected")
        raise ValueError("validation failed half-way")

    with pytest.raises(ValueError, match="half-way"):
        db.write(add_then_fail).result()

    assert db.read(_count).result() == 0


def test_changes_made_in_a_read_are_rolled_back(db: DbRunner) -> None:
    db.read(lambda s: add_case(s, 3, "CSV export truncates unicode") and None).result()

    assert db.read(_count).result() == 0


def test_all_work_runs_on_one_thread_that_is_not_the_caller(db: DbRunner) -> None:
    seen = {db.read(lambda _s: threading.get_ident()).result() for _ in range(5)}
    seen.add(db.write(lambda _s: threading.get_ident()).result())

    assert len(seen) == 1
    assert threading.get_ident() not in seen
    assert not db.is_db_thread()
