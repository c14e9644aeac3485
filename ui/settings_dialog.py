"""SettingsDialog: the workspace configuration, edited as the one human-readable file it exports as.

The configuration (escalation criteria and weights, readiness requirements,
reason codes, root-cause taxonomy, templates, reminder cadence, routing rules,
and the organisation: teams, people, skills, capacity and presence) is shown as
its commented TOML. Every edit is validated after a short pause; problems are
listed with their section and field, and Save stays disabled until there are
none. What only the workspace can check (product areas it has, teams its cases
still refer to) is checked on Save; those problems are listed the same way.
Nothing is stored until Save, and a failed save keeps the text.

Above the file, the user's own preferences (sync interval, SLA pop-ups, update checks) are
edited in a :class:`ui.policy_preferences.PreferencesPanel` and saved with it. What the
organisation's IT policy locks is shown disabled with "Managed by your organization"; a
locked section of the file cannot be changed (the edit is listed as a problem).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core.config import ConfigError, WorkspaceConfig, default_config, export_config, load_config, parse_config
from core.config import save_config as store_config
from core.domain.changes import ChangeSet
from core.policy import Policy, current_policy
from core.policy.config_lock import locked_section_problems
from core.policy.preferences import Preferences, read_preferences, save_preferences
from core.policy.settings_keys import locked_config_sections
from ui.background_io import BackgroundIo
from ui.data_access import DataAccess
from ui.policy_preferences import PreferencesPanel

VALIDATE_DELAY_MS = 300


class SettingsDialog(QDialog):
    """Edit, validate, import, export and save the workspace configuration.

    Signals:
        saved(): the configuration was stored in the workspace.
    """

    saved = Signal()

    def __init__(
        self,
        data: DataAccess,
        files: BackgroundIo,
        parent: QWidget | None = None,
        policy: Policy | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._files = files
        self._policy = policy if policy is not None else current_policy()
        self._parsed: WorkspaceConfig | None = None
        self._loaded: WorkspaceConfig | None = None
        self.setWindowTitle(self.tr("Workspace settings"))
        self.setAccessibleName(self.tr("Workspace settings"))
        self.resize(900, 680)

        intro = QLabel(
            self.tr(
                "Escalation criteria and weights, readiness requirements, reason codes, root-cause "
                "taxonomy, message templates, reminder cadence and routing rules of this workspace, "
                "and its organisation: teams (lanes, WIP limits, overflow teams) and people with their "
                "skills, capacity and presence. Edit the file below; it is checked as you type. "
                "Ctrl+S saves."
            )
        )
        intro.setWordWrap(True)
        self._editor = QPlainTextEdit()
        self._editor.setAccessibleName(self.tr("Workspace configuration (TOML)"))
        self._editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setStyleHint(QFont.StyleHint.Monospace)
        self._editor.setFont(fixed)
        self._editor.setPlaceholderText(self.tr("Loading the configuration…"))
        self._editor.setEnabled(False)
        self._preferences = PreferencesPanel()
        self._locked_sections = QLabel()
        self._locked_sections.setObjectName("managedSections")
        self._locked_sections.setWordWrap(True)
        self._locked_sections.setAccessibleName(self.tr("Sections managed by your organization"))
        sections = locked_config_sections(self._policy.locked_settings)
        if sections:
            self._locked_sections.setText(
                self.tr(
                    "Managed by your organization: {0}. Changes to these sections cannot be saved."
                ).format(", ".join(f"[{section}]" for section in sections))
            )
            self._locked_sections.setToolTip(self.tr("Managed by your organization"))
        self._locked_sections.setVisible(bool(sections))
        self._problems = QListWidget()
        self._problems.setAccessibleName(self.tr("Problems in the configuration"))
        self._status = QLabel()
        self._status.setAccessibleName(self.tr("Configuration status"))

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self._save_button = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        self._save_button.setEnabled(False)
        import_button = QPushButton(self.tr("&Import…"))
        export_button = QPushButton(self.tr("E&xport…"))
        defaults_button = QPushButton(self.tr("Restore &defaults"))
        for button in (import_button, export_button, defaults_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            self._buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._editor)
        splitter.addWidget(self._problems)
        splitter.setSizes([520, 120])
        layout = QVBoxLayout(self)
        layout.addWidget(self._preferences)
        layout.addWidget(intro)
        layout.addWidget(self._locked_sections)
        layout.addWidget(splitter, 1)
        layout.addWidget(self._status)
        layout.addWidget(self._buttons)

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate_now)
        self._editor.textChanged.connect(self._validate_timer.start)
        self._save_button.clicked.connect(self.save)
        self._buttons.rejected.connect(self.reject)
        import_button.clicked.connect(self._on_import_clicked)
        export_button.clicked.connect(self._on_export_clicked)
        defaults_button.clicked.connect(self._on_defaults_clicked)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        self._data.read(load_config, on_result=self._on_config_loaded, key="settings-config")
        self._data.read(
            read_preferences,
            self._policy,
            on_result=self._preferences.set_preferences,
            key="settings-preferences",
        )

    @property
    def text(self) -> str:
        """The configuration text being edited."""
        return self._editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text being edited (validated at once)."""
        self._editor.setPlainText(text)
        self.validate_now()

    @property
    def preferences_panel(self) -> PreferencesPanel:
        """The preferences above the configuration file."""
        return self._preferences

    def locked_sections_text(self) -> str:
        """What the dialog says about the sections the organisation manages ("" if none)."""
        return self._locked_sections.text() if self._locked_sections.isVisibleTo(self) else ""

    def problems(self) -> list[str]:
        """The problems currently listed."""
        return [self._problems.item(row).text() for row in range(self._problems.count())]

    def validate_now(self) -> bool:
        """Check the text; list its problems; enable Save only when there are none."""
        self._validate_timer.stop()
        self._problems.clear()
        try:
            self._parsed = parse_config(self.text)
            if self._loaded is not None:
                locked = locked_section_problems(self._loaded, self._parsed, self._policy)
                if locked:
                    raise ConfigError(locked)
        except ConfigError as error:
            self._parsed = None
            self._problems.addItems([str(problem) for problem in error.problems])
            self._status.setText(self.tr("Problems to fix before saving: {0}").format(len(error.problems)))
        else:
            self._status.setText(self.tr("The configuration is valid."))
        self._save_button.setEnabled(self._parsed is not None and self._editor.isEnabled())
        return self._parsed is not None

    def save(self) -> None:
        """Store the configuration in the workspace (only a valid one)."""
        if not self.validate_now() or self._parsed is None:
            return
        self._save_button.setEnabled(False)
        self._status.setText(self.tr("Saving…"))
        self._data.write(
            _store_settings,
            self._parsed,
            self._policy,
            self._preferences.preferences() if self._preferences.isEnabled() else None,
            on_result=self._on_saved,
            on_error=self._on_save_failed,
        )

    def _on_config_loaded(self, config: WorkspaceConfig) -> None:
        self._loaded = config
        self._editor.setEnabled(True)
        self.set_text(export_config(config))
        self._editor.setFocus()

    def _on_saved(self, _changes: object) -> None:
        self._loaded = self._parsed
        self._status.setText(self.tr("Saved."))
        self._save_button.setEnabled(True)
        self.saved.emit()

    def _on_save_failed(self, error: BaseException) -> None:
        if isinstance(error, ConfigError):  # what only the workspace can check (product areas, teams in use)
            self._problems.clear()
            self._problems.addItems([str(problem) for problem in error.problems])
            self._status.setText(self.tr("Not saved; problems to fix: {0}").format(len(error.problems)))
        else:
            self._status.setText(self.tr("Not saved: {0}").format(error))
        self._save_button.setEnabled(True)

    def _on_defaults_clicked(self) -> None:
        self.set_text(export_config(default_config()))

    def _on_import_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Import a workspace configuration"))
        dialog.setNameFilter(self.tr("Configuration files (*.toml);;All files (*)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self._on_import_file_selected)
        dialog.open()

    def _on_import_file_selected(self, path: str) -> None:
        self._files.run(
            _read_text,
            path,
            on_result=self.set_text,
            on_error=lambda error: self._status.setText(self.tr("Cannot read {0}: {1}").format(path, error)),
        )

    def _on_export_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Export the workspace configuration"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("toml")
        dialog.setNameFilter(self.tr("Configuration files (*.toml)"))
        dialog.fileSelected.connect(self._on_export_file_selected)
        dialog.open()

    def _on_export_file_selected(self, path: str) -> None:
        self._files.run(
            _write_text,
            path,
            self.text,
            on_result=lambda _none: self._status.setText(self.tr("Exported to {0}.").format(path)),
            on_error=lambda error: self._status.setText(self.tr("Cannot write {0}: {1}").format(path, error)),
        )


def _store_settings(
    session: Session, config: WorkspaceConfig, policy: Policy, preferences: Preferences | None
) -> ChangeSet:
    """Store the configuration and the preferences together (one transaction)."""
    changes = store_config(session, config)
    if preferences is not None:
        changes = changes.merge(save_preferences(session, policy, preferences))
    return changes


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
