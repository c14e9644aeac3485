"""EscalateDialog: the trigger step, explained: recommended tier and team, readiness, reason, justification.

The dialog shows why Handoff recommends a tier (each signal, fired or not, with
its weight and explanation; a signal or readiness item found in the timeline
can be activated to show that event), and which diagnostic context the target
team requires, present or missing and where it was found. Escalating with
missing context needs an override reason, which is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from core.config import ReasonCodeLabel, load_config
from core.domain.changes import ChangeSet
from core.domain.enums import ReasonCode, Stage
from core.intelligence.readiness import Readiness, check_readiness
from core.intelligence.recommendation import Recommendation, recommend_escalation
from core.workflow import EscalationRequest, escalate_case, load_workflow_state
from ui.data_access import DataAccess
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.facts_table import FactRow, FactsModel, FactsView
from ui.dialogs.form_dialog import FormDialog, UnitOfWork, required, secondary_label, text_area
from ui.labels import reason_code_label, support_tier_label
from ui.tones import Tone

MAX_TIER = 3
SIGNAL_ROWS_SHOWN = 8
READINESS_ROWS_SHOWN = 5


@dataclass(frozen=True)
class EscalationInputs:
    """What the Escalate dialog shows, loaded in one unit of work."""

    case_id: int
    stage: Stage
    current_tier: int
    recommendation: Recommendation
    readiness: Readiness
    reason_codes: tuple[ReasonCodeLabel, ...]


def load_escalation_inputs(session: Session, case_id: int, now: datetime) -> EscalationInputs:
    """Unit of work: the recommendation and the readiness check for the recommended team."""
    config = load_config(session)
    state = load_workflow_state(session, case_id)
    recommendation = recommend_escalation(session, case_id, config, now)
    readiness = check_readiness(session, case_id, config, recommendation.team_id)
    return EscalationInputs(
        case_id=case_id,
        stage=state.stage,
        current_tier=state.tier,
        recommendation=recommendation,
        readiness=readiness,
        reason_codes=config.reason_codes,
    )


def escalate_as_me(session: Session, request: EscalationRequest, now: datetime) -> ChangeSet:
    """Unit of work: escalate in the name of the workspace's person."""
    return escalate_case(session, replace(request, actor_id=me_or_refuse(session)), now)


def _as_json(value: Recommendation | Readiness) -> Mapping[str, Any]:
    """A DTO as plain JSON-ready data, kept with the escalation for trend analysis."""
    return asdict(value)


class EscalateDialog(FormDialog):
    """Escalate a case, with the recommendation and the readiness check in view.

    Signals:
        evidence_requested(int): the user asked to see the timeline event a signal or item was found in.
    """

    evidence_requested = Signal(int)

    def __init__(
        self,
        data: DataAccess,
        inputs: EscalationInputs,
        *,
        case_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        re_escalation = inputs.stage is not Stage.NEW
        super().__init__(
            data,
            title=self.tr("Re-escalate Case") if re_escalation else self.tr("Escalate Case"),
            submit_text=self.tr("&Escalate"),
            intro=case_label,
            parent=parent,
        )
        self._inputs = inputs
        recommendation = inputs.recommendation
        self._missing = tuple(item for item in inputs.readiness.items if not item.present)

        self.recommendation_label = QLabel(self._recommendation_text())
        self.recommendation_label.setAccessibleName(self.tr("Recommendation"))
        font = self.recommendation_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.recommendation_label.setFont(font)
        self.signals_model = FactsModel(
            [self.tr("Signal"), self.tr("Weight"), self.tr("Why"), self.tr("Evidence")], self
        )
        # What fired first, heaviest first: the reasons for the recommendation lead the list.
        ordered = sorted(recommendation.signals, key=lambda signal: (not signal.fired, -signal.weight))
        self.signals_model.set_rows([self._signal_row(signal) for signal in ordered])
        self.signals_view = FactsView(self.signals_model, self.tr("Signals behind the recommendation"))
        self.signals_view.stretch_column(2)
        self.signals_view.fit_rows(min(max(len(recommendation.signals), 2), SIGNAL_ROWS_SHOWN))
        self.signals_view.evidence_requested.connect(self.evidence_requested)

        self.readiness_label = secondary_label(self._readiness_text())
        self.readiness_model = FactsModel([self.tr("Context"), self.tr("Where it was found")], self)
        self.readiness_model.set_rows([self._readiness_row(item) for item in inputs.readiness.items])
        self.readiness_view = FactsView(self.readiness_model, self.tr("Readiness checklist"))
        self.readiness_view.stretch_column(1)
        self.readiness_view.fit_rows(min(max(len(inputs.readiness.items), 2), READINESS_ROWS_SHOWN))
        self.readiness_view.evidence_requested.connect(self.evidence_requested)

        self.tier = QComboBox()
        self.tier.setAccessibleName(self.tr("Target tier"))
        for tier in range(inputs.current_tier + 1, MAX_TIER + 1):
            self.tier.addItem(support_tier_label(tier), tier)
        preferred = self.tier.findData(max(recommendation.tier, inputs.current_tier + 1))
        self.tier.setCurrentIndex(max(preferred, 0))
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Reason code"))
        self.reason.setPlaceholderText(self.tr("Choose a reason…"))
        for entry in inputs.reason_codes or tuple(ReasonCodeLabel(code, "") for code in ReasonCode):
            self.reason.addItem(entry.label or reason_code_label(entry.code), entry.code)
        self.reason.setCurrentIndex(-1)
        self.justification = text_area(
            self.tr("Justification"),
            self.tr("What the receiving team needs to know first (Ctrl+Enter escalates)"),
            lines=3,
        )
        self.override_reason = text_area(self.tr("Override reason"), lines=2)
        self.override_label = QLabel()
        self.override_label.setBuddy(self.override_reason)
        self._set_up_override()

        recommendation_box = QGroupBox(self.tr("Recommendation"))
        recommendation_layout = QVBoxLayout(recommendation_box)
        recommendation_layout.addWidget(self.recommendation_label)
        if recommendation.route_summary:
            self.route_label = secondary_label(self.tr("Routing: {0}").format(recommendation.route_summary))
            self.route_label.setAccessibleName(self.tr("Why this team"))
            recommendation_layout.addWidget(self.route_label)
        recommendation_layout.addWidget(self.signals_view)
        readiness_box = QGroupBox(self.tr("Readiness"))
        readiness_layout = QVBoxLayout(readiness_box)
        readiness_layout.addWidget(self.readiness_label)
        readiness_layout.addWidget(self.readiness_view)
        self.body.insertWidget(0, recommendation_box)
        self.body.insertWidget(1, readiness_box)
        self.form.addRow(self.tr("&Tier:"), self.tier)
        self.form.addRow(self.tr("&Reason:"), self.reason)
        self.form.addRow(self.tr("&Justification:"), self.justification)
        self.form.addRow(self.override_label, self.override_reason)
        self.fit_to_width(150)
        self.reason.setFocus()

    # Public API ---------------------------------------------------------------------------------

    @property
    def missing_items(self) -> tuple[str, ...]:
        """The labels of the required context that is missing."""
        return tuple(item.label for item in self._missing)

    def escalation_request(self) -> EscalationRequest:
        """The request as the core takes it (the actor is filled in on the DB thread)."""
        recommendation = self._inputs.recommendation
        return EscalationRequest(
            case_id=self._inputs.case_id,
            actor_id=0,
            tier=int(self.tier.currentData()),
            team_id=recommendation.team_id,
            reason_code=ReasonCode(self.reason.currentData()),
            justification=self.justification.toPlainText().strip(),
            override_reason=self.override_reason.toPlainText().strip() or None,
            recommended_tier=recommendation.tier,
            recommendation=_as_json(recommendation),
            readiness=_as_json(self._inputs.readiness),
            missing_readiness=self.missing_items,
        )

    # FormDialog ---------------------------------------------------------------------------------

    def missing_fields(self) -> list[tuple[str, QWidget]]:
        return required(
            [
                (self.tr("target tier"), self.tier, self.tier.currentIndex() >= 0),
                (self.tr("reason"), self.reason, self.reason.currentIndex() >= 0),
                (
                    self.tr("justification"),
                    self.justification,
                    bool(self.justification.toPlainText().strip()),
                ),
                (
                    self.tr("override reason (required context is missing)"),
                    self.override_reason,
                    not self._missing or bool(self.override_reason.toPlainText().strip()),
                ),
            ]
        )

    def unit_of_work(self) -> UnitOfWork:
        return escalate_as_me, (self.escalation_request(), datetime.now(UTC))

    # Presentation -------------------------------------------------------------------------------

    def _recommendation_text(self) -> str:
        recommendation = self._inputs.recommendation
        text = support_tier_label(recommendation.tier)
        if recommendation.team_name:
            text = self.tr("{0} · {1}").format(text, recommendation.team_name)
        return self.tr("Recommended: {0}  (score {1:g})").format(text, recommendation.score)

    def _signal_row(self, signal: Any) -> FactRow:
        mark = "✓" if signal.fired else "–"
        weight = f"{signal.weight:+g}" if signal.fired else f"{signal.weight:g}"
        evidence = self.tr("Show in timeline") if signal.evidence_event_id is not None else ""
        status = self.tr("{0} {1}").format(mark, signal.label)
        fired = self.tr("Fired") if signal.fired else self.tr("Did not fire")
        return FactRow(
            cells=(status, weight, signal.explanation, evidence),
            tone=Tone.WARNING if signal.fired else None,
            evidence_event_id=signal.evidence_event_id,
            tooltip=f"{fired}: {signal.explanation}",
        )

    def _readiness_row(self, item: Any) -> FactRow:
        if item.present:
            where = item.evidence_excerpt or self.tr("Found in the case")
            return FactRow(
                cells=(self.tr("✓ {0}").format(item.label), where),
                tone=Tone.SUCCESS,
                evidence_event_id=item.evidence_event_id,
                tooltip=where,
            )
        return FactRow(
            cells=(self.tr("✗ {0}").format(item.label), self.tr("Missing: not found in the timeline")),
            tone=Tone.DANGER,
        )

    def _readiness_text(self) -> str:
        items = self._inputs.readiness.items
        team = self._inputs.recommendation.team_name or self.tr("the target team")
        if not items:
            return self.tr("{0} requires no particular diagnostic context.").format(team)
        present = len(items) - len(self._missing)
        return self.tr("{0} of {1} items of context that {2} requires are present.").format(
            present, len(items), team
        )

    def _set_up_override(self) -> None:
        if self._missing:
            names = ", ".join(self.missing_items)
            self.override_label.setText(self.tr("&Override reason:"))
            self.override_reason.setPlaceholderText(
                self.tr("Required: why escalate without {0}?").format(names)
            )
            self.override_reason.setEnabled(True)
        else:
            self.override_label.setText(self.tr("Override reason:"))
            self.override_reason.setPlaceholderText(self.tr("Not needed: all required context is present"))
            self.override_reason.setEnabled(False)
        self.override_label.setForegroundRole(
            QPalette.ColorRole.WindowText if self._missing else QPalette.ColorRole.PlaceholderText
        )
