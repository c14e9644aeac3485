"""How a route is shown wherever one is chosen: its one-line label, its explanation as text and as HTML.

A :class:`~core.routing.types.RouteProposal` carries a
:class:`~core.routing.types.RouteExplanation` (the skills matched or relaxed,
every candidate's load, why the winner won). The triage queue, "Move to…" and
the rule confirmation all show it through the helpers here, so a lead reads
the same words everywhere. :class:`RouteExplanationView` is the read-only
panel that renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QWidget

from core.routing.types import RouteProposal, RuleKind, RuleViolation, SkillCheck
from ui.safe_text_browser import SafeTextBrowser
from ui.tones import Tone, accent, muted

_SKILL_KINDS = {
    "area": QT_TRANSLATE_NOOP("RouteExplanation", "Product area"),
    "lang": QT_TRANSLATE_NOOP("RouteExplanation", "Language"),
    "type": QT_TRANSLATE_NOOP("RouteExplanation", "Issue type"),
}
_RULES = {
    RuleKind.SKILL_MISSING: QT_TRANSLATE_NOOP("RouteExplanation", "Skill missing"),
    RuleKind.OVER_CAPACITY: QT_TRANSLATE_NOOP("RouteExplanation", "Over capacity"),
    RuleKind.OVER_WIP_LIMIT: QT_TRANSLATE_NOOP("RouteExplanation", "Over WIP limit"),
    RuleKind.AWAY: QT_TRANSLATE_NOOP("RouteExplanation", "Away"),
    RuleKind.NOT_A_MEMBER: QT_TRANSLATE_NOOP("RouteExplanation", "Not a member"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("RouteExplanation", text)


def route_label(team_name: str, person_name: str) -> str:
    """``"SSO Specialists → Priya Raman"``, or ``"SSO Specialists (nobody has room)"`` without a person."""
    if person_name:
        return f"{team_name} → {person_name}"
    return _tr("{0} (nobody has room)").format(team_name)


def proposal_label(proposal: RouteProposal) -> str:
    """The proposal's route in one line."""
    return route_label(proposal.team_name, proposal.person_name if proposal.person_id is not None else "")


def explanation_text(proposal: RouteProposal) -> str:
    """The route and its explanation as plain lines (tooltips, accessible descriptions)."""
    return "\n".join([proposal_label(proposal), *proposal.explanation.lines()])


def violation_text(violation: RuleViolation) -> str:
    """``"Skill missing: Priya Raman has area:billing at level 3, the case needs 5"``."""
    rule = _RULES.get(violation.kind)
    return f"{_tr(rule)}: {violation.message}" if rule else violation.message


def skill_label(check: SkillCheck) -> str:
    """``area:sso`` at level 5 → ``"Product area sso, level 5+"``."""
    kind, _sep, value = check.skill.partition(":")
    kind_name = _SKILL_KINDS.get(kind)
    name = f"{_tr(kind_name)} {value}" if kind_name and value else check.skill
    return _tr("{0}, level {1}+").format(name, check.min_level)


def _skill_state(check: SkillCheck) -> str:
    if check.relaxed:
        return _tr("relaxed: nobody with room had it")
    return _tr("required") if check.required else _tr("optional, matched")


def explanation_html(proposal: RouteProposal, palette: QPalette) -> str:
    """The proposal as HTML: the route, the summary, the skills and every candidate (winner first)."""
    quiet = muted(palette).name()
    good = accent(Tone.SUCCESS, palette).name()
    warn = accent(Tone.WARNING, palette).name()
    explanation = proposal.explanation
    parts = [
        f"<p style='margin-top:0;margin-bottom:2px'><b>{escape(proposal_label(proposal))}</b></p>",
        f"<p style='margin-top:0'>{escape(explanation.summary)}</p>",
    ]
    facts = [_tr("Case weight {0} units").format(explanation.case_weight)]
    if explanation.overflowed_from_team_id is not None:
        source = explanation.overflowed_from_team_name or _tr("its primary team")
        facts.append(_tr("overflow: {0} had no room").format(source))
    parts.append(f"<p style='color:{quiet}'>{escape(' · '.join(facts))}</p>")
    if explanation.skills:
        items = "".join(
            f"<li>{escape(skill_label(check))} <span style='color:{warn if check.relaxed else quiet}'>"
            f"— {escape(_skill_state(check))}</span></li>"
            for check in explanation.skills
        )
        parts.append(f"<p style='margin-bottom:0'><b>{escape(_tr('Skills'))}</b></p><ul>{items}</ul>")
    if explanation.candidates:
        rows = []
        several_teams = len({candidate.team_id for candidate in explanation.candidates}) > 1
        for candidate in sorted(explanation.candidates, key=lambda c: (not c.winner, not c.eligible)):
            colour = good if candidate.winner else (quiet if not candidate.eligible else "")
            style = f" style='color:{colour}'" if colour else ""
            name = escape(candidate.name)
            if candidate.winner:
                name = f"<b>✓ {name}</b>"
            team = f"<br><span style='color:{quiet}'>{escape(candidate.team_name)}</span>"
            rows.append(
                f"<tr{style}><td>{name}{team if several_teams and candidate.team_name else ''}</td>"
                f"<td align='right'>{candidate.load}/{candidate.capacity}</td>"
                f"<td>{escape(candidate.note)}</td></tr>"
            )
        header = (
            f"<tr style='color:{quiet}'><td>{escape(_tr('Candidate'))}</td>"
            f"<td align='right'>{escape(_tr('Units'))}</td><td>{escape(_tr('Why'))}</td></tr>"
        )
        parts.append(
            f"<p style='margin-bottom:0'><b>{escape(_tr('Candidates'))}</b></p>"
            f"<table cellspacing='0' cellpadding='3' width='100%'>{header}{''.join(rows)}</table>"
        )
    return "".join(parts)


def violations_html(violations: Sequence[RuleViolation], palette: QPalette) -> str:
    """The broken rules as a list in the warning colour."""
    warn = accent(Tone.WARNING, palette).name()
    items = "".join(f"<li style='color:{warn}'>{escape(violation_text(v))}</li>" for v in violations)
    return f"<ul style='margin-top:0'>{items}</ul>"


class RouteExplanationView(SafeTextBrowser):
    """A read-only panel explaining a route (or saying why there is none to explain)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Route explanation"))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._proposal: RouteProposal | None = None
        self._violations: tuple[RuleViolation, ...] = ()
        self._placeholder = ""
        self._heading = ""

    @property
    def proposal(self) -> RouteProposal | None:
        """The proposal shown, if any."""
        return self._proposal

    def set_proposal(
        self, proposal: RouteProposal | None, violations: Sequence[RuleViolation] = (), *, heading: str = ""
    ) -> None:
        """Explain ``proposal`` (under ``heading``, if any); ``violations`` (rules broken) come first."""
        self._proposal = proposal
        self._violations = tuple(violations)
        self._heading = heading
        self._render()

    def set_placeholder(self, text: str) -> None:
        """Show ``text`` (quietly) instead of an explanation."""
        self._proposal = None
        self._violations = ()
        self._placeholder = text
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()

    def _render(self) -> None:
        palette = self.palette()
        parts = []
        if self._violations:
            parts.append(f"<p style='margin-bottom:0'><b>{escape(self.tr('This route breaks:'))}</b></p>")
            parts.append(violations_html(self._violations, palette))
        if self._proposal is not None:
            if self._heading:
                quiet = muted(palette).name()
                parts.append(f"<p style='margin-bottom:0;color:{quiet}'>{escape(self._heading)}</p>")
            parts.append(explanation_html(self._proposal, palette))
        elif self._placeholder:
            parts.append(f"<p style='color:{muted(palette).name()}'>{escape(self._placeholder)}</p>")
        self.setHtml("".join(parts))
        accessible = explanation_text(self._proposal) if self._proposal else self._placeholder
        self.setAccessibleDescription(accessible)
