"""Nothing lost: a process killed mid-typing or mid-send keeps the draft, and never half a message.

Each test starts a real Handoff process (offscreen) that opens a case, types into the composer or the
note editor and reports on stdout what it reached; the test then SIGKILLs it at that point and
reopens the workspace the way the next start would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.communication.drafts import load_draft
from core.db.models import OutboxRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, EventKind, OutboxOperation
from core.settings import ME_PERSON_ID, set_setting
from core.workspace import open_workspace
from tests.factories import add_case, add_customer, add_person, add_team
from tests.integration.conftest import REPO_ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

SAVED_TEXT = "Customer confirmed the clock skew is gone after enabling NTP"
UNSAVED_TEXT = " and then the specialist kept typing"

# The app side: open the case, type, report progress; an optional pause inside the send transaction.
DRIVER = r"""
import sys, time
from pathlib import Path
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event
from core.db.runner import DbRunner
from core.workspace import open_workspace
from ui.case_view import CaseView
from ui.data_access import DataAccess

workspace, case_id, target, action = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
saved_text, unsaved_text = sys.argv[5], sys.argv[6]
app = QApplication([])
engine, _report = open_workspace(workspace)
data = DataAccess(DbRunner(engine))
view = CaseView(data)
view.resize(1000, 800)
view.show()
widget = view.composer if target == "reply" else view.note_editor
saves = []

@event.listens_for(engine, "before_cursor_execute")
def _watch(conn, _cursor, statement, *_args):
    if statement.startswith("INSERT INTO timeline_events"):
        conn.info["writes_event"] = True

@event.listens_for(engine, "commit")
def _hold(conn):
    if conn.info.pop("writes_event", False) and action == "kill-inside-send":
        print("inside-send-transaction", flush=True)
        time.sleep(120)  # killed here: the event is written but not committed

def on_restored(_case_id):
    view.start_reply() if target == "reply" else view.start_investigation_note()
    if action == "report-draft":
        print("restored:" + widget.editor.toPlainText(), flush=True)
        return
    QTest.keyClicks(widget.editor, saved_text)

def on_draft_saved(_case_id):
    saves.append(_case_id)
    if len(saves) > 1:
        return
    print("draft-saved", flush=True)
    if action == "kill-while-typing":
        QTest.keyClicks(widget.editor, unsaved_text)  # mid-sentence, before the next pause
    elif target == "reply":
        widget.send()
    else:
        widget.save_note()

def on_sent(_case_id):
    print("sent", flush=True)

view.drafts_restored.connect(on_restored)
widget.draft_saved.connect(on_draft_saved)
(widget.message_sent if target == "reply" else widget.note_saved).connect(on_sent)
view.show_case(case_id)
app.exec()
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Path, int, int]]:
    """A workspace with one case under investigation; yields (folder, case id, my person id)."""
    root = tmp_path / "workspace"
    engine, _report = open_workspace(root)
    runner = DbRunner(engine)

    def build(session: Session) -> tuple[int, int]:
        team = add_team(session)
        me = add_person(session, "Priya Raman", team)
        set_setting(session, ME_PERSON_ID, str(me.id))
        case = add_case(
            session, 1001, "Okta login loop", customer=add_customer(session), team=team, assignee=me
        )
        return case.id, me.id

    case_id, me = runner.write(build).result()
    runner.shutdown()
    yield root, case_id, me


def run_until(workspace: Path, case_id: int, target: str, action: str, marker: str) -> str:
    """Start the driver and SIGKILL it as soon as it prints a line starting with ``marker``; that line."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    args = [str(workspace), str(case_id), target, action, SAVED_TEXT, UNSAVED_TEXT]
    with subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    ) as process:
        assert process.stdout is not None
        try:
            for line in process.stdout:
                if line.startswith(marker):
                    break
            else:
                pytest.fail(
                    f"the app ended before {marker!r}: {process.stderr.read() if process.stderr else ''}"
                )
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
    return line.rstrip("\n")


def reopen(workspace: Path) -> DbRunner:
    engine, _report = open_workspace(workspace)
    return DbRunner(engine)


def sent_messages(session: Session, case_id: int) -> list[tuple[str, str, str | None]]:
    """(kind, text, outbox operation) of every event written locally on the case."""
    rows = session.execute(
        select(TimelineEventRow.kind, TimelineEventRow.body_text, OutboxRow.operation)
        .outerjoin(OutboxRow, OutboxRow.id == TimelineEventRow.outbox_id)
        .where(TimelineEventRow.case_id == case_id, TimelineEventRow.source_system == "local")
    )
    return [(kind, text, operation) for kind, text, operation in rows]


@pytest.mark.parametrize(
    ("target", "channel"),
    [("reply", DraftChannel.PUBLIC_REPLY), ("note", DraftChannel.INVESTIGATION_NOTE)],
)
def test_a_kill_mid_sentence_keeps_everything_typed_before_the_last_pause(
    workspace: tuple[Path, int, int], target: str, channel: DraftChannel
) -> None:
    root, case_id, me = workspace

    run_until(root, case_id, target, "kill-while-typing", "draft-saved")

    runner = reopen(root)
    try:
        draft = runner.read(load_draft, case_id, channel, me).result()
        assert draft is not None
        assert draft.body.startswith(SAVED_TEXT)
        assert runner.read(sent_messages, case_id).result() == []
    finally:
        runner.shutdown()
    # The next start of the app shows it in the editor again.
    restored = run_until(root, case_id, target, "report-draft", "restored:")
    assert restored == "restored:" + draft.body


@pytest.mark.parametrize(
    ("target", "channel", "kind", "operation"),
    [
        ("reply", DraftChannel.PUBLIC_REPLY, EventKind.AGENT_REPLY, OutboxOperation.ADD_PUBLIC_REPLY),
        ("note", DraftChannel.INVESTIGATION_NOTE, EventKind.INTERNAL_NOTE, OutboxOperation.ADD_INTERNAL_NOTE),
    ],
)
@pytest.mark.parametrize("moment", ["kill-inside-send", "kill-after-send"])
def test_a_kill_during_a_send_leaves_either_the_whole_message_or_the_draft(
    workspace: tuple[Path, int, int],
    target: str,
    channel: DraftChannel,
    kind: EventKind,
    operation: OutboxOperation,
    moment: str,
) -> None:
    root, case_id, me = workspace

    run_until(
        root, case_id, target, moment, "inside-send-transaction" if moment == "kill-inside-send" else "sent"
    )

    runner = reopen(root)
    try:
        messages = runner.read(sent_messages, case_id).result()
        draft = runner.read(load_draft, case_id, channel, me).result()
        if moment == "kill-inside-send":
            assert messages == []
            assert draft is not None and draft.body == SAVED_TEXT
        else:
            assert messages == [(kind.value, SAVED_TEXT, operation.value)]
            assert draft is None
    finally:
        runner.shutdown()
