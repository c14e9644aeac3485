"""The conflict dialog: both values per field, the remote author and time, and the choice applied."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QLabel, QRadioButton
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.domain.enums import OutboxState, Stage
from core.remote.delivery import OutboxItem, discard_entry, outbox_items
from tests.core.remote.builders import T0
from tests.ui.sync_support import (
    ZendeskCases,
    case_fields,
    conflict,
    move_stage,
    timeline_texts,
    zendesk_cases,
)
from ui.data_access import DataAccess
from ui.dialogs.conflict_dialog import LOCAL, OTHER, REMOTE, ConflictDialog
from ui.formatting import format_short_timestamp


@pytest.fixture
def item(db: DbRunner) -> tuple[ZendeskCases, OutboxItem]:
    cases = zendesk_cases(db)
    entry = move_stage(db, cases.first, cases.author, Stage.AWAITING_CUSTOMER)
    conflict(db, entry)
    return cases, db.read(outbox_items).result()[0]


def _dialog(qtbot: QtBot, data: DataAccess, item: OutboxItem) -> ConflictDialog:
    dialog = ConflictDialog(data, item)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_shows_both_values_per_field_and_who_changed_the_ticket_when(
    qtbot: QtBot, data: DataAccess, item: tuple[ZendeskCases, OutboxItem]
) -> None:
    dialog = _dialog(qtbot, data, item[1])

    radios = [radio.text() for radio in dialog.findChildren(QRadioButton) if radio.text()]
    assert radios == ["Awaiting customer", "Awaiting engineering", "Normal", "Urgent"]
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Zendesk" in labels and "Handoff (your change)" in labels
    assert "Stage" in labels and "Priority" in labels
    assert "Sam Ortiz changed the ticket in Zendesk on" in dialog.intro.text()
    assert format_short_timestamp(T0 + timedelta(minutes=3)) in dialog.intro.text()  # when it changed
    assert not any(radio.isChecked() for radio in dialog.findChildren(QRadioButton))  # nothing chosen for you
    assert not dialog.apply_button.isEnabled()
    dialog.choose("stage", LOCAL)
    assert not dialog.apply_button.isEnabled()  # every field needs a choice
    dialog.choose("priority", REMOTE)
    assert dialog.apply_button.isEnabled()


def test_apply_keeps_handoffs_stage_takes_zendesks_priority_and_records_the_decision(
    qtbot: QtBot, data: DataAccess, db: DbRunner, item: tuple[ZendeskCases, OutboxItem]
) -> None:
    cases, entry = item
    dialog = _dialog(qtbot, data, entry)
    dialog.choose("stage", LOCAL)
    dialog.choose("priority", REMOTE)

    with qtbot.wait_signal(dialog.completed):
        dialog.apply_button.click()

    assert not dialog.isVisible()
    assert case_fields(db, cases.first) == ("awaiting_customer", "urgent")
    assert db.read(outbox_items).result()[0].entry.state is OutboxState.PENDING  # goes out again
    assert timeline_texts(db, cases.first)[-1].startswith("Conflict with Zendesk resolved:")


def test_a_conflict_gone_meanwhile_is_said_in_the_dialog(
    qtbot: QtBot, data: DataAccess, db: DbRunner, item: tuple[ZendeskCases, OutboxItem]
) -> None:
    _cases, entry = item
    dialog = _dialog(qtbot, data, entry)
    db.write(discard_entry, entry.entry.id, "Marco Bellini").result()  # someone else gave it up
    dialog.choose("stage", REMOTE)
    dialog.choose("priority", REMOTE)

    with qtbot.wait_signal(dialog.problem_shown) as shown:
        dialog.apply()

    assert "not in conflict any more" in shown.args[0]
    assert dialog.isVisible() and dialog.problem.isVisible()


def test_another_value_merges_both_sides(
    qtbot: QtBot, data: DataAccess, db: DbRunner, item: tuple[ZendeskCases, OutboxItem]
) -> None:
    cases, entry = item
    dialog = _dialog(qtbot, data, entry)
    dialog.choose("priority", REMOTE)
    dialog.choose("stage", OTHER)
    assert not dialog.apply_button.isEnabled()  # "another value" needs the value
    dialog.choose("stage", OTHER, "investigating")
    assert dialog.chosen() == {"stage": "investigating", "priority": "urgent"}

    with qtbot.wait_signal(dialog.completed):
        dialog.apply_button.click()

    assert case_fields(db, cases.first) == ("investigating", "urgent")
    assert "stage: set to “Investigating”" in timeline_texts(db, cases.first)[-1]
