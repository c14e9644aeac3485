"""MainWindow: the inbox and the case view in one window, with menus, shortcuts and a status bar.

Public API used by the CLI (screenshot, bench) and the GUI bootstrap: the
signals ``inbox_loaded(int)`` and ``case_loaded(int)`` and the methods
``set_view``, ``set_search``, ``open_case``, ``open_case_number``,
``show_inbox`` and ``inbox_table``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QTableView, QWidget

from core.domain.enums import SavedView
from core.queries.case_detail import case_id_for_number
from ui.case_view import CaseView
from ui.data_access import DataAccess, describe_error
from ui.inbox_view import InboxView
from ui.labels import saved_view_label
from ui.saved_views_model import VIEW_ORDER

STATUS_MESSAGE_MS = 8000
OPENABLE_SCHEMES = ("http", "https", "mailto")


class MainWindow(QMainWindow):
    """Handoff's main window: inbox and case view in a stack.

    Signals:
        inbox_loaded(int): the inbox's ids and first page of rows arrived; the row count.
        case_loaded(int): a case opened with ``open_case`` is shown; its id.
    """

    inbox_loaded = Signal(int)
    case_loaded = Signal(int)

    def __init__(self, data: DataAccess, *, workspace_label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.setWindowTitle(
            self.tr("Handoff — {0}").format(workspace_label) if workspace_label else self.tr("Handoff")
        )
        self._inbox = InboxView(data)
        self._case_view = CaseView(data)
        self._stack = QStackedWidget()
        self._stack.addWidget(self._inbox)
        self._stack.addWidget(self._case_view)
        self.setCentralWidget(self._stack)
        self._view_actions: dict[SavedView, QAction] = {}
        self._back_action = QAction(self.tr("&Back"), self)
        self._build_menus()
        self.statusBar().setSizeGripEnabled(True)

        self._inbox.loaded.connect(self.inbox_loaded)
        self._inbox.case_activated.connect(self.open_case)
        self._inbox.view_changed.connect(self._on_inbox_view_changed)
        self._case_view.case_loaded.connect(self.case_loaded)
        self._case_view.back_requested.connect(self.show_inbox)
        self._case_view.link_activated.connect(self._on_case_view_link_activated)
        data.error_occurred.connect(self._on_data_error_occurred)

        self._back_action.setEnabled(False)
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
        """Open the case ``case_id``; ``case_loaded`` follows once it is shown."""
        self._case_view.show_case(case_id)
        self._stack.setCurrentWidget(self._case_view)
        self._back_action.setEnabled(True)
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
        self._back_action.setEnabled(False)  # Esc then reaches the inbox (clearing the search)
        self._inbox.table.setFocus(Qt.FocusReason.OtherFocusReason)

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

    def is_showing_case(self) -> bool:
        """Whether the case view is in front."""
        return self._stack.currentWidget() is self._case_view

    # Menus --------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu(self.tr("&File"))
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        if quit_action.shortcut().isEmpty():
            quit_action.setShortcut(QKeySequence(self.tr("Ctrl+Q")))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)

        view_menu = menu_bar.addMenu(self.tr("&View"))
        group = QActionGroup(self)
        group.setExclusive(True)
        for position, view in enumerate(VIEW_ORDER, start=1):
            action = view_menu.addAction(saved_view_label(view))
            action.setCheckable(True)
            action.setShortcut(QKeySequence(f"Ctrl+{position}"))
            action.triggered.connect(lambda _checked=False, chosen=view: self.set_view(chosen))
            group.addAction(action)
            self._view_actions[view] = action
        view_menu.addSeparator()
        find_action = view_menu.addAction(self.tr("&Search Cases"))
        find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find_action.triggered.connect(self._on_find_action_triggered)

        go_menu = menu_bar.addMenu(self.tr("&Go"))
        self._back_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self._back_action.triggered.connect(self.show_inbox)
        go_menu.addAction(self._back_action)

        help_menu = menu_bar.addMenu(self.tr("&Help"))
        about_action = help_menu.addAction(self.tr("&About Handoff"))
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(self._on_about_action_triggered)

    # Slots --------------------------------------------------------------------------------------

    def _on_inbox_view_changed(self, view: SavedView) -> None:
        self._view_actions[view].setChecked(True)

    def _on_find_action_triggered(self) -> None:
        self.show_inbox()
        self._inbox.focus_search()

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

    def _on_open_number_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(describe_error(error), STATUS_MESSAGE_MS)

    def _on_data_error_occurred(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)

    def _on_case_view_link_activated(self, url: QUrl) -> None:
        # Only after a user's click, and only for web and mail links (sanitized HTML allows no others).
        if url.scheme().lower() in OPENABLE_SCHEMES:
            QDesktopServices.openUrl(url)
