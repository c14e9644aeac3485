"""ApprovalDialog: ask management to authorize a credit or refund, a policy exception or a priority."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLineEdit, QWidget
from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.domain.enums import ApprovalKind
from core.workflow import ApprovalRequest, request_approval
from ui.data_access import DataAccess
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.form_dialog import FormDialog, UnitOfWork, buddy_label, required, text_area

DEFAULT_CURRENCY = "USD"
MAX_AMOUNT = 10_000_000.0
_KIND_LABELS: dict[ApprovalKind, str] = {
    ApprovalKind.CREDIT_REFUND: QT_TRANSLATE_NOOP("ApprovalKind", "Credit or refund"),
    ApprovalKind.POLICY_EXCEPTION: QT_TRANSLATE_NOOP("ApprovalKind", "Policy exception"),
    ApprovalKind.ENGINEERING_PRIORITY: QT_TRANSLATE_NOOP("ApprovalKind", "Engineering priority"),
}


def approval_kind_label(kind: ApprovalKind) -> str:
    """``ApprovalKind.CREDIT_REFUND`` → ``"Credit or refund"``."""
    return QCoreApplication.translate("ApprovalKind", _KIND_LABELS[kind])


def request_approval_as_me(session: Session, request: ApprovalRequest, now: datetime) -> ChangeSet:
    """Unit of work: request the approval in the name of the workspace's person."""
    return request_approval(session, replace(request, actor_id=me_or_refuse(session)), now)


class ApprovalDialog(FormDialog):
    """Request an approval: what kind, how much (for a credit or refund) and why."""

    def __init__(
        self, data: DataAccess, case_id: int, *, case_label: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(
            data,
            title=self.tr("Request Approval"),
            submit_text=self.tr("&Request Approval"),
            intro=case_label,
            parent=parent,
        )
        self._case_id = case_id
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("What needs approval"))
        for kind in ApprovalKind:
            self.kind.addItem(approval_kind_label(kind), kind.value)
        self.amount = QDoubleSpinBox()
        self.amount.setAccessibleName(self.tr("Amount"))
        self.amount.setDecimals(2)
        self.amount.setRange(0.0, MAX_AMOUNT)
        self.amount.setGroupSeparatorShown(True)
        self.currency = QLineEdit(DEFAULT_CURRENCY)
        self.currency.setAccessibleName(self.tr("Currency"))
        self.currency.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,3}"), self))
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(self.fontMetrics().horizontalAdvance("MMMMM") + 16)
        self.justification = text_area(
            self.tr("Justification"), self.tr("Why this is needed, and what happens without it")
        )
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount, 1)
        amount_row.addWidget(self.currency)
        self.form.addRow(self.tr("&Kind:"), self.kind)
        self.form.addRow(buddy_label(self.tr("&Amount:"), self.amount), amount_row)
        self.form.addRow(self.tr("&Justification:"), self.justification)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self._on_kind_current_index_changed()
        self.fit_to_width(72)

    @property
    def selected_kind(self) -> ApprovalKind:
        """The kind chosen."""
        return ApprovalKind(self.kind.currentData())

    def missing_fields(self) -> list[tuple[str, QWidget]]:
        needs_amount = self.selected_kind is ApprovalKind.CREDIT_REFUND
        return required(
            [
                (self.tr("amount"), self.amount, not needs_amount or self.amount.value() > 0),
                (self.tr("currency"), self.currency, not needs_amount or len(self.currency.text()) == 3),
                (
                    self.tr("justification"),
                    self.justification,
                    bool(self.justification.toPlainText().strip()),
                ),
            ]
        )

    def unit_of_work(self) -> UnitOfWork:
        return request_approval_as_me, (self.approval_request(), datetime.now(UTC))

    def approval_request(self) -> ApprovalRequest:
        """The request as the core takes it (the actor is filled in on the DB thread)."""
        with_amount = self.selected_kind is ApprovalKind.CREDIT_REFUND
        return ApprovalRequest(
            case_id=self._case_id,
            actor_id=0,
            kind=self.selected_kind,
            amount_cents=round(self.amount.value() * 100) if with_amount else None,
            currency=self.currency.text().upper() if with_amount else None,
            justification=self.justification.toPlainText().strip(),
        )

    def _on_kind_current_index_changed(self, _index: int = 0) -> None:
        with_amount = self.selected_kind is ApprovalKind.CREDIT_REFUND
        self.amount.setEnabled(with_amount)
        self.currency.setEnabled(with_amount)
