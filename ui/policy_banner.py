"""PolicyBanner: the IT policy has problems; Handoff started with safe defaults for them, and says which.

Shown once per start, at the top of the window, until dismissed. It names each wrong key (the
first few; the rest are in the log) and how to check the file.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from ui.notice_banner import NoticeBanner
from ui.tones import Tone

SHOWN_PROBLEMS = 3


class PolicyBanner(NoticeBanner):
    """Lists the policy's problems (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("policyBanner", "", parent)
        self.setAccessibleName(self.tr("IT policy problems"))

    def show_problems(self, source: str, problems: Sequence[str]) -> None:
        """Say that the policy at ``source`` has ``problems`` (hidden if there are none)."""
        if not problems:
            self.setVisible(False)
            return
        if len(problems) == 1:
            heading = self.tr(
                "Your organization's policy ({0}) has a problem; Handoff uses a safe default for it:"
            )
        else:
            heading = self.tr(
                "Your organization's policy ({0}) has {1} problems; Handoff uses safe defaults for them:"
            )
        lines = [heading.format(source, len(problems))]
        lines += [f"• {problem}" for problem in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(self.tr("…and {0} more in the log.").format(len(problems) - SHOWN_PROBLEMS))
        lines.append(self.tr("Your IT department can check the file with: handoff policy check FILE"))
        self.show_message("\n".join(lines), Tone.WARNING)
