"""ReminderDialog: remind a customer who has not yet confirmed a proposed resolution."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from core.config import load_config
from core.domain.changes import ChangeSet
from core.workflow import send_confirmation_reminder
from ui.data_access import DataAccess
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.form_dialog import FormDialog, UnitOfWork, required, text_area


def send_reminder_as_me(session: Session, case_id: int, message: str, now: datetime) -> ChangeSet:
    """Unit of work: send the next confirmation reminder as the workspace's person."""
    cadence = load_config(session).reminders.business_days
    return send_confirmation_reminder(session, case_id, me_or_refuse(session), message, now, cadence)


class ReminderDialog(FormDialog):
    """Write the reminder; it goes to the customer as a public reply and the next one is scheduled."""

    def __init__(
        self, data: DataAccess, case_id: int, *, case_label: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(
            data,
            title=self.tr("Send Reminder"),
            submit_text=self.tr("&Send Reminder"),
            intro=case_label,
            parent=parent,
        )
        self._case_id = case_id
        self.message = text_area(
            self.tr("Reminder to the customer"), self.tr("Ask whether the proposed fix works"), lines=6
        )
        self.message.setPlainText(
            self.tr(
                "Hello,\n\nwe wanted to check whether the fix we proposed solved the problem for you. "
                "If it did, a short reply is enough and we will close the case; if not, tell us what you "
                "see and we will continue."
            )
        )
        self.form.addRow(self.tr("&Message:"), self.message)
        self.fit_to_width(80)

    def missing_fields(self) -> list[tuple[str, QWidget]]:
        return required(
            [
                (
                    self.tr("the reminder to the customer"),
                    self.message,
                    bool(self.message.toPlainText().strip()),
                )
            ]
        )

    def unit_of_work(self) -> UnitOfWork:
        return send_reminder_as_me, (self._case_id, self.message.toPlainText().strip(), datetime.now(UTC))
