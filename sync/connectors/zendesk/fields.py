"""Handoff's stages, priorities and teams in Zendesk's terms, from a connection's :class:`FieldMapping`.

A mapping left empty in the connection falls back to Zendesk's defaults
(:func:`core.remote.connections.default_mapping`), so a
connection saved before its mapping was edited still syncs sensibly.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.enums import Priority, SourceSystem, Stage
from core.remote.connections import default_mapping
from core.remote.dtos import FieldMapping

DELETED_STATUS = "deleted"


@dataclass(frozen=True)
class ZendeskFields:
    """The lookups a connector needs, built once from a connection's mapping."""

    stage_statuses: dict[str, str]
    status_stages: dict[str, str]
    priorities_out: dict[str, str]  # Handoff priority -> Zendesk priority
    priorities_in: dict[str, str]  # Zendesk priority -> Handoff priority
    team_groups: dict[str, str]  # Handoff team key -> Zendesk group id
    tier_field_id: str | None
    product_area_field_id: str | None

    @classmethod
    def of(cls, mapping: FieldMapping) -> ZendeskFields:
        """The lookups of ``mapping`` (Zendesk's defaults where it is empty)."""
        defaults = default_mapping(SourceSystem.ZENDESK.value)
        priorities = mapping.priority_values or defaults.priority_values
        return cls(
            stage_statuses=dict(mapping.stage_statuses or defaults.stage_statuses),
            status_stages=dict(mapping.status_stages or defaults.status_stages),
            priorities_out=dict(priorities),
            priorities_in={remote: local for local, remote in priorities},
            team_groups=dict(mapping.team_groups),
            tier_field_id=mapping.tier_field_id,
            product_area_field_id=mapping.product_area_field_id,
        )

    def stage_of(self, status: str) -> str:
        """The Handoff stage a pulled Zendesk status stands for (an unknown status: investigating)."""
        return self.status_stages.get(status, Stage.INVESTIGATING.value)

    def status_of(self, stage: str) -> str | None:
        """The Zendesk status a Handoff stage is pushed as (None: the stage is not synced)."""
        return self.stage_statuses.get(stage)

    def priority_of(self, zendesk_priority: str | None) -> str:
        """The Handoff priority of a Zendesk priority (no priority set: normal)."""
        if zendesk_priority is None:
            return Priority.NORMAL.value
        return self.priorities_in.get(zendesk_priority, Priority.NORMAL.value)
