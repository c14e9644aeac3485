"""RuleConfirmDialog: before a move that breaks a routing rule, the lead sees why and confirms or cancels.

It lists each case and each rule the move breaks, in words ("Skill missing:
Priya Raman has area:billing 3, needs 5"), with the route Handoff would pick
instead. Cancel (the default, and Esc) writes nothing; the confirm button
accepts, and the caller writes the move with :attr:`overridden_rules`.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from core.routing.types import RuleKind
from ui.dialogs.move_preview import MovePreview
from ui.dialogs.route_explanation import proposal_label, violation_text, violations_html
from ui.safe_text_browser import SafeTextBrowser
from ui.tones import muted


class RuleConfirmDialog(QDialog):
    """A window-modal question: make this move although it breaks these rules?

    ``accepted`` means confirmed, ``rejected`` means cancelled (open it with ``open()``).
    """

    def __init__(self, preview: MovePreview, *, triage: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview = preview
        self.setWindowTitle(self.tr("Confirm Route") if triage else self.tr("Confirm Move"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        count = len(preview.case_ids)
        cases = self.tr("1 case") if count == 1 else self.tr("{0} cases").format(count)
        verb = self.tr("Routing {0} to {1}") if triage else self.tr("Moving {0} to {1}")
        self._intro = QLabel(
            self.tr("{0} breaks the routing rules below. Do it anyway?").format(
                verb.format(cases, preview.target_label or self.tr("this team"))
            )
        )
        self._intro.setWordWrap(True)
        self._intro.setTextFormat(Qt.TextFormat.PlainText)
        self._details = SafeTextBrowser()
        self._details.setAccessibleName(self.tr("Broken rules"))
        self._details.setHtml(self._details_html())
        self._details.setAccessibleDescription("\n".join(self.messages()))
        self.reason_field = QLineEdit()
        self.reason_field.setPlaceholderText(self.tr("Why, recorded with the move (optional)"))
        self.reason_field.setAccessibleName(self.tr("Reason for overriding the rules"))
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._confirm = QPushButton(self.tr("&Route Anyway") if triage else self.tr("&Move Anyway"))
        self._confirm.setAutoDefault(False)
        self._buttons.addButton(self._confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self._intro)
        layout.addWidget(self._details, 1)
        layout.addWidget(self.reason_field)
        layout.addWidget(self._buttons)
        cancel.setDefault(True)  # Enter never overrides a rule by accident (set once in the dialog)
        # Once the lead has written why, Enter confirms: the reason shows the intent.
        self.reason_field.textChanged.connect(
            lambda text: (self._confirm.setDefault(bool(text.strip())), cancel.setDefault(not text.strip()))
        )
        self.resize(self.sizeHint())  # not shrunk to the 2/3 of a screen adjustSize() would allow
        cancel.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def preview(self) -> MovePreview:
        """The move asked about."""
        return self._preview

    @property
    def confirm_button(self) -> QPushButton:
        """The button that confirms the move."""
        return self._confirm

    @property
    def reason(self) -> str:
        """Why the lead overrides the rules (may be empty)."""
        return self.reason_field.text().strip()

    @property
    def overridden_rules(self) -> tuple[RuleKind, ...]:
        """Every kind of rule the move breaks (recorded with it once confirmed), in a stable order."""
        violations = self._preview.check.violations.values()
        kinds = {violation.kind for case_violations in violations for violation in case_violations}
        return tuple(kind for kind in RuleKind if kind in kinds)

    def messages(self) -> list[str]:
        """Each broken rule in words, case by case (what the lead reads)."""
        return [
            violation_text(violation)
            for case_id in self._ordered_cases()
            for violation in self._preview.check.violations[case_id]
        ]

    def sizeHint(self) -> QSize:
        char = self.fontMetrics().averageCharWidth()
        line = self.fontMetrics().lineSpacing()
        rows = sum(3 + 2 * len(v) for v in self._preview.check.violations.values())
        return QSize(96 * char, min(40, 8 + rows) * line)

    def _ordered_cases(self) -> list[int]:
        return [case_id for case_id in self._preview.case_ids if case_id in self._preview.check.violations]

    def _details_html(self) -> str:
        palette = self.palette()
        quiet = muted(palette).name()
        preview = self._preview
        parts = []
        for case_id in self._ordered_cases():
            label = preview.case_labels.get(case_id, self.tr("Case {0}").format(case_id))
            parts.append(f"<p style='margin-bottom:2px'><b>{escape(label)}</b></p>")
            parts.append(violations_html(preview.check.violations[case_id], palette))
            proposal = preview.check.proposals.get(case_id)
            differs = proposal is not None and (proposal.team_id, proposal.person_id) != (
                preview.team_id,
                preview.person_id,
            )
            if proposal is not None and differs:
                if proposal.person_id is None:
                    instead = self.tr("Handoff would leave it unassigned in {0}: {1}")
                    instead = instead.format(proposal.team_name, proposal.explanation.summary)
                else:
                    instead = self.tr("Handoff would pick {0} instead: {1}")
                    instead = instead.format(proposal_label(proposal), proposal.explanation.summary)
                parts.append(f"<p style='margin-top:0;color:{quiet}'>{escape(instead)}</p>")
        return "".join(parts)
