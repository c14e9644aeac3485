"""ConfirmationDialog: record the customer's answer to a proposed resolution.

Confirmed resolves the case. Not fixed returns it to investigating with the
customer's feedback and guidance for the specialist, or, when the problem
needs a higher tier, records the answer and then asks for a re-escalation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.domain.enums import ConfirmationAnswer
from core.workflow import record_confirmation
from ui.data_access import DataAccess
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.form_dialog import FormDialog, UnitOfWork, buddy_label, required, text_area


class ConfirmationChoice(StrEnum):
    """What the user records."""

    CONFIRMED = "confirmed"
    RETURN = "return"
    RE_ESCALATE = "re_escalate"


def record_confirmation_as_me(
    session: Session, case_id: int, answer: ConfirmationAnswer, feedback: str, guidance: str, now: datetime
) -> ChangeSet:
    """Unit of work: record the answer in the name of the workspace's person."""
    return record_confirmation(session, case_id, me_or_refuse(session), answer, feedback, guidance, now)


class ConfirmationDialog(FormDialog):
    """The customer's answer: confirmed, or not fixed (back to the specialist, or to a higher tier).

    Signals:
        re_escalation_requested(int): the answer was recorded as not fixed and the case (its id)
            should now be escalated to a higher tier.
    """

    re_escalation_requested = Signal(int)

    def __init__(
        self, data: DataAccess, case_id: int, *, case_label: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(
            data,
            title=self.tr("Record Customer Confirmation"),
            submit_text=self.tr("&Record Answer"),
            intro=case_label,
            parent=parent,
        )
        self._case_id = case_id
        self.confirmed = QRadioButton(self.tr("&Confirmed: the fix works (the case is resolved)"))
        self.returned = QRadioButton(self.tr("&Not fixed: return to investigation with guidance"))
        self.re_escalate = QRadioButton(self.tr("Not fixed: re-&escalate to a higher tier"))
        self._choices = {
            ConfirmationChoice.CONFIRMED: self.confirmed,
            ConfirmationChoice.RETURN: self.returned,
            ConfirmationChoice.RE_ESCALATE: self.re_escalate,
        }
        group = QButtonGroup(self)
        choices = QVBoxLayout()
        choices.setSpacing(4)
        for button in self._choices.values():
            group.addButton(button)
            choices.addWidget(button)
        self.confirmed.setChecked(True)
        self.feedback = text_area(
            self.tr("Customer feedback"), self.tr("What the customer said, in their words"), lines=3
        )
        self.guidance = text_area(
            self.tr("Guidance"), self.tr("What to try next, for whoever continues the investigation"), lines=3
        )
        self.form.addRow(buddy_label(self.tr("Answer:"), self.confirmed), choices)
        self.form.addRow(self.tr("Customer &feedback:"), self.feedback)
        self.form.addRow(self.tr("&Guidance:"), self.guidance)
        for button in self._choices.values():
            button.toggled.connect(self._on_choice_toggled)
        self._on_choice_toggled()
        self.fit_to_width(76)

    @property
    def choice(self) -> ConfirmationChoice:
        """The answer selected."""
        return next(choice for choice, button in self._choices.items() if button.isChecked())

    def set_choice(self, choice: ConfirmationChoice) -> None:
        """Select ``choice``."""
        self._choices[choice].setChecked(True)

    def missing_fields(self) -> list[tuple[str, QWidget]]:
        not_fixed = self.choice is not ConfirmationChoice.CONFIRMED
        return required(
            [
                (
                    self.tr("the customer's feedback"),
                    self.feedback,
                    not not_fixed or bool(self.feedback.toPlainText().strip()),
                ),
                (
                    self.tr("guidance for the specialist"),
                    self.guidance,
                    self.choice is not ConfirmationChoice.RETURN or bool(self.guidance.toPlainText().strip()),
                ),
            ]
        )

    def unit_of_work(self) -> UnitOfWork:
        choice = self.choice
        answer = (
            ConfirmationAnswer.CONFIRMED
            if choice is ConfirmationChoice.CONFIRMED
            else ConfirmationAnswer.NOT_FIXED
        )
        guidance = self.guidance.toPlainText().strip()
        if choice is ConfirmationChoice.RE_ESCALATE and not guidance:
            guidance = self.tr("Re-escalating to a higher tier.")
        feedback = self.feedback.toPlainText().strip()
        return record_confirmation_as_me, (self._case_id, answer, feedback, guidance, datetime.now(UTC))

    def _on_write_result(self, result: object) -> None:
        escalate = self.choice is ConfirmationChoice.RE_ESCALATE
        super()._on_write_result(result)
        if escalate:
            self.re_escalation_requested.emit(self._case_id)

    def _on_choice_toggled(self, _checked: bool = False) -> None:
        not_fixed = self.choice is not ConfirmationChoice.CONFIRMED
        self.guidance.setEnabled(self.choice is ConfirmationChoice.RETURN)
        self.feedback.setPlaceholderText(
            self.tr("What the customer said, in their words")
            if not_fixed
            else self.tr("Optional: what the customer said")
        )
