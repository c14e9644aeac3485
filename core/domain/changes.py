"""ChangeSet: the description of what a mutation changed, returned by every write operation."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChangeSet:
    """Which records a unit of work changed, and who asked for it.

    Views refresh only what a change set names; the desktop bridge merges the
    change sets of ~100 ms into one before notifying the UI.
    """

    cases: frozenset[int] = field(default_factory=frozenset)
    cases_added: frozenset[int] = field(default_factory=frozenset)
    cases_removed: frozenset[int] = field(default_factory=frozenset)
    notes: frozenset[int] = field(default_factory=frozenset)
    drafts: frozenset[int] = field(default_factory=frozenset)
    outbox: frozenset[int] = field(default_factory=frozenset)
    teams: frozenset[int] = field(default_factory=frozenset)
    config: bool = False
    workspace_reset: bool = False
    initiator: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.cases
            or self.cases_added
            or self.cases_removed
            or self.notes
            or self.drafts
            or self.outbox
            or self.teams
            or self.config
            or self.workspace_reset
        )

    def merge(self, other: ChangeSet) -> ChangeSet:
        """Union of two change sets; the initiator survives only if both agree."""
        return ChangeSet(
            cases=self.cases | other.cases,
            cases_added=self.cases_added | other.cases_added,
            cases_removed=self.cases_removed | other.cases_removed,
            notes=self.notes | other.notes,
            drafts=self.drafts | other.drafts,
            outbox=self.outbox | other.outbox,
            teams=self.teams | other.teams,
            config=self.config or other.config,
            workspace_reset=self.workspace_reset or other.workspace_reset,
            initiator=self.initiator if self.initiator == other.initiator else None,
        )
