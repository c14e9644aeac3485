"""MainWindow: inbox, case view, team board and triage queue in one window, with menus, shortcuts,
a palette and a status bar.

Every command is registered once in an :class:`~ui.actions.ActionRegistry`,
which feeds the menus, the shortcuts and the command palette (Ctrl+K). The
workflow commands act on the open case, or in the inbox on the current row.
Moves between teams and people go through one :class:`~ui.routing_actions.RoutingActions`
shared by the board, the triage queue and the window (``Ctrl+Z`` undoes the last).
An :class:`~ui.sla_notifier.SlaNotifier` alerts on SLA warnings and breaches (tray icon, or a
banner above the pages without a tray); View › SLA Notifications turns its pop-ups off, and
``S`` in the case view explains the case's SLA clocks.

Public API used by the CLI (screenshot, bench) and the GUI bootstrap: the
signals ``inbox_loaded(int)``, ``case_loaded(int)``, ``board_loaded(int)`` and
``triage_loaded(int)`` and the methods ``set_view``, ``set_search``,
``open_case``, ``open_case_number``, ``show_inbox``, ``show_board``,
``show_triage``, ``go_back`` and ``inbox_table``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.db.types import utc_now
from core.domain.enums import SavedView
from core.policy import Feature, current_policy
from core.queries.case_detail import case_id_for_number
from core.sla.store import warm_up as warm_up_sla
from ui.actions import CASE_VIEWS, ActionRegistry, ActionSpec, TypingShortcutGuard, ViewName
from ui.background_io import BackgroundIo
from ui.case_header import CaseHeaderWidget
from ui.case_view import CaseView
from ui.command_palette import CommandPalette
from ui.data_access import DataAccess, describe_error
from ui.dialogs.case_workflow import CaseWorkflowActions
from ui.inbox_view import InboxView
from ui.labels import saved_view_label
from ui.routing_actions import UNDO_KEYS, RoutingActions
from ui.saved_views_model import VIEW_ORDER
from ui.settings_dialog import SettingsDialog
from ui.sla_notifier import SlaNotifier
from ui.sync_commands import SyncCommands

if TYPE_CHECKING:
    from ui.board.board_view import BoardView
    from ui.dialogs.connections_dialog import SecretStore
    from ui.sync_status import SyncStatusSource
    from ui.triage.triage_view import TriageView

STATUS_MESSAGE_MS = 8000
NEXT_STEP_ACTIONS = (
    "case.escalate",
    "case.triage",
    "case.investigate",
    "case.await_customer",
    "case.await_engineering",
    "case.request_approval",
    "case.decide_approval",
    "case.propose_resolution",
    "case.send_reminder",
    "case.record_confirmation",
    "case.close",
)
"""The workflow actions the case header offers as buttons while they apply."""
OPENABLE_SCHEMES = ("http", "https", "mailto")
MOVE_VIEWS = frozenset({ViewName.INBOX, ViewName.CASE})
"""Where "Move to…" (M) is a window command; the board and the triage queue have their own M."""


class MainWindow(QMainWindow):
    """Handoff's main window: inbox, case view, board and triage queue in a stack.

    Signals:
        inbox_loaded(int): the inbox's ids and first page of rows arrived; the row count.
        case_loaded(int): a case opened with ``open_case`` is shown; its id.
        board_loaded(int): the board (shown with ``show_board``) loaded; how many cards it shows.
        triage_loaded(int): the triage queue (shown with ``show_triage``) loaded; how many wait.
        palette_opened(QObject): the command palette was opened (the CommandPalette).
    """

    inbox_loaded = Signal(int)
    case_loaded = Signal(int)
    board_loaded = Signal(int)
    triage_loaded = Signal(int)
    palette_opened = Signal(object)

    def __init__(self, data: DataAccess, *, workspace_label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.setWindowTitle(
            self.tr("Handoff — {0}").format(workspace_label) if workspace_label else self.tr("Handoff")
        )
        # One helper thread for file work (attachments, configuration files): never on the UI thread.
        file_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-files")
        self.destroyed.connect(lambda *_args: file_executor.shutdown(wait=False))
        self._files = BackgroundIo(file_executor, self)
        self._settings: SettingsDialog | None = None
        self._routing = RoutingActions(data, self)
        self._inbox = InboxView(data)
        self._case_view = CaseView(data, file_executor=file_executor)
        # The board and the triage queue are built when first shown: nothing added to start-up.
        self._board: BoardView | None = None
        self._triage: TriageView | None = None
        self._stack = QStackedWidget()
        for page in (self._inbox, self._case_view):
            self._stack.addWidget(page)
        # No tray icon when the IT policy turns it off (the in-window banner stands in).
        tray = None if current_policy().feature_enabled(Feature.TRAY_ICON) else False
        self._sla = SlaNotifier(data, self, tray_available=tray)
        self._sync = SyncCommands(data, self._files, self)
        self.setCentralWidget(self._central(self._stack, self._sla, self._sync))
        self._return_page: QWidget = self._inbox  # where Esc in the case view goes back to
        self._view_actions: dict[SavedView, QAction] = {}
        self._case_header: CaseHeaderWidget | None = None
        self._actions = ActionRegistry(self)
        self._workflow = CaseWorkflowActions(data, self)
        self._build_menus()
        self.statusBar().setSizeGripEnabled(True)
        self.statusBar().addPermanentWidget(self._sync.area)
        self._typing_guard = TypingShortcutGuard(self)
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self._typing_guard)  # removed when the guard is deleted

        self._inbox.loaded.connect(self.inbox_loaded)
        self._inbox.case_activated.connect(self.open_case)
        self._inbox.view_changed.connect(self._on_inbox_view_changed)
        self._case_view.case_loaded.connect(self.case_loaded)
        self._case_view.back_requested.connect(self.go_back)
        self._routing.undo_available_changed.connect(self._on_routing_undo_available_changed)
        self._routing.reported.connect(self._on_routing_reported)
        self._routing.problem_occurred.connect(self._on_workflow_problem_occurred)
        self._case_view.link_activated.connect(self._on_case_view_link_activated)
        self._case_view.case_link_activated.connect(self.open_case)
        self._inbox.loaded.connect(self._on_inbox_loaded)
        self._inbox.table.selectionModel().currentRowChanged.connect(self._on_inbox_current_row_changed)
        self._workflow.context_changed.connect(self._actions.refresh)
        self._workflow.problem_occurred.connect(self._on_workflow_problem_occurred)
        self._workflow.evidence_requested.connect(self._on_workflow_evidence_requested)
        data.error_occurred.connect(self._on_data_error_occurred)
        self._sla.enabled_changed.connect(self._on_sla_enabled_changed)
        self._sla.show_at_risk_requested.connect(self.show_at_risk)
        self._sla_started = False  # the alerts start once the first inbox page is shown

        self._inbox.set_view(SavedView.ALL_OPEN)
        self._view_actions[SavedView.ALL_OPEN].setChecked(True)
        self._inbox.table.setFocus(Qt.FocusReason.OtherFocusReason)  # J/K work from the first moment

    # Public API ---------------------------------------------------------------------------------

    def set_view(self, view: SavedView) -> None:
        """Show the inbox on the saved view ``view``."""
        self.show_inbox()
        self._inbox.set_view(view)

    def set_search(self, text: str) -> None:
        """Show the inbox searching for ``text`` (at once, without the typing pause)."""
        self.show_inbox()
        self._inbox.set_search(text)

    def open_case(self, case_id: int) -> None:
        """Open the case ``case_id``; ``case_loaded`` follows once it is shown. Esc goes back here."""
        if not self.is_showing_case():
            self._return_page = self._stack.currentWidget() or self._inbox
            self._actions.action("go.back").setText(self._back_text())
        self._case_view.show_case(case_id)
        self._stack.setCurrentWidget(self._case_view)
        self._actions.set_view(ViewName.CASE)
        self._workflow.set_case(case_id)
        self._case_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_case_number(self, number: int) -> None:
        """Open the case numbered ``number``; an unknown number is reported in the status bar."""
        self._data.read(
            case_id_for_number,
            number,
            on_result=self.open_case,
            on_error=self._on_open_number_failed,
            key="open-case-number",
        )

    def show_inbox(self) -> None:
        """Go back to the inbox, keyboard focus on the table."""
        self._stack.setCurrentWidget(self._inbox)
        self._actions.set_view(ViewName.INBOX)  # Esc then reaches the inbox (clearing the search)
        self._workflow.set_case(self._inbox.selected_case_id())
        self._inbox.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_board(self) -> None:
        """Show the team board (loaded afresh); ``board_loaded`` follows."""
        self._show_page(self.board, ViewName.BOARD)
        self.board.reload()

    def show_triage(self) -> None:
        """Show the triage queue (loaded afresh); ``triage_loaded`` follows."""
        self._show_page(self.triage, ViewName.TRIAGE)
        self.triage.reload()

    def go_back(self) -> None:
        """Leave the case view for the page it was opened from (the inbox, the board or the triage queue)."""
        if self._return_page is self._board:
            self.show_board()
        elif self._return_page is self._triage:
            self.show_triage()
        else:
            self.show_inbox()

    def show_at_risk(self) -> None:
        """Bring the window forward on the At risk view (cases in their warning window or breached)."""
        self.set_view(SavedView.AT_RISK)
        if self.isMinimized():
            self.showNormal()
        if not self.isActiveWindow():  # asked from the tray or a pop-up, with the window behind others
            self.raise_()
            self.activateWindow()

    def explain_sla(self) -> None:
        """Open the SLA explanation of the case shown (S); says so when its clocks are not known."""
        if self._case_header is None or self._case_header.open_sla_dialog() is None:
            self.statusBar().showMessage(self.tr("No SLA clocks are known for this case."), STATUS_MESSAGE_MS)

    def set_sync(self, source: SyncStatusSource | None, secrets: SecretStore | None) -> None:
        """Show the sync engine's status (``source``) and keep tokens in ``secrets`` (the keychain)."""
        self._sync.set_sync(source, secrets)

    @property
    def sync(self) -> SyncCommands:
        """The sync status area, the Outbox view and the helpdesk connections."""
        return self._sync

    @property
    def sla_notifier(self) -> SlaNotifier:
        """The SLA alerts (tray icon or banner)."""
        return self._sla

    def inbox_table(self) -> QTableView:
        """The inbox's table view."""
        return self._inbox.table

    @property
    def inbox(self) -> InboxView:
        """The inbox widget."""
        return self._inbox

    @property
    def case_view(self) -> CaseView:
        """The case widget."""
        return self._case_view

    @property
    def board(self) -> BoardView:
        """The team board widget (built on first use)."""
        if self._board is None:
            from ui.board.board_view import BoardView  # imported when first shown, not at start-up

            self._board = BoardView(self._data, self._routing)
            self._stack.addWidget(self._board)
            self._board.loaded.connect(self.board_loaded)
            self._board.case_activated.connect(self.open_case)
        return self._board

    @property
    def triage(self) -> TriageView:
        """The triage queue widget (built on first use)."""
        if self._triage is None:
            from ui.triage.triage_view import TriageView  # imported when first shown, not at start-up

            self._triage = TriageView(self._data, self._routing)
            self._stack.addWidget(self._triage)
            self._triage.loaded.connect(self.triage_loaded)
            self._triage.case_activated.connect(self.open_case)
        return self._triage

    @property
    def routing(self) -> RoutingActions:
        """Moves, triage and their undo."""
        return self._routing

    def current_page(self) -> QWidget | None:
        """The page in front (inbox, case view, board or triage queue)."""
        return self._stack.currentWidget()

    @property
    def action_registry(self) -> ActionRegistry:
        """Every command of the window (menus, shortcuts and the palette run these)."""
        return self._actions

    @property
    def workflow(self) -> CaseWorkflowActions:
        """The workflow commands and their target case."""
        return self._workflow

    def is_showing_case(self) -> bool:
        """Whether the case view is in front."""
        return self._stack.currentWidget() is self._case_view

    def open_command_palette(self) -> CommandPalette:
        """Open the command palette over the actions available in the current view."""
        palette = CommandPalette(self._actions, exclude="go.palette", parent=self)
        palette.finished.connect(self.activateWindow)  # the keyboard comes back here, as after any dialog
        palette.open()  # never exec(): the app runs on a qasync loop
        self.palette_opened.emit(palette)
        return palette

    # Actions and menus --------------------------------------------------------------------------

    def _navigation_specs(self) -> list[ActionSpec]:
        specs = [
            ActionSpec(
                f"view.{view.value}",
                saved_view_label(view),
                partial(self.set_view, view),
                f"Ctrl+{position}",
                checkable=True,
            )
            for position, view in enumerate(VIEW_ORDER, start=1)
        ]
        find_keys = QKeySequence(QKeySequence.StandardKey.Find).toString() or "Ctrl+F"
        quit_keys = QKeySequence(QKeySequence.StandardKey.Quit).toString() or "Ctrl+Q"
        specs += [
            ActionSpec("view.search", self.tr("&Search Cases"), self._on_find_action_triggered, find_keys),
            ActionSpec("go.board", self.tr("Team &Board"), self.show_board, "Ctrl+B"),
            ActionSpec("go.triage", self.tr("&Triage Queue"), self.show_triage, "Ctrl+T"),
            ActionSpec(
                "view.sla_notifications",
                self.tr("SLA &Notifications"),
                lambda: self._sla.set_enabled(not self._sla.enabled),
                checkable=True,
            ),
            ActionSpec("go.back", self.tr("&Back to the Inbox"), self.go_back, "Esc", CASE_VIEWS),
            ActionSpec("go.palette", self.tr("Command &Palette…"), self.open_command_palette, "Ctrl+K"),
            ActionSpec("help.about", self.tr("&About Handoff"), self._on_about_action_triggered),
            ActionSpec("app.settings", self.tr("&Settings…"), self.open_settings, "Ctrl+,"),
            ActionSpec("app.quit", self.tr("&Quit"), self.close, quit_keys),
        ]
        return specs

    def _composer_specs(self) -> list[ActionSpec]:
        """Reply (R), internal note (Shift+R) and investigation note (N) on the open case."""
        view = self._case_view

        def case_shown() -> bool:
            return view.case_id is not None

        return [
            ActionSpec(
                "case.reply", self.tr("&Reply to Customer"), view.start_reply, "R", CASE_VIEWS, case_shown
            ),
            ActionSpec(
                "case.internal_note",
                self.tr("&Internal Note"),
                view.start_internal_note,
                "Shift+R",
                CASE_VIEWS,
                case_shown,
            ),
            ActionSpec(
                "case.investigation_note",
                self.tr("Investigation &Note"),
                view.start_investigation_note,
                "N",
                CASE_VIEWS,
                case_shown,
            ),
            ActionSpec(
                "case.explain_sla", self.tr("Explain &SLA…"), self.explain_sla, "S", CASE_VIEWS, case_shown
            ),
        ]

    def _routing_specs(self) -> list[ActionSpec]:
        """Move the target case to another team or person (M), undo the last move (Ctrl+Z)."""
        workflow = self._workflow

        def move_target() -> None:
            if workflow.case_id is not None:
                self._routing.choose_and_move([workflow.case_id])

        return [
            ActionSpec(
                "case.move_to",
                self.tr("&Move to Team or Person…"),
                move_target,
                "M",
                MOVE_VIEWS,
                lambda: workflow.case_id is not None,
            ),
            # A focused text field keeps Ctrl+Z for its own undo (Qt asks it first: ShortcutOverride).
            ActionSpec(
                "edit.undo_move",
                self.tr("&Undo Move"),
                self._routing.undo,
                UNDO_KEYS,
                is_enabled=lambda: self._routing.can_undo,
            ),
        ]

    def _build_menus(self) -> None:
        actions = self._actions
        # Registration order is the palette's order: the work on the case first, navigation after.
        actions.register_all(self._composer_specs())
        actions.register_all(self._workflow.specs())
        actions.register_all(self._routing_specs())
        actions.register_all(self._navigation_specs())
        actions.register_all(self._sync.specs())
        actions.action("app.quit").setMenuRole(QAction.MenuRole.QuitRole)
        actions.action("help.about").setMenuRole(QAction.MenuRole.AboutRole)
        actions.action("app.settings").setMenuRole(QAction.MenuRole.PreferencesRole)
        menu_bar = self.menuBar()
        layout = (
            (self.tr("&File"), ("app.connections", "app.settings", None, "app.quit")),
            (self.tr("&Edit"), ("edit.undo_move",)),
            (
                self.tr("&View"),
                (
                    *(f"view.{view.value}" for view in VIEW_ORDER),
                    None,
                    "view.search",
                    None,
                    "go.board",
                    "go.triage",
                    None,
                    "view.sla_notifications",
                    "view.outbox",
                ),
            ),
            (self.tr("&Go"), ("go.back", None, "go.palette")),
            (
                self.tr("&Case"),
                (
                    "case.reply",
                    "case.internal_note",
                    "case.investigation_note",
                    "case.explain_sla",
                    None,
                    "case.move_to",
                    None,
                    "case.escalate",
                    "case.triage",
                    "case.investigate",
                    "case.await_customer",
                    "case.await_engineering",
                    None,
                    "case.request_approval",
                    "case.decide_approval",
                    None,
                    "case.propose_resolution",
                    "case.send_reminder",
                    "case.record_confirmation",
                    "case.close",
                ),
            ),
            (self.tr("&Help"), ("help.about",)),
        )
        for title, action_ids in layout:
            menu = menu_bar.addMenu(title)
            for action_id in action_ids:
                if action_id is None:
                    menu.addSeparator()
                else:
                    menu.addAction(actions.action(action_id))
        header = self._case_view.findChild(CaseHeaderWidget)
        self._case_header = header
        if header is not None:
            header.set_next_step_actions([actions.action(action_id) for action_id in NEXT_STEP_ACTIONS])
            header.set_data_access(self._data)
        notifications = actions.action("view.sla_notifications")
        notifications.setChecked(True)
        notifications.setToolTip(self.tr("Pop-ups when a case enters its SLA warning window or breaches"))
        if self._sla.managed:
            notifications.setEnabled(False)
            notifications.setToolTip(self.tr("Managed by your organization"))
        group = QActionGroup(self)
        group.setExclusive(True)
        for view in VIEW_ORDER:
            self._view_actions[view] = actions.action(f"view.{view.value}")
            group.addAction(self._view_actions[view])

    @staticmethod
    def _central(stack: QStackedWidget, sla: SlaNotifier, sync: SyncCommands) -> QWidget:
        """The pages, below the offline banner and the SLA banner (where there is no tray)."""
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        for banner in (sync.banner, sla.banner):
            if banner is not None:
                banner_row = QHBoxLayout()
                banner_row.setContentsMargins(8, 6, 8, 0)
                banner_row.addWidget(banner)
                column.addLayout(banner_row)
        column.addWidget(stack, 1)
        return central

    def closeEvent(self, event: QCloseEvent) -> None:
        self._case_view.flush_drafts()  # what is typed is saved before the window goes
        super().closeEvent(event)

    def _show_page(self, page: QWidget, view: ViewName) -> None:
        self._stack.setCurrentWidget(page)
        self._actions.set_view(view)
        self._workflow.set_case(None)  # the case commands act on an open case or the inbox's row
        page.setFocus(Qt.FocusReason.OtherFocusReason)

    def _back_text(self) -> str:
        if self._return_page is self._board:
            return self.tr("&Back to the Board")
        if self._return_page is self._triage:
            return self.tr("&Back to the Triage Queue")
        return self.tr("&Back to the Inbox")

    # Slots --------------------------------------------------------------------------------------

    def _on_routing_undo_available_changed(self, _available: bool) -> None:
        self._actions.refresh()

    def _on_routing_reported(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)

    def _on_inbox_view_changed(self, view: SavedView) -> None:
        self._view_actions[view].setChecked(True)

    def _on_find_action_triggered(self) -> None:
        self.show_inbox()
        self._inbox.focus_search()

    def open_settings(self) -> SettingsDialog:
        """Open (or bring forward) the workspace Settings window; non-modal."""
        if self._settings is None:
            self._settings = SettingsDialog(self._data, self._files, self)
            self._settings.finished.connect(self._on_settings_finished)
            self._settings.open()
        self._settings.raise_()
        self._settings.activateWindow()
        return self._settings

    def _on_settings_finished(self, _result: int) -> None:
        if self._settings is not None:
            self._settings.deleteLater()
            self._settings = None

    def _on_about_action_triggered(self) -> None:
        box = QMessageBox(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowTitle(self.tr("About Handoff"))
        box.setText(self.tr("<b>Handoff</b>"))
        box.setInformativeText(
            self.tr("A native desktop workbench for escalated customer-support cases.\nVersion {0}").format(
                QCoreApplication.applicationVersion() or "0.1"
            )
        )
        box.open()  # never exec(): the app runs on a qasync loop

    def _on_inbox_loaded(self, _count: int) -> None:
        if not self._sla_started:
            # After the first paint: the alerts' queries and the calendars' holiday tables wait
            # behind the inbox on the one DB thread, never in front of it.
            self._sla_started = True
            self._data.read(warm_up_sla, utc_now(), on_result=lambda _prepared: None, key="sla-warm-up")
            self._sla.start()
        if not self.is_showing_case():
            self._workflow.set_case(self._inbox.selected_case_id())

    def _on_inbox_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if not self.is_showing_case():
            self._workflow.set_case(self._inbox.selected_case_id())

    def _on_workflow_problem_occurred(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)

    def _on_workflow_evidence_requested(self, event_id: int) -> None:
        if self.is_showing_case():
            self._case_view.timeline.scroll_to_event(event_id)

    def _on_open_number_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(describe_error(error), STATUS_MESSAGE_MS)

    def _on_sla_enabled_changed(self, enabled: bool) -> None:
        self._actions.action("view.sla_notifications").setChecked(enabled)

    def _on_data_error_occurred(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)

    def _on_case_view_link_activated(self, url: QUrl) -> None:
        # Only after a user's click, and only for web and mail links (sanitized HTML allows no others).
        if url.scheme().lower() in OPENABLE_SCHEMES:
            QDesktopServices.openUrl(url)
