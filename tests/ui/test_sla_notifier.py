"""SLA alerts: once per case and threshold, rate-limited, can be turned off; a banner without a tray."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.domain.enums import SavedView
from core.policy import DEFAULT_POLICY, Feature, Policy, set_current_policy
from tests.factories import add_case
from tests.ui.conftest import Sample
from tests.ui.sla_support import T0, set_deadlines
from ui.data_access import DataAccess
from ui.main_window import MainWindow
from ui.sla_notifier import ICON_SIZE, SlaNotifier, badge_icon


@dataclass
class FakeNow:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: float) -> None:
        self.now = T0 + timedelta(minutes=minutes)


def _minutes(value: float) -> datetime:
    return T0 + timedelta(minutes=value)


@pytest.fixture
def fake_now() -> FakeNow:
    return FakeNow()


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


class Recorder:
    """The pop-ups a notifier sent."""

    def __init__(self, notifier: SlaNotifier) -> None:
        self.popups: list[tuple[str, str]] = []
        notifier.notified.connect(lambda title, body: self.popups.append((title, body)))

    @property
    def titles(self) -> list[str]:
        return [title for title, _body in self.popups]


def _notifier(
    qtbot: QtBot, data: DataAccess, window: QWidget, fake_now: FakeNow, max_per_minute: int = 3
) -> tuple[SlaNotifier, Recorder]:
    notifier = SlaNotifier(data, window, now=fake_now, tray_available=False, max_per_minute=max_per_minute)
    recorder = Recorder(notifier)
    with qtbot.waitSignal(notifier.checked, timeout=5000):
        notifier.start()
    return notifier, recorder


def _check(qtbot: QtBot, notifier: SlaNotifier, fake_now: FakeNow, minutes: float) -> None:
    fake_now.at(minutes)
    with qtbot.waitSignal(notifier.checked, timeout=5000):
        notifier.check()  # what the armed timer does at the next moment


def test_a_case_entering_warning_is_announced_once(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample, window: QWidget, fake_now: FakeNow
) -> None:
    case_id = sample.id(1001)
    set_deadlines(db, {case_id: (_minutes(40), _minutes(10), "next_reply")}, only=True)
    notifier, recorder = _notifier(qtbot, data, window, fake_now)
    assert (notifier.at_risk, notifier.next_moment, notifier.timer_armed) == (0, _minutes(10), True)

    _check(qtbot, notifier, fake_now, 10.5)
    assert recorder.popups == [
        (
            "Case #1001 at risk",
            "Next reply breaches in 29 min · Okta SSO login loops back to the sign-in page",
        )
    ]
    assert notifier.at_risk == 1
    assert notifier.next_moment == _minutes(40)  # then the deadline itself

    _check(qtbot, notifier, fake_now, 12)
    with qtbot.waitSignal(notifier.checked, timeout=5000):
        data.publish(
            ChangeSet(cases=frozenset({case_id}))
        )  # a change re-checks the case: still the same warning
    assert len(recorder.popups) == 1

    _check(qtbot, notifier, fake_now, 41)
    assert recorder.titles == ["Case #1001 at risk", "Case #1001 breached its SLA"]
    assert recorder.popups[1][1].startswith("Next reply overdue 1 min")


def test_cases_already_at_risk_at_start_are_counted_not_announced(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample, window: QWidget, fake_now: FakeNow
) -> None:
    set_deadlines(db, {sample.id(1001): (_minutes(-5), _minutes(-35), "next_reply")}, only=True)
    notifier, recorder = _notifier(qtbot, data, window, fake_now)

    assert recorder.popups == []
    assert notifier.at_risk == 1
    assert notifier.banner is not None and notifier.banner.isVisibleTo(window)
    assert notifier.banner.text == "1 case at risk"


def test_a_change_that_puts_a_case_at_risk_is_announced_at_once(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample, window: QWidget, fake_now: FakeNow
) -> None:
    case_id = sample.id(1002)
    set_deadlines(db, {}, only=True)
    notifier, recorder = _notifier(qtbot, data, window, fake_now)
    fake_now.at(1)
    set_deadlines(db, {case_id: (_minutes(20), _minutes(-10), "first_reply")})  # warning moment already past

    with qtbot.waitSignal(notifier.checked, timeout=5000):
        data.publish(ChangeSet(cases=frozenset({case_id})))

    assert recorder.popups == [
        (
            "Case #1002 at risk",
            "First reply breaches in 19 min · SAML assertion rejected after certificate rotation",
        )
    ]


def test_a_burst_is_collapsed_and_rate_limited(
    qtbot: QtBot, data: DataAccess, db: DbRunner, window: QWidget, fake_now: FakeNow
) -> None:
    def seed(session: Session) -> list[int]:
        return [add_case(session, 2000 + n, f"Case {n}").id for n in range(7)]

    ids = db.write(seed).result()
    deadlines = {case_id: (_minutes(60), _minutes(10), "resolution") for case_id in ids[:5]}
    deadlines |= {case_id: (_minutes(60), _minutes(10.2), "resolution") for case_id in ids[5:]}
    set_deadlines(db, deadlines, only=True)
    notifier, recorder = _notifier(qtbot, data, window, fake_now, max_per_minute=3)

    _check(qtbot, notifier, fake_now, 10.1)  # five cases entered warning together
    assert recorder.titles == ["Case #2000 at risk", "Case #2001 at risk", "Handoff"]
    assert recorder.popups[-1][1] == "3 more cases at risk"
    assert notifier.banner is not None
    assert notifier.banner.text.startswith("5 cases at risk — Case #2001 at risk: ")
    assert notifier.banner.text.endswith(" (and 3 more)")  # never "Handoff: 3 more cases at risk"

    _check(qtbot, notifier, fake_now, 10.3)  # two more within the same minute: no more pop-ups
    assert len(recorder.popups) == 3
    assert notifier.banner is not None and notifier.banner.text.startswith("7 cases at risk — ")

    _check(qtbot, notifier, fake_now, 10.3)
    assert len(recorder.popups) == 3  # and they are not announced later either


def test_turning_notifications_off_stops_pop_ups_but_keeps_the_count(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample, window: QWidget, fake_now: FakeNow
) -> None:
    set_deadlines(db, {sample.id(1001): (_minutes(40), _minutes(10), "next_reply")}, only=True)
    notifier, recorder = _notifier(qtbot, data, window, fake_now)

    notifier.set_enabled(False)
    _check(qtbot, notifier, fake_now, 11)

    assert recorder.popups == []
    assert notifier.banner is not None and notifier.banner.text == "1 case at risk"

    # The choice is kept in the workspace: a new notifier starts with pop-ups off.
    later = SlaNotifier(data, window, now=fake_now, tray_available=False)
    with qtbot.waitSignal(later.enabled_changed, timeout=5000) as changed:
        later.start()
    assert changed.args == [False]


def test_pop_ups_the_it_policy_turns_off_stay_off_whatever_the_user_chose(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample, window: QWidget, fake_now: FakeNow
) -> None:
    set_deadlines(db, {sample.id(1001): (_minutes(40), _minutes(10), "next_reply")}, only=True)
    set_current_policy(Policy(disabled_features=frozenset({Feature.SLA_NOTIFICATIONS})))
    try:
        notifier, recorder = _notifier(qtbot, data, window, fake_now)
        assert notifier.managed
        notifier.set_enabled(True)  # the View menu's switch, were it not disabled
        _check(qtbot, notifier, fake_now, 11)

        assert recorder.popups == []
        assert notifier.banner is not None and notifier.banner.text == "1 case at risk"  # the count stays
    finally:
        set_current_policy(DEFAULT_POLICY)


def test_without_a_tray_the_banner_shows_the_alert_and_the_count(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample, window: QWidget, fake_now: FakeNow
) -> None:
    set_deadlines(
        db,
        {
            sample.id(1001): (_minutes(40), _minutes(10), "next_reply"),
            sample.id(1002): (_minutes(-5), _minutes(-30), "resolution"),
        },
        only=True,
    )
    notifier, _recorder = _notifier(qtbot, data, window, fake_now)
    assert notifier.tray is None and notifier.banner is not None

    _check(qtbot, notifier, fake_now, 10.5)

    assert notifier.banner.text == (
        "2 cases at risk — Case #1001 at risk: Next reply breaches in 29 min"
        " · Okta SSO login loops back to the sign-in page"
    )
    with qtbot.waitSignal(notifier.show_at_risk_requested, timeout=1000):
        qtbot.mouseClick(notifier.banner.show_button, Qt.MouseButton.LeftButton)


def test_the_tray_badge_draws_the_count(qapp: object) -> None:
    plain = badge_icon(QIcon(), 0, QColor("red")).pixmap(ICON_SIZE, ICON_SIZE).toImage()
    badged = badge_icon(QIcon(), 4, QColor("red")).pixmap(ICON_SIZE, ICON_SIZE).toImage()
    corner = (ICON_SIZE * 13 // 16, ICON_SIZE * 5 // 16)  # inside the badge, top right

    assert plain.pixelColor(*corner).alpha() == 0
    assert badged.pixelColor(*corner).alpha() == 255


def test_the_main_window_shows_the_banner_and_a_notifications_switch(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample
) -> None:
    set_deadlines(db, {sample.id(1001): (_minutes(-5), _minutes(-35), "next_reply")}, only=True)
    main = MainWindow(data, workspace_label="acme-support")
    qtbot.addWidget(main)
    main.resize(1200, 800)
    main.show()
    notifier = main.sla_notifier
    banner = notifier.banner
    assert banner is not None  # the offscreen platform has no tray
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=5000)
    assert banner.text == "1 case at risk"
    assert banner.window() is main

    switch = main.action_registry.action("view.sla_notifications")
    assert switch.isChecked() and notifier.enabled
    switch.trigger()
    assert not switch.isChecked() and not notifier.enabled

    banner.show_button.click()
    assert main.action_registry.action(f"view.{SavedView.AT_RISK.value}").isChecked()


@pytest.mark.qt_log_ignore("systemTrayWindowChanged")  # offscreen has no tray: Qt says so, harmlessly
def test_with_a_tray_the_icon_carries_the_count_and_shows_the_pop_ups(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample, window: QWidget, fake_now: FakeNow
) -> None:
    set_deadlines(db, {sample.id(1001): (_minutes(40), _minutes(10), "next_reply")}, only=True)
    notifier = SlaNotifier(data, window, now=fake_now, tray_available=True)
    recorder = Recorder(notifier)
    with qtbot.waitSignal(notifier.checked, timeout=5000):
        notifier.start()
    assert notifier.banner is None and notifier.tray is not None
    assert notifier.tray.toolTip() == "Handoff"

    _check(qtbot, notifier, fake_now, 10.5)

    assert notifier.tray.toolTip() == "Handoff — 1 case at risk"
    assert not notifier.tray.icon().isNull()
    assert recorder.titles == ["Case #1001 at risk"]
