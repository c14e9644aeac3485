"""Finding and reading the policy: ``HANDOFF_POLICY_FILE``, else the platform's system-wide place.

Linux ``/etc/handoff/policy.json``; macOS ``/Library/Application Support/Handoff/policy.json``;
Windows the registry key ``HKLM\\Software\\Policies\\Handoff`` (read by the desktop layer through
``QSettings`` and handed in as a mapping: one value per top-level key, lists and objects as JSON
text). No policy at all is normal: :data:`DEFAULT_POLICY` pins nothing.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core.policy.model import DEFAULT_POLICY, Policy
from core.policy.problems import PolicyProblem
from core.policy.validation import ValidatedPolicy, parse_policy_text, validate_policy

POLICY_FILE_ENV = "HANDOFF_POLICY_FILE"
LINUX_POLICY_PATH = Path("/etc/handoff/policy.json")
MACOS_POLICY_PATH = Path("/Library/Application Support/Handoff/policy.json")
WINDOWS_POLICY_KEY = r"HKLM\Software\Policies\Handoff"
MAX_POLICY_BYTES = 1024 * 1024

RegistryReader = Callable[[], Mapping[str, object] | None]


class SourceKind(StrEnum):
    """Where the effective policy came from."""

    NONE = "none"
    FILE = "file"
    ENVIRONMENT = "environment"
    REGISTRY = "registry"


@dataclass(frozen=True)
class PolicySource:
    """``kind`` and ``location`` (a file path or the registry key) of the policy."""

    kind: SourceKind
    location: str | None = None

    def describe(self) -> str:
        """How ``handoff policy show`` names it."""
        if self.kind is SourceKind.NONE:
            return "no policy (defaults)"
        if self.kind is SourceKind.ENVIRONMENT:
            return f"{self.location} (from {POLICY_FILE_ENV})"
        return f"{self.location}"


@dataclass(frozen=True)
class LoadedPolicy:
    """The policy in effect, where it came from, and the problems its document had."""

    policy: Policy
    source: PolicySource
    problems: tuple[PolicyProblem, ...] = ()


def system_policy_path(platform: str = sys.platform) -> Path | None:
    """The system-wide policy file of ``platform`` (None on Windows: it uses the registry)."""
    if platform.startswith("win"):
        return None
    if platform == "darwin":
        return MACOS_POLICY_PATH
    return LINUX_POLICY_PATH


def load_policy_file(path: Path) -> ValidatedPolicy:
    """Read and validate the policy file at ``path`` (an unreadable file is one problem)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_POLICY_BYTES + 1)
    except OSError as error:
        found = PolicyProblem("(file)", str(path), f"a readable file ({error.strerror or error})")
        return ValidatedPolicy(DEFAULT_POLICY, (found,))
    if len(data) > MAX_POLICY_BYTES:
        found = PolicyProblem("(file)", f"{path} is larger than 1 MiB", "a policy file of at most 1 MiB")
        return ValidatedPolicy(DEFAULT_POLICY, (found,))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        found = PolicyProblem("(file)", f"not UTF-8 at byte {error.start}", "a UTF-8 JSON file")
        return ValidatedPolicy(DEFAULT_POLICY, (found,))
    return parse_policy_text(text)


def tree_from_registry(values: Mapping[str, object]) -> dict[str, object]:
    """The policy document the registry values describe: JSON text for lists and objects,
    DWORD numbers as numbers, every other string as it is."""
    tree: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            try:
                tree[key] = json.loads(value)
            except json.JSONDecodeError:
                tree[key] = value  # reported by the validator as a wrong value for its key
        elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
            tree[key] = int(value)
        else:
            tree[key] = value
    return tree


def load_policy(
    *,
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    read_registry: RegistryReader | None = None,
) -> LoadedPolicy:
    """The policy in effect: ``HANDOFF_POLICY_FILE`` if set, else the platform's system-wide policy."""
    override = environ.get(POLICY_FILE_ENV, "").strip()
    if override:
        path = Path(override)
        return _loaded(load_policy_file(path), PolicySource(SourceKind.ENVIRONMENT, str(path)))
    if platform.startswith("win"):
        values = read_registry() if read_registry is not None else None
        if not values:
            return LoadedPolicy(DEFAULT_POLICY, PolicySource(SourceKind.NONE))
        source = PolicySource(SourceKind.REGISTRY, WINDOWS_POLICY_KEY)
        return _loaded(validate_policy(tree_from_registry(values)), source)
    system_path = system_policy_path(platform)
    if system_path is None or not system_path.exists():
        return LoadedPolicy(DEFAULT_POLICY, PolicySource(SourceKind.NONE))
    return _loaded(load_policy_file(system_path), PolicySource(SourceKind.FILE, str(system_path)))


def _loaded(validated: ValidatedPolicy, source: PolicySource) -> LoadedPolicy:
    return LoadedPolicy(validated.policy, source, validated.problems)
