"""SlaNotifier: tells a specialist when a case enters its SLA warning window or breaches.

It never polls. At start and after every change set it reads (off the UI thread, through
:mod:`core.queries.sla_watch`) the number of open cases at risk, the next moment a warning
or a deadline comes, and which cases crossed a threshold since the last check; then it arms
one single-shot timer for that next moment.

Each (case, threshold, deadline) is announced once. At most ``max_per_minute`` pop-ups go
out per minute; the rest of a burst collapses into one "5 more cases at risk". Pop-ups can
be turned off (the count stays visible). Where the platform has a system tray, a tray icon
carries the at-risk count as a badge and shows the pop-ups; elsewhere (and in tests, on the
offscreen platform) an in-window :class:`SlaBanner` shows the count and the last alert, with
a Show button that asks for the At risk view.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QWidget,
)

from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.policy import SettingKey, current_policy
from core.policy.preferences import locked_keys, read_preferences
from core.queries.sla_watch import (
    Crossing,
    SlaWatch,
    Threshold,
    set_notifications_enabled,
    watch,
)
from ui.data_access import DataAccess
from ui.labels import sla_metric_label
from ui.sla_clocks import duration_text
from ui.tones import Tone, accent, tint

WATCH_KEY = "sla-watch"
MAX_PER_MINUTE = 3
RATE_WINDOW = timedelta(minutes=1)
TIMER_SLACK_MS = 250  # fire just after the moment, so the crossing is inside the window
LONGEST_WAIT_MS = 60 * 60 * 1000  # re-check at least hourly (sleep, clock changes)
ICON_SIZE = 64
Now = Callable[[], datetime]
NotifiedKey = tuple[int, Threshold, datetime]


def at_risk_text(count: int) -> str:
    """ "1 case at risk", "3 cases at risk"."""
    if count == 1:
        return QCoreApplication.translate("SlaNotifier", "1 case at risk")
    return QCoreApplication.translate("SlaNotifier", "{0} cases at risk").format(count)


class SlaBanner(QFrame):
    """The in-window stand-in for a tray: "3 cases at risk", the last alert, then Show.

    Signals:
        show_requested(): the user pressed Show.
    """

    show_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slaBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("SLA alerts"))
        self._message = QLabel()
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setWordWrap(True)
        self._count = QLabel()
        self._count.setTextFormat(Qt.TextFormat.PlainText)
        font = self._count.font()
        font.setBold(True)
        self._count.setFont(font)
        self.show_button = QPushButton(self.tr("&Show"))
        self.show_button.setAccessibleName(self.tr("Show the cases at risk"))
        self.show_button.clicked.connect(self.show_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.setSpacing(12)
        row.addWidget(self._count)
        row.addWidget(self._message, 1)
        row.addWidget(self.show_button)
        self._apply_palette()
        self.setVisible(False)

    @property
    def text(self) -> str:
        """What the banner says (alert and count), as a user reads it."""
        parts = [label.text() for label in (self._count, self._message) if label.text()]
        return " — ".join(parts)

    def set_state(self, at_risk: int, message: str) -> None:
        """Show ``at_risk`` and the last alert ``message``; hidden with nothing at risk and nothing to say."""
        self._count.setText(at_risk_text(at_risk) if at_risk else "")
        self._message.setText(message)
        self.setVisible(bool(at_risk or message))

    def _apply_palette(self) -> None:
        palette = self.palette()
        background = tint(Tone.WARNING, palette, 0.18).name()
        border = accent(Tone.WARNING, palette).name()
        self.setStyleSheet(
            f"QFrame#slaBanner {{ background: {background}; border: 1px solid {border};"
            " border-radius: 4px; }"
        )


def badge_icon(base: QIcon, count: int, colour: QColor) -> QIcon:
    """``base`` with ``count`` drawn in a round badge in its top-right corner (none for 0)."""
    pixmap = base.pixmap(ICON_SIZE, ICON_SIZE)
    if pixmap.isNull():
        pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
    if count <= 0:
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    diameter = ICON_SIZE * 5 // 8
    badge = QRect(ICON_SIZE - diameter, 0, diameter, diameter)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(badge)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(diameter * (5 if count < 10 else 4) // 8)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pixmap)


class SlaNotifier(QObject):
    """Watches the stored SLA deadlines and alerts on warnings and breaches (see the module docs).

    Signals:
        at_risk_changed(int): the number of open cases in warning or breached changed.
        notified(str, str): a pop-up went out (title, message); also when it is shown in the banner.
        show_at_risk_requested(): the user asked to see the cases at risk (banner, tray or pop-up).
        enabled_changed(bool): pop-ups were turned on or off.
        checked(): a check finished (count, crossings and the next moment are up to date).
    """

    at_risk_changed = Signal(int)
    notified = Signal(str, str)
    show_at_risk_requested = Signal()
    enabled_changed = Signal(bool)
    checked = Signal()

    def __init__(
        self,
        data: DataAccess,
        parent_window: QWidget,
        *,
        now: Now = utc_now,
        tray_available: bool | None = None,
        max_per_minute: int = MAX_PER_MINUTE,
    ) -> None:
        super().__init__(parent_window)
        self._data = data
        self._window = parent_window
        self._now = now
        self._max_per_minute = max(1, max_per_minute)
        self._enabled = True
        self._at_risk = 0
        self._last_check: datetime | None = None
        self._pending_changed: set[int] = set()
        self._notified: set[NotifiedKey] = set()
        self._sent: deque[datetime] = deque()
        self._next_moment: datetime | None = None
        self._last_message = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)
        has_tray = QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None else tray_available
        self.banner: SlaBanner | None = None if has_tray else SlaBanner(parent_window)
        self.tray: QSystemTrayIcon | None = QSystemTrayIcon(self) if has_tray else None
        if self.banner is not None:
            self.banner.show_requested.connect(self.show_at_risk_requested)
        if self.tray is not None:
            self.tray.activated.connect(self._on_tray_activated)
            self.tray.messageClicked.connect(self.show_at_risk_requested)
            self._update_tray()
            self.tray.show()
        data.changes_applied.connect(self._on_changes_applied)

    # Public API ---------------------------------------------------------------------------------

    @property
    def at_risk(self) -> int:
        """Open cases in warning or breached at the last check."""
        return self._at_risk

    @property
    def enabled(self) -> bool:
        """Whether pop-ups go out (the count is shown either way)."""
        return self._enabled

    @property
    def next_moment(self) -> datetime | None:
        """When the timer will check next (the soonest warning or deadline ahead)."""
        return self._next_moment

    @property
    def timer_armed(self) -> bool:
        """Whether a check is scheduled."""
        return self._timer.isActive()

    def start(self) -> None:
        """Read the notification setting and the first count (no alerts for what is already at risk)."""
        self._data.read(
            read_preferences,
            current_policy(),
            on_result=lambda managed: self._apply_enabled(managed.values.sla_notifications),
            key="sla-notifications-setting",
        )  # the user's choice, unless the IT policy decides
        self.check()

    @property
    def managed(self) -> bool:
        """Whether the IT policy decides about pop-ups (the user cannot turn them on or off)."""
        return SettingKey.SLA_NOTIFICATIONS in locked_keys(current_policy())

    def set_enabled(self, enabled: bool, *, store: bool = True) -> None:
        """Turn pop-ups on or off; ``store`` keeps the choice in the workspace settings.

        Nothing changes while the IT policy manages the setting.
        """
        if self.managed:
            return
        if store:
            self._data.write(set_notifications_enabled, enabled)
        self._apply_enabled(enabled)

    def check(self) -> None:
        """Read the count, the crossings since the last check and the next moment; alert and re-arm."""
        now = self._now()
        changed = tuple(
            sorted(self._pending_changed)
        )  # forgotten once answered (a newer check may supersede)
        self._data.read(
            watch,
            self._last_check,
            now,
            changed,
            on_result=lambda result: self._on_watch(now, changed, result),
            on_error=self._on_watch_failed,
            key=WATCH_KEY,
        )

    # Alerts -------------------------------------------------------------------------------------

    def _on_watch(self, checked_at: datetime, changed: tuple[int, ...], result: SlaWatch) -> None:
        first_check = self._last_check is None
        self._last_check = checked_at
        self._pending_changed.difference_update(changed)
        if result.at_risk != self._at_risk:
            self._at_risk = result.at_risk
            self.at_risk_changed.emit(result.at_risk)
        fresh = [c for c in result.crossings if self._key(c) not in self._notified]
        self._notified.update(self._key(c) for c in fresh)
        if fresh and not first_check:
            self._alert(fresh, checked_at)
        else:
            self._refresh_indicators(None)
        self._arm(result.next_moment, checked_at)
        self.checked.emit()

    def _on_watch_failed(self, _error: BaseException) -> None:
        self._arm(None, self._now())  # try again later

    @staticmethod
    def _key(crossing: Crossing) -> NotifiedKey:
        return (crossing.case_id, crossing.threshold, crossing.due_at)

    def _alert(self, fresh: list[Crossing], now: datetime) -> None:
        if not self._enabled:
            self._refresh_indicators(None)
            return
        while self._sent and now - self._sent[0] >= RATE_WINDOW:
            self._sent.popleft()
        room = self._max_per_minute - len(self._sent)
        if room <= 0:
            self._refresh_indicators(None)
            return
        single = fresh if len(fresh) <= room else fresh[: room - 1]
        messages = [self._message(crossing, now) for crossing in single]
        rest = len(fresh) - len(single)
        if rest:
            more = (
                self.tr("1 more case at risk")
                if rest == 1
                else self.tr("{0} more cases at risk").format(rest)
            )
            messages.append((self.tr("Handoff"), more))
        for title, body in messages:
            self._sent.append(now)
            self._pop_up(title, body)
        self._refresh_indicators(self._latest_alert(messages[: len(single)], rest))

    def _latest_alert(self, announced: list[tuple[str, str]], rest: int) -> str:
        """What the banner says of a burst: its last named case, then how many more came with it."""
        if not announced:
            return self.tr("{0} cases newly at risk").format(rest)
        title, body = announced[-1]
        latest = f"{title}: {body}"
        return latest if not rest else self.tr("{0} (and {1} more)").format(latest, rest)

    def _message(self, crossing: Crossing, now: datetime) -> tuple[str, str]:
        metric = sla_metric_label(crossing.metric)
        if crossing.threshold is Threshold.BREACH:
            title = self.tr("Case #{0} breached its SLA").format(crossing.number)
            body = self.tr("{0} overdue {1} · {2}").format(
                metric, duration_text((now - crossing.due_at).total_seconds()), crossing.subject
            )
        else:
            title = self.tr("Case #{0} at risk").format(crossing.number)
            body = self.tr("{0} breaches in {1} · {2}").format(
                metric, duration_text((crossing.due_at - now).total_seconds()), crossing.subject
            )
        return title, body

    def _pop_up(self, title: str, body: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Warning)
        self.notified.emit(title, body)

    def _refresh_indicators(self, message: str | None) -> None:
        """Show the count; ``message`` is the newest alert (None: keep the last while cases are at risk)."""
        if message is not None:
            self._last_message = message
        elif not self._at_risk:
            self._last_message = ""
        if self.banner is not None:
            self.banner.set_state(self._at_risk, self._last_message)
        self._update_tray()

    def _update_tray(self) -> None:
        if self.tray is None:
            return
        app = QApplication.instance()
        style = app.style() if isinstance(app, QApplication) else self._window.style()
        base = self._window.windowIcon()
        if base.isNull():
            base = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.tray.setIcon(badge_icon(base, self._at_risk, accent(Tone.DANGER, self._window.palette())))
        tooltip = (
            self.tr("Handoff — {0}").format(at_risk_text(self._at_risk))
            if self._at_risk
            else self.tr("Handoff")
        )
        self.tray.setToolTip(tooltip)

    # Scheduling ---------------------------------------------------------------------------------

    def _arm(self, moment: datetime | None, now: datetime) -> None:
        self._next_moment = moment
        wait_ms = LONGEST_WAIT_MS
        if moment is not None:
            wait_ms = min(
                LONGEST_WAIT_MS, max(0, int((moment - now).total_seconds() * 1000)) + TIMER_SLACK_MS
            )
        self._timer.start(wait_ms)

    def _on_changes_applied(self, changes: ChangeSet) -> None:
        if changes.is_empty:
            return
        self._pending_changed.update(changes.cases | changes.cases_added)
        self.check()

    def _apply_enabled(self, enabled: bool) -> None:
        if enabled == self._enabled:
            return
        self._enabled = enabled
        self.enabled_changed.emit(enabled)

    def _on_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_at_risk_requested.emit()
