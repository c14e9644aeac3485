"""FormDialog: the shared frame of the workflow dialogs: a form, an inline problem line, submit and cancel.

A subclass fills :attr:`FormDialog.form` (a ``QFormLayout``) or
:attr:`FormDialog.body`, names what is missing in :meth:`missing_fields` and
returns its unit of work from :meth:`unit_of_work`. Submitting (the primary
button, Enter in a one-line field, Ctrl+Enter anywhere) checks the required
fields first and says which are missing; then it runs the unit of work through
:class:`DataAccess`. A refusal from the core is shown inline and everything
typed stays in place; on success the dialog closes.

Dialogs are opened with ``open()``, never ``exec()`` (the app runs on qasync).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.domain.changes import ChangeSet
from ui.data_access import DataAccess, describe_error
from ui.tones import Tone, accent

UnitOfWork = tuple[Callable[..., Any], tuple[Any, ...]]
SUBMIT_KEYS = ("Ctrl+Return", "Ctrl+Enter")


class TextArea(QPlainTextEdit):
    """A plain-text field sized for a number of lines, where Tab moves on instead of inserting a tab."""

    def __init__(self, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self._height_for(min(lines, 2)))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self._height_for(self._lines))

    def _height_for(self, lines: int) -> int:
        margins = self.contentsMargins()
        padding = margins.top() + margins.bottom() + 2 * int(self.document().documentMargin())
        return self.fontMetrics().lineSpacing() * lines + padding


def text_area(accessible_name: str, placeholder: str = "", *, lines: int = 4) -> TextArea:
    """A :class:`TextArea` of ``lines`` lines with an accessible name and a placeholder."""
    edit = TextArea(lines)
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    return edit


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose ``&`` mnemonic moves the focus to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def value_label(text: str, accessible_name: str) -> QLabel:
    """A read-only value in a form: plain text, wrapped over the whole field width, selectable."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setAccessibleName(accessible_name)
    return label


def secondary_label(text: str = "") -> QLabel:
    """A word-wrapped label in the palette's quieter text colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)  # wrap at the full width
    return label


class FormDialog(QDialog):
    """A window-modal form that submits one unit of work and closes when it succeeded.

    Signals:
        completed(object): the unit of work succeeded; its result (usually a ChangeSet).
        problem_shown(str): a problem (missing fields or a refusal from the core) is shown inline.
    """

    completed = Signal(object)
    problem_shown = Signal(str)

    def __init__(
        self,
        data: DataAccess,
        *,
        title: str,
        submit_text: str,
        intro: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._busy = False
        self._tab_order_fixed = False
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self._intro = secondary_label(intro)
        self._intro.setVisible(bool(intro))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.body = QVBoxLayout()
        self.body.setSpacing(12)
        self.body.addLayout(self.form)
        self._problem = QLabel()
        self._problem.setWordWrap(True)
        self._problem.setTextFormat(Qt.TextFormat.PlainText)
        self._problem.setAccessibleName(self.tr("Problem"))
        self._problem.setVisible(False)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._submit = QPushButton(submit_text)
        self._submit.setDefault(True)
        self._submit.setToolTip(self.tr("{0} (Ctrl+Enter)").format(submit_text.replace("&", "")))
        self._buttons.addButton(self._submit, QDialogButtonBox.ButtonRole.AcceptRole)
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)
        for keys in SUBMIT_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.submit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        layout.addWidget(self._intro)
        layout.addLayout(self.body, 1)
        layout.addWidget(self._problem)
        layout.addWidget(self._buttons)
        self._apply_problem_color()

    # Subclass API -------------------------------------------------------------------------------

    def missing_fields(self) -> list[tuple[str, QWidget]]:
        """The required fields left empty: (their name for the user, the widget to focus)."""
        return []

    def invalid_fields(self) -> list[tuple[str, QWidget]]:
        """Fields filled in wrongly: (a sentence saying what is expected, the widget to focus)."""
        return []

    def unit_of_work(self) -> UnitOfWork:
        """The function to run on the DB thread and its arguments (after the session)."""
        raise NotImplementedError

    def fit_to_width(self, characters: int) -> None:
        """Size the dialog ``characters`` average characters wide and tall enough for its wrapped text."""
        width = self.fontMetrics().averageCharWidth() * characters
        layout = self.layout()
        height = self.sizeHint().height()
        if layout is not None and layout.hasHeightForWidth():
            layout.activate()
            height = max(height, layout.totalHeightForWidth(width))
        self.resize(width, height)

    # Public API ---------------------------------------------------------------------------------

    @property
    def submit_button(self) -> QPushButton:
        """The primary button."""
        return self._submit

    @property
    def problem(self) -> str:
        """The problem shown inline, or ""."""
        return self._problem.text() if self._problem.isVisibleTo(self) else ""

    def submit(self) -> None:
        """Check the form; if complete, run its unit of work (the dialog stays open until it succeeds)."""
        if self._busy:
            return
        missing = self.missing_fields()
        invalid = self.invalid_fields()
        if missing or invalid:
            lines = []
            if missing:
                names = ", ".join(name for name, _widget in missing)
                lines.append(self.tr("Please fill in: {0}.").format(names))
            lines.extend(sentence for sentence, _widget in invalid)
            self.show_problem("\n".join(lines))
            (missing or invalid)[0][1].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        fn, args = self.unit_of_work()
        self._set_busy(True)
        self._data.write(fn, *args, on_result=self._on_write_result, on_error=self._on_write_error)

    def show_problem(self, message: str) -> None:
        """Show ``message`` above the buttons (what went wrong and what is allowed instead)."""
        self._problem.setText(message)
        self._problem.setVisible(True)
        self.problem_shown.emit(message)

    def clear_problem(self) -> None:
        """Hide the problem line."""
        self._problem.clear()
        self._problem.setVisible(False)

    # Internals ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        if not self._tab_order_fixed:
            self._tab_order_fixed = True
            fields = self._put_buttons_last_in_tab_order()
            chosen = self.focusWidget()
            if fields and (chosen is None or chosen is self or chosen in self._buttons.buttons()):
                fields[0].setFocus(Qt.FocusReason.OtherFocusReason)  # start in the first field
        super().showEvent(event)

    def _put_buttons_last_in_tab_order(self) -> list[QWidget]:
        """Fields first, then the buttons: the button box was created before the subclass's fields."""
        fields: list[QWidget] = []
        widget: QWidget | None = self.nextInFocusChain()
        while widget is not None and widget is not self and widget not in fields:
            in_buttons = widget is self._buttons or self._buttons.isAncestorOf(widget)
            if not in_buttons and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                fields.append(widget)
            widget = widget.nextInFocusChain()
        others = [button for button in self._buttons.buttons() if button is not self._submit]
        chain = [*fields, self._submit, *others]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        return fields

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._apply_problem_color()

    def _apply_problem_color(self) -> None:
        palette = self._problem.palette()
        palette.setColor(QPalette.ColorRole.WindowText, accent(Tone.DANGER, self.palette()))
        self._problem.setPalette(palette)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._submit.setEnabled(not busy)

    def _on_write_result(self, result: object) -> None:
        self._set_busy(False)
        self.clear_problem()
        self.completed.emit(result if result is not None else ChangeSet())
        self.accept()

    def _on_write_error(self, error: BaseException) -> None:
        self._set_busy(False)
        self.show_problem(describe_error(error))


def required(pairs: Sequence[tuple[str, QWidget, bool]]) -> list[tuple[str, QWidget]]:
    """The (name, widget) pairs whose "filled" flag is False, in order."""
    return [(name, widget) for name, widget, filled in pairs if not filled]
