"""Checking a policy document key by key (format version 1).

Every wrong key is reported with its value and what is allowed, and falls back to its safe
default while the valid keys still apply: a typo in one feature switch does not unlock the
rest. ``allowed_hosts`` fails closed: when it is present, only the valid hosts it names are
allowed (none if it is not a list). A key that looks like a secret is refused wherever it is.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from core.domain.enums import SourceSystem
from core.policy.model import DEFAULT_POLICY, Feature, IntervalBounds, Policy, PresetConnection, UpdatePolicy
from core.policy.problems import PolicyProblem, problem
from core.policy.secrets import secret_keys, url_has_credentials
from core.policy.settings_keys import LOCKABLE_SETTINGS

POLICY_VERSION = 1
VERSION_KEY = "policy_version"
TOP_LEVEL_KEYS = (
    VERSION_KEY,
    "connections",
    "allowed_hosts",
    "sync",
    "features",
    "updates",
    "ca_bundle",
    "locked_settings",
)
CONNECTION_KEYS = ("kind", "name", "url", "auth_method")
SYNC_KEYS = ("min_interval_minutes", "max_interval_minutes", "default_interval_minutes")
UPDATE_KEYS = ("channel", "url")
UPDATE_CHANNELS = ("stable", "beta")
AUTH_METHODS = ("api_token", "oauth")
REMOTE_KINDS = tuple(kind.value for kind in SourceSystem if kind is not SourceSystem.LOCAL)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_INTERVAL_MINUTES = 1440
NAME_MAX_LENGTH = 100
_HOST_PATTERN = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
SECRET_ALLOWED = "no secret in a policy file (every user can read it; secrets go to each user's OS keychain)"


@dataclass(frozen=True)
class ValidatedPolicy:
    """The policy to apply (valid keys, safe defaults for the wrong ones) and every problem found."""

    policy: Policy
    problems: tuple[PolicyProblem, ...] = field(default=())

    @property
    def valid(self) -> bool:
        """Whether the document had no problem at all."""
        return not self.problems


def parse_policy_text(text: str, *, file_exists: Callable[[str], bool] = os.path.isfile) -> ValidatedPolicy:
    """Validate a policy file's JSON ``text``; unreadable JSON gives the defaults and one problem."""
    try:
        tree = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        found = PolicyProblem(
            "(file)", f"invalid JSON at {where} ({error.msg})", "the file must be one JSON object"
        )
        return ValidatedPolicy(DEFAULT_POLICY, (found,))
    return validate_policy(tree, file_exists=file_exists)


def validate_policy(tree: object, *, file_exists: Callable[[str], bool] = os.path.isfile) -> ValidatedPolicy:
    """Validate a decoded policy document (see the module docstring for what a wrong key becomes)."""
    if not isinstance(tree, dict):
        return ValidatedPolicy(DEFAULT_POLICY, (problem("(file)", tree, "the policy must be a JSON object"),))
    checker = _Checker(file_exists)
    policy = checker.policy(tree)
    return ValidatedPolicy(policy, tuple(checker.problems))


class _Checker:
    """Collects problems while it builds the policy, one key at a time."""

    def __init__(self, file_exists: Callable[[str], bool]) -> None:
        self.problems: list[PolicyProblem] = []
        self._file_exists = file_exists

    def fail(self, key: str, value: object, allowed: str) -> None:
        self.problems.append(problem(key, value, allowed))

    def policy(self, tree: Mapping[str, Any]) -> Policy:
        secrets = set(secret_keys(tree))
        for key in sorted(secrets):
            self.problems.append(PolicyProblem(key, "a key that looks like a secret", SECRET_ALLOWED))
        clean = {key: value for key, value in tree.items() if key not in secrets}
        self._version(clean)
        for key in clean:
            if key not in TOP_LEVEL_KEYS:
                self.fail(key, clean[key], f"unknown key; allowed keys: {', '.join(TOP_LEVEL_KEYS)}")
        allowed_hosts = self._allowed_hosts(clean["allowed_hosts"]) if "allowed_hosts" in clean else None
        return Policy(
            connections=self._connections(clean.get("connections", []), secrets, allowed_hosts),
            allowed_hosts=allowed_hosts,
            sync_interval=self._sync(clean.get("sync", {}), secrets),
            disabled_features=self._features(clean.get("features", {})),
            updates=self._updates(clean.get("updates", {}), secrets),
            ca_bundle=self._ca_bundle(clean.get("ca_bundle")),
            locked_settings=self._locked(clean.get("locked_settings", [])),
        )

    def _version(self, tree: Mapping[str, Any]) -> None:
        version = tree.get(VERSION_KEY)
        if version is None:
            self.problems.append(
                PolicyProblem(VERSION_KEY, "nothing", f"{POLICY_VERSION} (read as {POLICY_VERSION})")
            )
        elif type(version) is not int or version != POLICY_VERSION:
            self.fail(
                VERSION_KEY,
                version,
                f"{POLICY_VERSION}, the version this Handoff reads (read as {POLICY_VERSION})",
            )

    def _object(
        self, key: str, value: object, allowed_keys: tuple[str, ...], secrets: set[str]
    ) -> dict[str, Any]:
        """``value`` as an object with only ``allowed_keys`` (the others reported and left out)."""
        if not isinstance(value, dict):
            self.fail(key, value, f"an object with the keys {', '.join(allowed_keys)}")
            return {}
        kept = {}
        for name, item in value.items():
            where = f"{key}.{name}"
            if where in secrets:
                continue
            if name not in allowed_keys:
                self.fail(where, item, f"unknown key; allowed keys: {', '.join(allowed_keys)}")
            else:
                kept[name] = item
        return kept

    def _list(self, key: str, value: object, allowed: str) -> list[Any] | None:
        if not isinstance(value, list):
            self.fail(key, value, allowed)
            return None
        return value

    def _connections(
        self, value: object, secrets: set[str], allowed_hosts: tuple[str, ...] | None
    ) -> tuple[PresetConnection, ...]:
        items = self._list("connections", value, "a list of connection objects")
        presets: list[PresetConnection] = []
        for index, item in enumerate(items or []):
            key = f"connections[{index}]"
            fields = self._object(key, item, CONNECTION_KEYS, secrets)
            preset = self._connection(key, fields, allowed_hosts)
            if preset is None:
                continue
            if any(existing.name == preset.name for existing in presets):
                self.fail(f"{key}.name", preset.name, "each connection needs a name of its own")
                continue
            presets.append(preset)
        return tuple(presets)

    def _connection(
        self, key: str, fields: Mapping[str, Any], allowed_hosts: tuple[str, ...] | None
    ) -> PresetConnection | None:
        problems_before = len(self.problems)
        for part in CONNECTION_KEYS:
            if part not in fields:
                missing = f"every connection has {', '.join(CONNECTION_KEYS)}"
                self.problems.append(PolicyProblem(f"{key}.{part}", "nothing", missing))
        kind, name, url, auth = (fields.get(part) for part in CONNECTION_KEYS)
        if kind is not None and kind not in REMOTE_KINDS:
            self.fail(f"{key}.kind", kind, f"one of {', '.join(REMOTE_KINDS)}")
        if name is not None and not (isinstance(name, str) and 0 < len(name.strip()) <= NAME_MAX_LENGTH):
            self.fail(f"{key}.name", name, f"a text of 1 to {NAME_MAX_LENGTH} characters")
        if url is not None:
            self._url(f"{key}.url", url)
            host = _host_of(url)
            if host and allowed_hosts is not None and not host_matches(host, allowed_hosts):
                self.fail(f"{key}.url", url, "a URL on one of the allowed_hosts")
        if auth is not None and auth not in AUTH_METHODS:
            self.fail(f"{key}.auth_method", auth, f"one of {', '.join(AUTH_METHODS)}")
        if len(self.problems) > problems_before:
            return None
        return PresetConnection(
            kind=str(kind), name=str(name).strip(), url=str(url).rstrip("/"), auth_method=str(auth)
        )

    def _url(self, key: str, url: object) -> bool:
        allowed = "an https:// URL without user name or password (http:// only for 127.0.0.1 or localhost)"
        if not isinstance(url, str):
            self.fail(key, url, allowed)
            return False
        parts = urlsplit(url)
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if not (parts.scheme == "https" or loopback) or not parts.hostname or url_has_credentials(url):
            self.fail(key, url, allowed)
            return False
        return True

    def _allowed_hosts(self, value: object) -> tuple[str, ...]:
        allowed = (
            'a list of host names such as "acme.zendesk.com" or "*.acme.com" (none is allowed until fixed)'
        )
        items = self._list("allowed_hosts", value, allowed)
        hosts: list[str] = []
        for index, item in enumerate(items or []):
            if isinstance(item, str) and _HOST_PATTERN.match(item.strip().lower()):
                hosts.append(item.strip().lower())
            else:
                self.fail(
                    f"allowed_hosts[{index}]", item, 'a host name such as "acme.zendesk.com" or "*.acme.com"'
                )
        return tuple(hosts)

    def _sync(self, value: object, secrets: set[str]) -> IntervalBounds:
        fields = self._object("sync", value, SYNC_KEYS, secrets)
        allowed = f"a whole number of minutes from 1 to {MAX_INTERVAL_MINUTES}"
        minutes: dict[str, int] = {}
        for name, item in fields.items():
            if type(item) is int and 1 <= item <= MAX_INTERVAL_MINUTES:
                minutes[name] = item
            else:
                self.fail(f"sync.{name}", item, allowed)
        low = minutes.get("min_interval_minutes", 1)
        high = minutes.get("max_interval_minutes", MAX_INTERVAL_MINUTES)
        if low > high:
            self.fail("sync.max_interval_minutes", high, f"at least min_interval_minutes ({low})")
            low, high = 1, MAX_INTERVAL_MINUTES
        default = minutes.get("default_interval_minutes")
        if default is not None and not low <= default <= high:
            self.fail("sync.default_interval_minutes", default, f"between {low} and {high}")
            default = None
        return IntervalBounds(min_minutes=low, max_minutes=high, default_minutes=default)

    def _features(self, value: object) -> frozenset[Feature]:
        names = tuple(feature.value for feature in Feature)
        if not isinstance(value, dict):
            self.fail("features", value, f"an object with the keys {', '.join(names)}")
            return frozenset()
        disabled = set()
        for name, enabled in value.items():
            if name not in names:
                self.fail(f"features.{name}", enabled, f"unknown feature; allowed: {', '.join(names)}")
            elif not isinstance(enabled, bool):
                self.fail(f"features.{name}", enabled, "true or false (left enabled)")
            elif not enabled:
                disabled.add(Feature(name))
        return frozenset(disabled)

    def _updates(self, value: object, secrets: set[str]) -> UpdatePolicy:
        fields = self._object("updates", value, UPDATE_KEYS, secrets)
        channel = fields.get("channel", UpdatePolicy.channel)
        if channel not in UPDATE_CHANNELS:
            self.fail("updates.channel", channel, f"one of {', '.join(UPDATE_CHANNELS)} (stable is used)")
            channel = UpdatePolicy.channel
        url = fields.get("url")
        if url is not None and not self._url("updates.url", url):
            url = None
        return UpdatePolicy(channel=channel, url=url)

    def _ca_bundle(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not os.path.isabs(value):
            self.fail("ca_bundle", value, "the absolute path of a PEM file")
            return None
        if not self._file_exists(value):
            self.fail("ca_bundle", value, "a PEM file that exists and can be read")
            return None
        return value

    def _locked(self, value: object) -> frozenset[str]:
        items = self._list("locked_settings", value, "a list of setting keys")
        locked = set()
        for index, item in enumerate(items or []):
            if item in LOCKABLE_SETTINGS:
                locked.add(item)
            else:
                self.fail(f"locked_settings[{index}]", item, f"one of {', '.join(LOCKABLE_SETTINGS)}")
        return frozenset(locked)


def _host_of(url: object) -> str | None:
    return urlsplit(url).hostname if isinstance(url, str) else None


def host_matches(host: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``host`` is one of ``patterns`` (``*.example.com`` matches its subdomains)."""
    host = host.lower().rstrip(".")
    for pattern in patterns:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]):
                return True
        elif host == pattern:
            return True
    return False
