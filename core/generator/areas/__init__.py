"""The product areas of the generated organisation, each with the problems its cases are about."""

from __future__ import annotations

from core.generator.areas.api import API
from core.generator.areas.billing import BILLING
from core.generator.areas.data import DATA
from core.generator.areas.identity import IDENTITY
from core.generator.areas.integrations import INTEGRATIONS
from core.generator.areas.mobile import MOBILE
from core.generator.areas.performance import PERFORMANCE
from core.generator.areas.reporting import REPORTING
from core.generator.catalog import AreaProfile

AREAS: tuple[AreaProfile, ...] = (
    BILLING,
    IDENTITY,
    API,
    DATA,
    MOBILE,
    REPORTING,
    INTEGRATIONS,
    PERFORMANCE,
)
"""Every area, in a fixed order (ids follow it)."""

# Relative share of cases per area (identity and API problems escalate the most).
AREA_WEIGHTS: tuple[int, ...] = (14, 16, 15, 11, 10, 10, 13, 11)

# The team a lane overflows to when it is full: a neighbouring area's tier-2 team.
SISTER_AREA: dict[str, str] = {
    "billing": "reporting",
    "sso": "mobile",
    "api": "integrations",
    "data": "integrations",
    "mobile": "sso",
    "reporting": "data",
    "integrations": "api",
    "performance": "api",
}
