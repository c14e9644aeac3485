"""DecideApprovalDialog: a lead approves or denies a pending approval request, with a comment."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget
from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.workflow import decide_approval
from ui.data_access import DataAccess
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.form_dialog import FormDialog, UnitOfWork, buddy_label, text_area, value_label


def decide_approval_as_me(
    session: Session, approval_id: int, approve: bool, comment: str, now: datetime
) -> ChangeSet:
    """Unit of work: decide the request in the name of the workspace's person (who must be a lead)."""
    return decide_approval(session, approval_id, me_or_refuse(session), approve, comment, now)


class DecideApprovalDialog(FormDialog):
    """Approve or deny one pending approval request; a denial needs a comment."""

    def __init__(
        self,
        data: DataAccess,
        approval_id: int,
        *,
        request_text: str,
        justification: str,
        requested_by: str,
        case_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            data,
            title=self.tr("Decide Approval"),
            submit_text=self.tr("&Record Decision"),
            intro=case_label,
            parent=parent,
        )
        self._approval_id = approval_id
        request = value_label(request_text, self.tr("Requested"))
        reason = value_label(justification, self.tr("Justification"))
        requester = value_label(requested_by, self.tr("Requested by"))
        self.approve = QRadioButton(self.tr("A&pprove"))
        self.deny = QRadioButton(self.tr("&Deny"))
        self.approve.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.approve)
        group.addButton(self.deny)
        decision_row = QHBoxLayout()
        decision_row.addWidget(self.approve)
        decision_row.addWidget(self.deny)
        decision_row.addStretch(1)
        self.comment = text_area(self.tr("Comment"), self.tr("Required when denying: say why"), lines=3)
        self.form.addRow(self.tr("Request:"), request)
        self.form.addRow(self.tr("Requested by:"), requester)
        self.form.addRow(self.tr("Justification:"), reason)
        self.form.addRow(buddy_label(self.tr("Decision:"), self.approve), decision_row)
        self.form.addRow(self.tr("&Comment:"), self.comment)
        self.fit_to_width(80)

    def missing_fields(self) -> list[tuple[str, QWidget]]:
        if self.deny.isChecked() and not self.comment.toPlainText().strip():
            return [(self.tr("a comment saying why the request is denied"), self.comment)]
        return []

    def unit_of_work(self) -> UnitOfWork:
        approve = self.approve.isChecked()
        comment = self.comment.toPlainText().strip()
        return decide_approval_as_me, (self._approval_id, approve, comment, datetime.now(UTC))
