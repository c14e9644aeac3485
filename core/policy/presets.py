"""The policy's preconfigured connections, added to (or corrected in) the workspace at start.

A preset missing from the workspace is added; one that exists under the same name takes the
policy's kind, URL and auth method (the user's e-mail, scope and mapping stay). The secret is
never part of a preset: the user signs in. A preset that cannot be saved as it is (an API-token
connection needs the user's e-mail) is reported, not added: the user adds it with that e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.policy.model import Policy, PresetConnection
from core.remote.connections import ConnectionDraft, ConnectionProblem, connection_named, save_connection
from core.remote.dtos import AuthMethod, Connection


@dataclass(frozen=True)
class PresetsApplied:
    """What applying the presets changed, and why any were left out."""

    changes: ChangeSet
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # "Acme Zendesk: E-mail: required to sign in with an API token"


def apply_preset_connections(session: Session, policy: Policy) -> PresetsApplied:
    """Add or correct the policy's preconfigured connections (a DB-thread unit of work)."""
    added: list[str] = []
    updated: list[str] = []
    skipped: list[str] = []
    for preset in policy.connections:
        existing = connection_named(session, preset.name)
        if existing is not None and _matches(existing, preset):
            continue
        draft = _draft(preset, existing, policy.ca_bundle)
        savepoint = session.begin_nested()
        try:
            save_connection(session, draft, existing.id if existing is not None else None)
        except ConnectionProblem as problem:
            savepoint.rollback()
            skipped.append(f"{preset.name}: {'; '.join(problem.problems)}")
            continue
        savepoint.commit()
        (added if existing is None else updated).append(preset.name)
    changes = ChangeSet(config=True) if added or updated else ChangeSet()
    return PresetsApplied(changes, tuple(added), tuple(updated), tuple(skipped))


def _matches(connection: Connection, preset: PresetConnection) -> bool:
    return (
        connection.kind == preset.kind
        and connection.base_url.rstrip("/") == preset.url
        and connection.auth_method.value == preset.auth_method
    )


def _draft(preset: PresetConnection, existing: Connection | None, ca_bundle: str | None) -> ConnectionDraft:
    draft = ConnectionDraft(
        name=preset.name,
        kind=preset.kind,
        base_url=preset.url,
        auth_method=AuthMethod(preset.auth_method),
        ca_bundle=ca_bundle,
    )
    if existing is None:
        return draft
    same_kind = existing.kind == preset.kind
    return replace(
        draft,
        account_email=existing.account_email,
        ca_bundle=ca_bundle or existing.ca_bundle,
        scope=existing.scope,
        mapping=existing.mapping if same_kind else None,
        enabled=existing.enabled,
    )
