"""SlaDialog: why each SLA clock of a case stands where it does, and every pause it took.

Opened with ``S`` in the case view or by clicking a clock in the header. It shows the
policy (name, key, version) and calendar, one row per clock (state, deadline, counted time),
the engine's explanation lines (counted segments, pauses, resets, due), and the pause ledger
as a table: clock, from, to, reason, and whether the customer wrote meanwhile; such pauses
are flagged, since a customer's message usually should have resumed the clock. A synced case
also lists the helpdesk's own SLA targets beside Handoff's matching clocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.db.types import utc_now
from core.sla.types import CaseClocks, Pause
from core.sla.vendor import VendorSlaState, VendorSlaTarget
from ui.dialogs.facts_table import FactRow, FactsModel, FactsView
from ui.formatting import format_short_timestamp
from ui.sla_clocks import chip_text, chip_tone, duration_text
from ui.tones import Tone, accent

_REASONS: dict[str, str] = {
    "awaiting_customer": QT_TRANSLATE_NOOP("SlaDialog", "Awaiting the customer"),
    "awaiting_engineering": QT_TRANSLATE_NOOP("SlaDialog", "Awaiting engineering"),
    "resolved": QT_TRANSLATE_NOOP("SlaDialog", "Resolved"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("SlaDialog", text)


def reason_label(reason: str) -> str:
    """``"awaiting_customer"`` → "Awaiting the customer"; unknown reasons humanized."""
    known = _REASONS.get(reason)
    return _tr(known) if known else reason.replace("_", " ").capitalize()


def _when(moment: datetime | None, empty: str = "—") -> str:
    return format_short_timestamp(moment) if moment is not None else empty


def clock_rows(clocks: CaseClocks, now: datetime) -> list[FactRow]:
    """One row per clock: its chip text (coloured), deadline, counted time against the target."""
    rows = []
    for clock in clocks.clocks:
        counted = _tr("{0} of {1}").format(
            duration_text(clock.elapsed_seconds), duration_text(clock.target_seconds)
        )
        due = _when(clock.due_at if clock.due_at is not None else clock.stopped_at)
        rows.append(FactRow((chip_text(clock, now), due, counted), chip_tone(clock, now)))
    return rows


def ledger_rows(clocks: CaseClocks) -> list[FactRow]:
    """One row per pause; pauses during which the customer wrote are flagged (warning tone)."""
    labels = {clock.metric: clock.label for clock in clocks.clocks}
    rows = []
    for pause in clocks.pause_ledger:
        wrote = _tr("Yes — check") if pause.customer_wrote else _tr("No")
        cells = (
            wrote,
            labels.get(pause.metric, pause.metric.value.replace("_", " ").capitalize()),
            _when(pause.start),
            _when(pause.end, _tr("still paused")),
            reason_label(pause.reason),
        )
        tooltip = _tr("The customer wrote while this clock was paused.") if pause.customer_wrote else ""
        rows.append(FactRow(cells, Tone.WARNING if pause.customer_wrote else None, tooltip=tooltip))
    return rows


def vendor_rows(vendor: Sequence[VendorSlaTarget], clocks: CaseClocks) -> list[FactRow]:
    """One row per target the helpdesk keeps, beside the due time of Handoff's matching clock.

    A helpdesk deadline earlier than Handoff's is flagged: the helpdesk will report a breach
    before Handoff's clock warns.
    """
    handoff_due = {clock.metric: clock.due_at for clock in clocks.clocks}
    rows = []
    for target in vendor:
        ours = handoff_due.get(target.handoff_metric) if target.handoff_metric is not None else None
        name = target.metric.replace("_", " ").capitalize()
        if target.policy_name:
            name = _tr("{0} ({1})").format(name, target.policy_name)
        comparison = _when(ours, _tr("no matching clock"))
        earlier = target.due_at is not None and ours is not None and target.due_at < ours
        if target.due_at is not None and ours is not None and target.due_at != ours:
            gap = duration_text(int(abs((target.due_at - ours).total_seconds())))
            template = _tr("{0} ({1} later)") if earlier else _tr("{0} ({1} earlier)")
            comparison = template.format(comparison, gap)
        cells = (
            target.source.capitalize(),
            name,
            _vendor_state(target.state),
            _when(target.due_at if target.due_at is not None else target.completed_at),
            comparison,
        )
        tooltip = _tr("The helpdesk expects this before Handoff's clock does.") if earlier else ""
        rows.append(FactRow(cells, Tone.WARNING if earlier else None, tooltip=tooltip))
    return rows


def _vendor_state(state: VendorSlaState) -> str:
    labels = {
        VendorSlaState.RUNNING: _tr("running"),
        VendorSlaState.PAUSED: _tr("paused"),
        VendorSlaState.MET: _tr("met"),
        VendorSlaState.MISSED: _tr("missed"),
        VendorSlaState.BREACHED: _tr("breached"),
    }
    return labels[state]


def explanation_text(clocks: CaseClocks) -> str:
    """The explanation lines as a list: top-level lines bulleted, indented lines kept under them."""
    return "\n".join(f"  {line}" if line[:1].isspace() else f"• {line}" for line in clocks.explanation)


def flagged_pauses(clocks: CaseClocks) -> tuple[Pause, ...]:
    """The pauses during which the customer wrote."""
    return tuple(pause for pause in clocks.pause_ledger if pause.customer_wrote)


class SlaDialog(QDialog):
    """The SLA explanation and pause ledger of one case (non-modal; open it with ``open()``)."""

    def __init__(
        self,
        clocks: CaseClocks,
        *,
        vendor: Sequence[VendorSlaTarget] = (),
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clocks = clocks
        moment = now or utc_now()
        self.setWindowTitle(self.tr("SLA of case #{0}").format(clocks.number))
        self.setAccessibleName(self.windowTitle())

        policy = QLabel(self._policy_text(clocks))
        policy.setTextFormat(Qt.TextFormat.PlainText)
        policy.setWordWrap(True)
        policy.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy.setAccessibleName(self.tr("Policy"))
        font = policy.font()
        font.setBold(True)
        policy.setFont(font)

        self.clock_model = FactsModel((self.tr("Clock"), self.tr("Due or stopped"), self.tr("Counted")), self)
        self.clock_model.set_rows(clock_rows(clocks, moment))
        self.clock_table = FactsView(self.clock_model, self.tr("Clocks"))
        self.clock_table.fit_rows(max(1, len(clocks.clocks)))
        self.clock_table.stretch_column(0)

        self.explanation = QPlainTextEdit()
        self.explanation.setReadOnly(True)
        self.explanation.setAccessibleName(self.tr("Explanation"))
        self.explanation.setPlainText(explanation_text(clocks) or self.tr("—"))
        self.explanation.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.explanation.setTabChangesFocus(True)
        explanation_caption = QLabel(self.tr("&Explanation"))
        explanation_caption.setBuddy(self.explanation)

        self.ledger_model = FactsModel(
            (self.tr("Customer wrote?"), self.tr("Clock"), self.tr("From"), self.tr("To"), self.tr("Reason")),
            self,
        )
        self.ledger_model.set_rows(ledger_rows(clocks))
        self.ledger_table = FactsView(self.ledger_model, self.tr("Pause ledger"))
        self.ledger_table.fit_rows(max(2, min(6, len(clocks.pause_ledger))))
        self.ledger_table.stretch_column(4)
        ledger_caption = QLabel(self.tr("&Pause ledger"))
        ledger_caption.setBuddy(self.ledger_table)
        self.flag_note = QLabel(self._flag_text(clocks))
        self.flag_note.setWordWrap(True)
        self.flag_note.setAccessibleName(self.tr("Pauses to check"))
        self.flag_note.setVisible(bool(flagged_pauses(clocks)))
        note_palette = self.flag_note.palette()
        note_palette.setColor(QPalette.ColorRole.WindowText, accent(Tone.WARNING, self.palette()))
        self.flag_note.setPalette(note_palette)
        if not clocks.pause_ledger:
            ledger_caption.setText(self.tr("Pause ledger: no pauses"))

        self.vendor_model = FactsModel(
            (
                self.tr("Helpdesk"),
                self.tr("Its target"),
                self.tr("State"),
                self.tr("Due or done"),
                self.tr("Handoff's clock"),
            ),
            self,
        )
        self.vendor_model.set_rows(vendor_rows(vendor, clocks))
        self.vendor_table = FactsView(self.vendor_model, self.tr("The helpdesk's own SLA"))
        self.vendor_table.fit_rows(max(1, min(4, len(vendor))))
        self.vendor_table.stretch_column(1)
        vendor_caption = QLabel(self.tr("The &helpdesk's own SLA"))
        vendor_caption.setBuddy(self.vendor_table)
        for widget in (vendor_caption, self.vendor_table):
            widget.setVisible(bool(vendor))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(policy)
        layout.addWidget(self.clock_table)
        layout.addSpacing(6)
        layout.addWidget(explanation_caption)
        layout.addWidget(self.explanation, 1)
        layout.addSpacing(6)
        layout.addWidget(ledger_caption)
        layout.addWidget(self.flag_note)
        layout.addWidget(self.ledger_table)
        layout.addWidget(vendor_caption)
        layout.addWidget(self.vendor_table)
        layout.addWidget(buttons)
        self.resize(780, 660)

    @property
    def clocks(self) -> CaseClocks:
        """The clocks explained."""
        return self._clocks

    def _policy_text(self, clocks: CaseClocks) -> str:
        parts = [
            self.tr("Policy {0} ({1}), version {2}").format(
                clocks.policy_name, clocks.policy_key, clocks.policy_version
            )
        ]
        if clocks.calendar_key:
            parts.append(self.tr("calendar {0}").format(clocks.calendar_key))
        if clocks.cycle_started_at is not None:
            parts.append(self.tr("cycle started {0}").format(format_short_timestamp(clocks.cycle_started_at)))
        return " · ".join(parts)

    def _flag_text(self, clocks: CaseClocks) -> str:
        count = len(flagged_pauses(clocks))
        if count == 1:
            return self.tr(
                "⚠ The customer wrote during 1 pause: check whether that clock should have resumed."
            )
        return self.tr(
            "⚠ The customer wrote during {0} pauses: check whether those clocks should have resumed."
        ).format(count)
