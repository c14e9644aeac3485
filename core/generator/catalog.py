"""The shapes of the generator's text catalog: product areas and the problems customers report in them.

Every text here is a ``str.format`` template over the slot names of
:mod:`core.generator.slots` (``{version}``, ``{err}``, ``{idp}``, …), filled once
per case so that one case mentions the same version, error code and IDs all
the way through its timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RootCauseKind(StrEnum):
    """What kind of cause a problem usually turns out to have."""

    CONFIGURATION = "configuration"
    PRODUCT_DEFECT = "product_defect"
    CUSTOMER_ENVIRONMENT = "customer_environment"
    THIRD_PARTY = "third_party"
    DATA = "data"


@dataclass(frozen=True)
class Scenario:
    """One concrete problem of a product area, with everything a case about it says.

    Attributes:
        subjects: subject-line templates (one is picked per case).
        problem: the opening paragraph of the customer's first message.
        details: facts the customer lists in the first message (two or three are picked).
        steps: troubleshooting steps a specialist records, each with its outcome.
        logs: log-line messages (without timestamp and level) seen in diagnostics.
        hypotheses: what a specialist suspects, for investigation notes.
        root_cause: the confirmed cause, recorded on resolution.
        resolution: what fixed it, as told to the customer.
        cause_kind: the category of ``root_cause``; product defects get a defect key.
    """

    subjects: tuple[str, ...]
    problem: str
    details: tuple[str, ...]
    steps: tuple[str, ...]
    logs: tuple[str, ...]
    hypotheses: tuple[str, ...]
    root_cause: str
    resolution: str
    cause_kind: RootCauseKind


@dataclass(frozen=True)
class AreaProfile:
    """A product area: its names, the slot values specific to it and its problems.

    Attributes:
        key: stable identifier (``product_areas.key`` and the ``area:<key>`` skill).
        name: display name.
        short: short name for team names ("Billing", "Identity").
        error_prefix: prefix of the area's error codes (``ERR_SSO_`` gives ``ERR_SSO_0041``).
        logger: logger names that appear in this area's log excerpts.
        scenarios: the problems customers report in this area.
    """

    key: str
    name: str
    short: str
    error_prefix: str
    logger: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
