"""ResolutionDialog: propose a resolution to the customer and start tracking their confirmation."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from core.config import ReminderCadence, load_config
from core.domain.changes import ChangeSet
from core.workflow import propose_resolution
from ui.data_access import DataAccess
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.form_dialog import FormDialog, UnitOfWork, required, secondary_label, text_area


def propose_resolution_as_me(session: Session, case_id: int, message: str, now: datetime) -> ChangeSet:
    """Unit of work: propose the resolution as the workspace's person, on the workspace's reminder cadence."""
    cadence = load_config(session).reminders.business_days
    return propose_resolution(session, case_id, me_or_refuse(session), message, now, cadence)


class ResolutionDialog(FormDialog):
    """Write the message that explains the fix; the case then waits for the customer's confirmation."""

    def __init__(
        self,
        data: DataAccess,
        case_id: int,
        cadence: ReminderCadence,
        *,
        case_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            data,
            title=self.tr("Propose Resolution"),
            submit_text=self.tr("&Send Proposal"),
            intro=case_label,
            parent=parent,
        )
        self._case_id = case_id
        self.message = text_area(
            self.tr("Message to the customer"),
            self.tr("Explain the fix and what the customer should do to confirm it works"),
            lines=8,
        )
        self.cadence_label = secondary_label(self.cadence_text(cadence))
        self.cadence_label.setAccessibleName(self.tr("Reminder cadence"))
        self.form.addRow(self.tr("&Message:"), self.message)
        self.form.addRow("", self.cadence_label)
        self.fit_to_width(90)

    def cadence_text(self, cadence: ReminderCadence) -> str:
        """The reminder schedule in words."""
        days = [str(day) for day in cadence.business_days]
        if not days:
            text = self.tr("No reminders are scheduled.")
        elif len(days) == 1:
            text = self.tr(
                "If the customer does not answer, you are reminded after {0} business days."
            ).format(days[0])
        else:
            text = self.tr(
                "If the customer does not answer, you are reminded after {0} and {1} business days."
            ).format(", ".join(days[:-1]), days[-1])
        if cadence.propose_auto_close and days:
            text += " " + self.tr("Then Handoff proposes closing the case.")
        return text

    def missing_fields(self) -> list[tuple[str, QWidget]]:
        return required(
            [(self.tr("the message to the customer"), self.message, bool(self.message.toPlainText().strip()))]
        )

    def unit_of_work(self) -> UnitOfWork:
        return propose_resolution_as_me, (
            self._case_id,
            self.message.toPlainText().strip(),
            datetime.now(UTC),
        )
