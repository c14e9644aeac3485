"""What routing matches in the generated workspace: each case's language and issue type, and each
person's issue-type skills, presence and last assignment.

Customers write in one language: German mostly comes from customers on a German
domain, the other second languages of staff (:data:`LANGUAGES`) from customers
anywhere, at about half their share of staff; now and then a contact of a
non-English customer writes in English. A case's issue
type follows from the kind of cause its problem turns out to have (product
defects are mostly bugs, configuration problems mostly configuration questions).
Workers get two or three issue-type skills, about one person in twelve is away,
and everyone in a team was last assigned a case in the days before the anchor
(managers never are).

All of it is drawn from its own random stream, seeded from the run's seed: the
rest of the generated workspace is the same as without it.
"""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from random import Random

from core.domain.enums import PersonRole
from core.generator.catalog import RootCauseKind, Scenario
from core.generator.customers import Customer
from core.generator.organisation import LANGUAGES, Organisation, Person
from core.generator.timing import DAY, HOUR, Clock
from core.routing.types import Presence

DEFAULT_LANGUAGE = "en"
CUSTOMER_LANGUAGE_SHARE = 0.5
"""A second language's share of customers, relative to its share of staff (LANGUAGES)."""
LOCAL_DOMAIN_LANGUAGE = {"example.de": ("de", 0.8)}
"""Customers on these domains write in the language with the given probability."""
ENGLISH_ANYWAY = 0.1
"""Share of a non-English customer's cases written in English anyway."""

ISSUE_TYPES: tuple[str, ...] = ("bug", "question", "incident", "configuration", "feature_request")
_ISSUE_TYPE_WEIGHTS: dict[RootCauseKind, tuple[float, ...]] = {
    # bug, question, incident, configuration, feature_request
    RootCauseKind.PRODUCT_DEFECT: (0.68, 0.05, 0.22, 0.0, 0.05),
    RootCauseKind.CONFIGURATION: (0.05, 0.3, 0.05, 0.55, 0.05),
    RootCauseKind.CUSTOMER_ENVIRONMENT: (0.1, 0.4, 0.15, 0.3, 0.05),
    RootCauseKind.THIRD_PARTY: (0.1, 0.15, 0.6, 0.1, 0.05),
    RootCauseKind.DATA: (0.35, 0.3, 0.15, 0.1, 0.1),
}
_ISSUE_TYPE_CUM = {kind: list(accumulate(weights)) for kind, weights in _ISSUE_TYPE_WEIGHTS.items()}

AWAY_SHARE = 1 / 12
"""Share of people away (on leave, out sick) when the workspace is generated."""
LAST_ASSIGNED_WITHIN = 3 * DAY
"""People in a team were last assigned a case at most this long before the anchor."""

_TYPE_SKILLS: dict[PersonRole, tuple[tuple[str, ...], int, int]] = {
    # issue types the role knows best, lowest and highest level
    PersonRole.AGENT: (("question", "configuration", "feature_request"), 3, 7),
    PersonRole.SPECIALIST: (("bug", "configuration", "question", "incident"), 4, 9),
    PersonRole.ENGINEER: (("bug", "incident"), 6, 10),
    PersonRole.LEAD: (("incident", "bug", "configuration"), 5, 8),
}


@dataclass
class StaffTraits:
    """Per person: issue-type skills as (person id, skill, level), who is away, when last assigned."""

    skills: list[tuple[int, str, int]] = field(default_factory=list)
    away: set[int] = field(default_factory=set)
    last_assigned: dict[int, str] = field(default_factory=dict)

    def presence(self, person: Person) -> str:
        """``away`` or ``available``."""
        return (Presence.AWAY if person.id in self.away else Presence.AVAILABLE).value


class RoutingTraits:
    """Draws the routing traits of one generation run."""

    def __init__(self, rng: Random, organisation: Organisation, clock: Clock) -> None:
        self._rng = rng
        self._clock = clock
        self._organisation = organisation
        local = {language for language, _probability in LOCAL_DOMAIN_LANGUAGE.values()}
        shares = [
            (language, share * CUSTOMER_LANGUAGE_SHARE)
            for language, share in LANGUAGES
            if language not in local
        ]
        self._languages = [DEFAULT_LANGUAGE, *(language for language, _share in shares)]
        self._language_cum = list(
            accumulate([1 - sum(share for _l, share in shares), *(s for _l, s in shares)])
        )
        self._customer_language = {
            customer.id: self._language_of(customer) for customer in organisation.customers
        }

    def staff(self) -> StaffTraits:
        """Issue-type skills, presence and last assignment of every person."""
        rng = self._rng
        traits = StaffTraits()
        for person in self._organisation.people:
            known = _TYPE_SKILLS.get(person.role)
            if known is not None:
                types, low, high = known
                for issue_type in rng.sample(types, rng.randint(2, min(3, len(types)))):
                    traits.skills.append((person.id, f"type:{issue_type}", rng.randint(low, high)))
            if rng.random() < AWAY_SHARE:
                traits.away.add(person.id)
            if person.team_id is not None:
                offset = -rng.randint(HOUR // 4, LAST_ASSIGNED_WITHIN)
                traits.last_assigned[person.id] = self._clock.text(offset)
        return traits

    def language(self, customer: Customer) -> str:
        """The language of a case ``customer`` opens."""
        language = self._customer_language[customer.id]
        if language != DEFAULT_LANGUAGE and self._rng.random() < ENGLISH_ANYWAY:
            return DEFAULT_LANGUAGE
        return language

    def issue_type(self, scenario: Scenario) -> str:
        """The issue type of a case about ``scenario``."""
        cum = _ISSUE_TYPE_CUM[scenario.cause_kind]
        return ISSUE_TYPES[min(bisect(cum, self._rng.random() * cum[-1]), len(ISSUE_TYPES) - 1)]

    def _language_of(self, customer: Customer) -> str:
        suffix = customer.domain.split(".", 1)[1] if "." in customer.domain else ""
        local = LOCAL_DOMAIN_LANGUAGE.get(suffix)
        if local is not None:
            language, probability = local
            return language if self._rng.random() < probability else DEFAULT_LANGUAGE
        cum = self._language_cum
        return self._languages[min(bisect(cum, self._rng.random() * cum[-1]), len(self._languages) - 1)]
