"""ClosureDialog: the closure form that ends an escalation and feeds trend analysis.

Resolution summary and root-cause category (from the workspace's taxonomy) are
required; follow-up actions (text, owner, due date) are added and removed in a
table; a linked defect needs a key, and its URL must be a web address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core.config import load_config
from core.config.model import RootCauseCategory, WorkspaceConfig
from core.domain.changes import ChangeSet
from core.workflow import ClosureForm, FollowUp, close_case
from ui.data_access import DataAccess
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.follow_up_model import FollowUpColumn, FollowUpEntry, FollowUpModel
from ui.dialogs.form_dialog import FormDialog, UnitOfWork, buddy_label, required, text_area

DEFAULT_FOLLOW_UP_DAYS = 7


def close_as_me(session: Session, form: ClosureForm, now: datetime) -> ChangeSet:
    """Unit of work: close the case as the workspace's person, against the stored taxonomy."""
    config: WorkspaceConfig = load_config(session)
    return close_case(
        session,
        replace(form, actor_id=me_or_refuse(session)),
        [entry.key for entry in config.root_causes],
        now,
    )


class ClosureDialog(FormDialog):
    """Close a resolved case: resolution, root cause, follow-ups, linked defect, customer notified."""

    def __init__(
        self,
        data: DataAccess,
        case_id: int,
        taxonomy: Sequence[RootCauseCategory],
        *,
        case_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            data,
            title=self.tr("Close Case"),
            submit_text=self.tr("&Close Case"),
            intro=case_label,
            parent=parent,
        )
        self._case_id = case_id
        self.summary = text_area(
            self.tr("Resolution summary"),
            self.tr("What fixed it, in words a colleague will understand"),
            lines=3,
        )
        self.category = QComboBox()
        self.category.setAccessibleName(self.tr("Root cause category"))
        self.category.setPlaceholderText(self.tr("Choose a category…"))
        for entry in taxonomy:
            self.category.addItem(entry.label, entry.key)
        self.category.setCurrentIndex(-1)
        self.detail = text_area(
            self.tr("Root cause detail"), self.tr("What exactly went wrong, and why"), lines=2
        )
        self.follow_ups = FollowUpModel(self)
        self.follow_up_table = QTableView()
        self.follow_up_table.setAccessibleName(self.tr("Follow-up actions"))
        self.follow_up_table.setModel(self.follow_ups)
        self.follow_up_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.follow_up_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.follow_up_table.setTabKeyNavigation(False)
        self.follow_up_table.verticalHeader().hide()
        self.follow_up_table.setWordWrap(False)
        header = self.follow_up_table.horizontalHeader()
        header.setSectionResizeMode(FollowUpColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FollowUpColumn.OWNER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FollowUpColumn.DUE, QHeaderView.ResizeMode.Interactive)
        char = self.fontMetrics().averageCharWidth()
        header.resizeSection(FollowUpColumn.OWNER, char * 18)
        header.resizeSection(FollowUpColumn.DUE, char * 16)
        self.follow_up_table.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.add_follow_up_button = QPushButton(self.tr("&Add Follow-up"))
        self.add_follow_up_button.setAutoDefault(False)
        self.add_follow_up_button.clicked.connect(self._on_add_follow_up_button_clicked)
        self.remove_follow_up_button = QPushButton(self.tr("&Remove"))
        self.remove_follow_up_button.setAutoDefault(False)
        self.remove_follow_up_button.setAccessibleName(self.tr("Remove the selected follow-up action"))
        self.remove_follow_up_button.clicked.connect(self._on_remove_follow_up_button_clicked)
        self.defect_key = QLineEdit()
        self.defect_key.setAccessibleName(self.tr("Defect key"))
        self.defect_key.setPlaceholderText(self.tr("e.g. ENG-4821"))
        self.defect_url = QLineEdit()
        self.defect_url.setAccessibleName(self.tr("Defect URL"))
        self.defect_url.setPlaceholderText("https://")
        self.customer_notified = QCheckBox(self.tr("The customer was &notified of the resolution"))

        follow_up_buttons = QVBoxLayout()
        follow_up_buttons.addWidget(self.add_follow_up_button)
        follow_up_buttons.addWidget(self.remove_follow_up_button)
        follow_up_buttons.addStretch(1)
        follow_up_row = QHBoxLayout()
        follow_up_row.addWidget(self.follow_up_table, 1)
        follow_up_row.addLayout(follow_up_buttons)
        defect_row = QHBoxLayout()
        defect_row.addWidget(self.defect_key, 1)
        defect_row.addWidget(self.defect_url, 3)

        self.form.addRow(self.tr("Resolution &summary:"), self.summary)
        self.form.addRow(self.tr("Root cause ca&tegory:"), self.category)
        self.form.addRow(self.tr("Root cause &detail:"), self.detail)
        self.form.addRow(buddy_label(self.tr("&Follow-up actions:"), self.follow_up_table), follow_up_row)
        self.form.addRow(buddy_label(self.tr("Linked d&efect:"), self.defect_key), defect_row)
        self.form.addRow("", self.customer_notified)
        self.fit_to_width(120)

    # FormDialog ---------------------------------------------------------------------------------

    def missing_fields(self) -> list[tuple[str, QWidget]]:
        return required(
            [
                (self.tr("resolution summary"), self.summary, bool(self.summary.toPlainText().strip())),
                (self.tr("root cause category"), self.category, self.category.currentIndex() >= 0),
                (self.tr("root cause detail"), self.detail, bool(self.detail.toPlainText().strip())),
            ]
        )

    def invalid_fields(self) -> list[tuple[str, QWidget]]:
        problems: list[tuple[str, QWidget]] = []
        for row, entry in enumerate(self.follow_ups.entries, start=1):
            if not entry.text or not entry.owner:
                problem = self.tr("Follow-up {0} needs an action and an owner (or remove it).").format(row)
                problems.append((problem, self.follow_up_table))
        url = self.defect_url.text().strip()
        if url and not self.defect_key.text().strip():
            problems.append((self.tr("A linked defect needs its key (e.g. ENG-4821)."), self.defect_key))
        if url and QUrl(url).scheme().lower() not in ("http", "https"):
            problems.append(
                (self.tr("The defect URL must be a web address starting with https://."), self.defect_url)
            )
        return problems

    def unit_of_work(self) -> UnitOfWork:
        return close_as_me, (self.closure_form(actor_id=0), datetime.now(UTC))

    # Public API ---------------------------------------------------------------------------------

    def closure_form(self, *, actor_id: int) -> ClosureForm:
        """The form's contents as the core takes them."""
        return ClosureForm(
            case_id=self._case_id,
            actor_id=actor_id,
            resolution_summary=self.summary.toPlainText().strip(),
            root_cause_category=str(self.category.currentData() or ""),
            root_cause_detail=self.detail.toPlainText().strip(),
            follow_ups=tuple(
                FollowUp(text=entry.text, owner=entry.owner, due_date=entry.due_date)
                for entry in self.follow_ups.entries
            ),
            defect_key=self.defect_key.text().strip() or None,
            defect_url=self.defect_url.text().strip() or None,
            customer_notified=self.customer_notified.isChecked(),
        )

    def add_follow_up(self, text: str = "", owner: str = "", due: date | None = None) -> int:
        """Add a follow-up row (due in a week unless said otherwise); returns its row."""
        due_date = due or date.today() + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
        return self.follow_ups.add(FollowUpEntry(text=text, owner=owner, due_date=due_date))

    # Slots --------------------------------------------------------------------------------------

    def _on_add_follow_up_button_clicked(self) -> None:
        row = self.add_follow_up()
        index = self.follow_ups.index(row, FollowUpColumn.TEXT)
        self.follow_up_table.setFocus()
        self.follow_up_table.setCurrentIndex(index)
        self.follow_up_table.edit(index)

    def _on_remove_follow_up_button_clicked(self) -> None:
        index = self.follow_up_table.currentIndex()
        if index.isValid():
            self.follow_ups.remove(index.row())
