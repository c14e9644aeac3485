"""Fixtures and helpers for the workflow UI tests: a tier-1 case ready to escalate, keyboard helpers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, PersonRow, StageTransitionRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import EventKind, PersonRole, Priority, Stage
from core.settings import ME_PERSON_ID, set_setting
from core.workflow import WorkflowError
from tests.factories import add_case, add_customer, add_event, add_person, add_team
from ui.data_access import KNOWN_ERRORS, DataAccess
from ui.main_window import MainWindow

NEW_CASE_NUMBER = 3001


@dataclass(frozen=True)
class NewCase:
    """A tier-1 case nobody escalated yet, and the events of its timeline by name."""

    case_id: int
    me: int
    events: dict[str, int]


def _write_new_case(session: Session) -> NewCase:
    team = add_team(session, "Identity & SSO", key="identity")
    me = add_person(session, "Priya Raman", team)
    me.role = PersonRole.LEAD.value  # may decide approvals
    set_setting(session, ME_PERSON_ID, str(me.id))
    customer = add_customer(session, "Contoso", "strategic")
    case = add_case(
        session,
        NEW_CASE_NUMBER,
        "SSO login fails for every user after the upgrade",
        description="Since upgrading to version 4.2.1 nobody at Contoso can sign in.",
        customer=customer,
        team=team,
        stage=Stage.NEW,
        priority=Priority.URGENT,
        tier=1,
    )
    events = {
        "complaint": add_event(
            session,
            case,
            EventKind.CUSTOMER_MESSAGE,
            "This is unacceptable, please escalate to a manager. All 400 users are blocked.",
        ).id,
        "log": add_event(
            session,
            case,
            EventKind.SYSTEM_LOG,
            "ERROR saml: signature validation failed",
            author="Log bundle",
            minutes_after=20,
        ).id,
    }
    return NewCase(case_id=case.id, me=me.id, events=events)


@pytest.fixture
def workflow_data(db: DbRunner) -> Iterator[DataAccess]:
    """DataAccess as the app builds it: workflow refusals are known errors, shown in the dialogs."""
    assert issubclass(WorkflowError, KNOWN_ERRORS), "a refusal must reach the dialog, not the crash dialog"
    access = DataAccess(db)
    yield access
    access.close()


@pytest.fixture
def new_case(db: DbRunner) -> NewCase:
    """One tier-1 case in stage ``new``, with an angry customer message and a log; "me" is a lead."""
    return db.write(_write_new_case).result()


def case_stage(db: DbRunner, case_id: int) -> Stage:
    """The case's stage, read on the DB thread."""
    return db.read(lambda session: Stage(session.get_one(CaseRow, case_id).stage)).result()


def transitions(db: DbRunner, case_id: int) -> list[tuple[str | None, str, str | None]]:
    """(from, to, kind) of every recorded transition of the case, oldest first."""

    def _read(session: Session) -> list[tuple[str | None, str, str | None]]:
        rows = session.scalars(
            select(StageTransitionRow)
            .where(StageTransitionRow.case_id == case_id)
            .order_by(StageTransitionRow.id)
        )
        return [(row.from_stage, row.to_stage, row.kind) for row in rows]

    return db.read(_read).result()


def timeline_texts(db: DbRunner, case_id: int) -> list[str]:
    """The body text of every timeline event of the case, oldest first."""

    def _read(session: Session) -> list[str]:
        rows = session.scalars(
            select(TimelineEventRow)
            .where(TimelineEventRow.case_id == case_id)
            .order_by(TimelineEventRow.occurred_at, TimelineEventRow.id)
        )
        return [row.body_text for row in rows]

    return db.read(_read).result()


def set_my_role(db: DbRunner, role: PersonRole) -> None:
    """Give "me" another role."""

    def _write(session: Session) -> None:
        person_id = session.scalar(select(PersonRow.id).where(PersonRow.name == "Priya Raman"))
        session.get_one(PersonRow, person_id).role = role.value

    db.write(_write).result()


def active_main_window(qtbot: QtBot, data: DataAccess) -> MainWindow:
    """The main window on ``data``, shown, active and with its inbox loaded."""
    main = MainWindow(data, workspace_label="acme-support")
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.inbox_loaded, timeout=5000):
        main.resize(1200, 800)
        main.show()
    qtbot.waitActive(main)
    return main


def open_exposed(qtbot: QtBot, dialog: QDialog) -> None:
    """Open ``dialog`` window-modal and wait until it is on screen; qtbot closes it after the test."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it after the test
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)


def show_dialog(qtbot: QtBot, dialog: QDialog) -> None:
    """Open ``dialog`` and wait until the keyboard focus is inside it."""
    open_exposed(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))


def focused() -> QWidget:
    """The widget with the keyboard focus (keys are sent where a user's keys would go)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press ``key`` where the keyboard focus is."""
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    """Type ``text`` where the keyboard focus is."""
    qtbot.keyClicks(focused(), text)
