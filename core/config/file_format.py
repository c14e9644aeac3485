"""The configuration file: one human-readable TOML document, exported and parsed with full validation."""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from collections.abc import Mapping
from typing import Any

from core.config.codec import from_tree, to_tree
from core.config.defaults import default_config
from core.config.errors import ConfigError, ConfigProblem
from core.config.model import WorkspaceConfig
from core.config.toml_writer import dumps
from core.config.validation import validate

FORMAT_VERSION = 1
_VERSION_KEY = "format_version"
_FILE_HEADER = (
    "# Handoff workspace configuration.\n"
    "# Edit it, then load it with: handoff config import --data-dir DIR FILE\n"
    "# Patterns are regular expressions, matched ignoring case. Placeholders in message bodies:\n"
    "# {customer_name} {contact_name} {case_number} {specialist} {next_update_due} {subject}\n"
    "# Organisation: teams by key (wip_limit 0 = no limit; secondary_team = the team it overflows to),\n"
    '# people by email, skills as "kind:value=level" (kind area, lang or type; level 0-10),\n'
    "# presence available or away. People left out become inactive; a team left out is deleted\n"
    "# if no case refers to it. With no teams and no people, the organisation stays as it is.\n\n"
)


def config_to_tree(config: WorkspaceConfig) -> dict[str, Any]:
    """``config`` as a plain tree with its format version (what the file and the database hold)."""
    return {_VERSION_KEY: FORMAT_VERSION, **to_tree(config)}


def config_from_tree(tree: Mapping[str, Any]) -> WorkspaceConfig:
    """The valid configuration ``tree`` describes; raises :class:`ConfigError` listing every problem."""
    data = dict(tree)
    version = data.pop(_VERSION_KEY, FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ConfigError(
            [
                ConfigProblem(
                    "(top level)",
                    _VERSION_KEY,
                    f"this Handoff reads format {FORMAT_VERSION}, not {version!r}; "
                    "export the configuration again from the Handoff that wrote it",
                )
            ]
        )
    config, type_problems = from_tree(data, default_config())
    # A value of the wrong type was replaced by an empty one: its rule problems would only repeat it.
    rule_problems = [problem for problem in validate(config) if not _repeats(problem, type_problems)]
    if type_problems or rule_problems:
        raise ConfigError([*type_problems, *rule_problems])
    return config


def _repeats(problem: ConfigProblem, type_problems: list[ConfigProblem]) -> bool:
    """Whether ``problem`` is about a value that already has a type problem."""
    for mistyped in type_problems:
        field = mistyped.field.split("[", 1)[0]
        if not field and problem.section.startswith(mistyped.section):
            return True
        same_field = problem.field.split("[", 1)[0] == field
        if (problem.section == mistyped.section and same_field) or problem.section.startswith(
            f"{mistyped.section}.{field}"
        ):
            return True
    return False


def export_config(config: WorkspaceConfig) -> str:
    """``config`` as TOML text, each section introduced by what it is for."""
    return _FILE_HEADER + dumps(config_to_tree(config), _section_comments(WorkspaceConfig))


def parse_config(text: str) -> WorkspaceConfig:
    """The configuration in TOML ``text``.

    Raises :class:`ConfigError` naming the section and field of every problem.
    """
    try:
        tree = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([ConfigProblem("(file)", "", f"not valid TOML: {error}")]) from error
    return config_from_tree(tree)


def _section_comments(cls: type[Any], prefix: str = "") -> dict[str, str]:
    """Dotted path of every table → the first paragraph of its dataclass docstring."""
    comments: dict[str, str] = {}
    for name, annotation in typing.get_type_hints(cls).items():
        table_type = annotation
        if typing.get_origin(annotation) is tuple:
            table_type = typing.get_args(annotation)[0]
        if not (isinstance(table_type, type) and dataclasses.is_dataclass(table_type)):
            continue
        path = f"{prefix}{name}"
        doc = (table_type.__doc__ or "").strip().split("\n\n")[0]
        comments[path] = " ".join(doc.replace("``", "").split())
        comments.update(_section_comments(table_type, f"{path}."))
    return comments
