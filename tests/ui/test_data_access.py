"""DataAccess: results on the main thread, preemptive keyed loads, coalesced change sets, error routing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import shiboken6
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.communication.errors import AttachmentError
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.queries.case_detail import CaseNotFoundError, case_id_for_number
from tests.ui.conftest import Sample
from ui.data_access import DataAccess


class Gate:
    """A unit of work that blocks the DB thread until released (to order requests deterministically)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, _session: Session, value: str) -> str:
        self.started.set()
        assert self.release.wait(10)
        return value


def _thread_id(_session: Session) -> int:
    return threading.get_ident()


def test_results_arrive_on_the_main_thread(qtbot: QtBot, data: DataAccess) -> None:
    received: list[tuple[int, int]] = []

    data.read(_thread_id, on_result=lambda db_thread: received.append((db_thread, threading.get_ident())))

    qtbot.waitUntil(lambda: bool(received))
    db_thread, callback_thread = received[0]
    assert callback_thread == threading.get_ident()
    assert db_thread != callback_thread


def test_a_newer_keyed_request_drops_the_older_result(qtbot: QtBot, data: DataAccess) -> None:
    gate = Gate()
    results: list[str] = []
    older = data.read(gate, "older", on_result=results.append, key="search")
    assert gate.started.wait(5)  # the older one is running: it cannot be cancelled, only dropped

    data.read(lambda _s: "newer", on_result=results.append, key="search")
    gate.release.set()

    # Deliveries are queued in the order the futures finished: when the newer result is in,
    # the older one has been delivered (and dropped) already.
    qtbot.waitUntil(lambda: bool(results))
    assert results == ["newer"]
    assert older.cancelled and older.done


def test_a_superseded_request_that_has_not_started_never_runs(qtbot: QtBot, data: DataAccess) -> None:
    gate = Gate()
    ran: list[str] = []
    data.read(gate, "blocker", on_result=ran.append)
    assert gate.started.wait(5)

    queued = data.read(lambda _s: ran.append("queued") or "queued", on_result=ran.append, key="case")
    latest = data.read(lambda _s: "latest", on_result=ran.append, key="case")
    gate.release.set()

    qtbot.waitUntil(lambda: latest.done and "latest" in ran)
    assert queued.cancelled
    assert "queued" not in ran


def test_different_keys_do_not_preempt_each_other(qtbot: QtBot, data: DataAccess) -> None:
    results: list[str] = []
    data.read(lambda _s: "a", on_result=results.append, key="page-1")
    data.read(lambda _s: "b", on_result=results.append, key="page-2")

    qtbot.waitUntil(lambda: sorted(results) == ["a", "b"])


def test_change_sets_within_the_window_are_published_once_merged(qtbot: QtBot, data: DataAccess) -> None:
    published: list[ChangeSet] = []
    data.changes_applied.connect(published.append)

    with qtbot.waitSignal(data.changes_applied, timeout=2000):
        data.publish(ChangeSet(cases=frozenset({1})))
        data.publish(ChangeSet(cases=frozenset({2}), cases_added=frozenset({3})))
        data.publish(ChangeSet())  # empty: ignored

    assert published == [ChangeSet(cases=frozenset({1, 2}), cases_added=frozenset({3}))]


def test_a_write_returning_a_change_set_is_published(qtbot: QtBot, data: DataAccess) -> None:
    results: list[Any] = []

    with qtbot.waitSignal(data.changes_applied, timeout=2000) as blocker:
        data.write(lambda _s: ChangeSet(cases=frozenset({7}), initiator="test"), on_result=results.append)

    assert blocker.args == [ChangeSet(cases=frozenset({7}), initiator="test")]
    assert results == [ChangeSet(cases=frozenset({7}), initiator="test")]


def test_a_known_error_goes_to_on_error(qtbot: QtBot, data: DataAccess) -> None:
    errors: list[BaseException] = []

    data.read(case_id_for_number, 424242, on_result=pytest.fail, on_error=errors.append)

    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], CaseNotFoundError)


def test_a_known_error_without_handler_becomes_error_occurred(
    qtbot: QtBot, data: DataAccess, caplog: pytest.LogCaptureFixture
) -> None:
    with qtbot.waitSignal(data.error_occurred, timeout=2000) as blocker:
        data.read(case_id_for_number, 424242, on_result=pytest.fail)

    assert "no case number 424242" in blocker.args[0]
    assert "no case number 424242" in caplog.text


def _refuse_the_attachment(_session: Session) -> None:
    raise AttachmentError("“trace.har” is 40 MB; attachments can be at most 25 MB.")


def test_a_communication_error_goes_to_on_error_not_the_excepthook(qtbot: QtBot, data: DataAccess) -> None:
    errors: list[BaseException] = []

    with qtbot.captureExceptions() as exceptions:
        ticket = data.write(_refuse_the_attachment, on_result=pytest.fail, on_error=errors.append)
        qtbot.waitUntil(lambda: ticket.done and bool(errors))

    assert isinstance(errors[0], AttachmentError)
    assert exceptions == []


def test_a_communication_error_without_handler_becomes_error_occurred(
    qtbot: QtBot, data: DataAccess, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        qtbot.captureExceptions() as exceptions,
        qtbot.waitSignal(data.error_occurred, timeout=2000) as blocker,
    ):
        data.write(_refuse_the_attachment)

    assert blocker.args == ["“trace.har” is 40 MB; attachments can be at most 25 MB."]
    assert "trace.har" in caplog.text
    assert exceptions == []


def test_a_bug_reaches_the_excepthook_not_the_error_handler(qtbot: QtBot, data: DataAccess) -> None:
    errors: list[BaseException] = []

    def broken(_session: Session) -> None:
        raise ZeroDivisionError("a bug")

    with qtbot.captureExceptions() as exceptions:
        ticket = data.read(broken, on_result=pytest.fail, on_error=errors.append)
        qtbot.waitUntil(lambda: ticket.done and bool(exceptions))

    assert isinstance(exceptions[0][1], ZeroDivisionError)
    assert errors == []


def test_after_close_nothing_is_delivered(qtbot: QtBot, db: DbRunner) -> None:
    access = DataAccess(db)
    gate = Gate()
    results: list[str] = []
    ticket = access.read(gate, "late", on_result=results.append)
    assert gate.started.wait(5)

    access.close()
    gate.release.set()

    # A later delivery through another DataAccess is queued behind the closed one's.
    probe = DataAccess(db)
    later: list[str] = []
    probe.read(lambda _s: "probe", on_result=later.append)
    qtbot.waitUntil(lambda: later == ["probe"])
    assert ticket.done
    assert results == []
    probe.close()


def test_reads_see_the_sample_workspace(qtbot: QtBot, data: DataAccess, sample: Sample) -> None:
    found: list[int] = []

    data.read(case_id_for_number, 1003, on_result=found.append)

    qtbot.waitUntil(lambda: found == [sample.id(1003)])


def test_a_widget_deleted_while_its_load_runs_is_not_called_back(qtbot: QtBot, data: DataAccess) -> None:
    from PySide6.QtWidgets import QLabel

    gate = Gate()
    label = QLabel()
    data.read(gate, "late text", on_result=label.setText)
    assert gate.started.wait(5)
    label.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(label))

    gate.release.set()
    later: list[str] = []
    data.read(lambda _s: "probe", on_result=later.append)

    qtbot.waitUntil(lambda: later == ["probe"])  # the late result was dropped, nothing raised
