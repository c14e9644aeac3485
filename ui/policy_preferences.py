"""PreferencesPanel: the user's own settings (sync interval, SLA pop-ups, update checks and channel).

A setting the organisation's policy manages is shown disabled, with "Managed by your
organization" beside it and as its tooltip; its value is the policy's.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from core.policy import SettingKey
from core.policy.preferences import ManagedPreferences, Preferences
from core.policy.validation import UPDATE_CHANNELS


class PreferencesPanel(QGroupBox):
    """Edits :class:`core.policy.preferences.Preferences`; locked ones are disabled and say why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Preferences"))
        self.setAccessibleName(self.tr("Preferences"))
        self._interval = QSpinBox()
        self._interval.setSuffix(self.tr(" min"))
        self._interval.setAccessibleName(self.tr("Sync interval in minutes"))
        self._sla_popups = QCheckBox(self.tr("Show SLA &pop-ups"))
        self._sla_popups.setAccessibleName(self.tr("Show SLA pop-ups"))
        self._update_checks = QCheckBox(self.tr("Check for &updates once a day"))
        self._update_checks.setAccessibleName(self.tr("Check for updates once a day"))
        self._channel = QComboBox()
        self._channel.setAccessibleName(self.tr("Update channel"))
        for channel in UPDATE_CHANNELS:
            self._channel.addItem(channel.capitalize(), channel)
        self._controls: dict[SettingKey, QWidget] = {
            SettingKey.SYNC_INTERVAL: self._interval,
            SettingKey.SLA_NOTIFICATIONS: self._sla_popups,
            SettingKey.UPDATE_CHECKS: self._update_checks,
            SettingKey.UPDATE_CHANNEL: self._channel,
        }
        self._managed_labels: dict[SettingKey, QLabel] = {}
        form = QFormLayout(self)
        labels = {
            SettingKey.SYNC_INTERVAL: self.tr("Sync &every:"),
            SettingKey.SLA_NOTIFICATIONS: "",
            SettingKey.UPDATE_CHECKS: "",
            SettingKey.UPDATE_CHANNEL: self.tr("Update &channel:"),
        }
        for key, control in self._controls.items():
            row = QHBoxLayout()
            row.addWidget(control)
            managed = QLabel(self._managed_text())
            managed.setObjectName("managedByOrganization")
            managed.setAccessibleName(
                self.tr("{0}: {1}").format(control.accessibleName(), self._managed_text())
            )
            managed.setStyleSheet("QLabel#managedByOrganization { font-style: italic; }")
            managed.setVisible(False)
            row.addWidget(managed)
            row.addStretch(1)
            self._managed_labels[key] = managed
            if labels[key]:
                caption = QLabel(labels[key])
                caption.setBuddy(control)
                form.addRow(caption, row)
            else:
                form.addRow(row)
        self.setEnabled(False)  # until the preferences are loaded

    def _managed_text(self) -> str:
        return self.tr("Managed by your organization")

    def set_preferences(self, managed: ManagedPreferences) -> None:
        """Show ``managed``'s values; disable and label the locked settings."""
        values = managed.values
        self._interval.setRange(managed.min_interval_minutes, managed.max_interval_minutes)
        self._interval.setValue(values.sync_interval_minutes)
        self._sla_popups.setChecked(values.sla_notifications)
        self._update_checks.setChecked(values.update_checks)
        index = self._channel.findData(values.update_channel)
        self._channel.setCurrentIndex(max(index, 0))
        for key, control in self._controls.items():
            locked = managed.is_locked(key)
            control.setEnabled(not locked)
            control.setToolTip(self._managed_text() if locked else "")
            self._managed_labels[key].setVisible(locked)
        self.setEnabled(True)

    def preferences(self) -> Preferences:
        """The values shown (locked ones are the policy's)."""
        return Preferences(
            sync_interval_minutes=self._interval.value(),
            sla_notifications=self._sla_popups.isChecked(),
            update_checks=self._update_checks.isChecked(),
            update_channel=str(self._channel.currentData()),
        )

    def control(self, key: SettingKey) -> QWidget:
        """The widget that edits ``key`` (tests and accessibility checks)."""
        return self._controls[key]

    def managed_label(self, key: SettingKey) -> QLabel:
        """The "Managed by your organization" label beside ``key``."""
        return self._managed_labels[key]
