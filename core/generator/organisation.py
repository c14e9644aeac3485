"""The generated support organisation: product areas, team lanes, people with skills, customers.

Sizes scale with the number of cases: 40–120 people, and one customer per
twenty cases (at least 30), each with one to six contacts.
"""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from random import Random

from core.domain.enums import PersonRole
from core.generator.areas import AREA_WEIGHTS, AREAS, SISTER_AREA
from core.generator.catalog import AreaProfile
from core.generator.customers import Customer, build_customers, case_weights, customer_count
from core.generator.names import FIRST_NAMES, LAST_NAMES, VENDOR_DOMAIN, ascii_slug

LANGUAGES: tuple[tuple[str, float], ...] = (
    ("de", 0.3),
    ("fr", 0.12),
    ("es", 0.12),
    ("pt", 0.06),
    ("ja", 0.05),
)
"""Second languages of staff, with the share of people speaking each."""

_CAPACITY = {
    PersonRole.AGENT: 8,
    PersonRole.SPECIALIST: 6,
    PersonRole.ENGINEER: 4,
    PersonRole.LEAD: 3,
    PersonRole.MANAGER: 0,
}


@dataclass(frozen=True)
class Person:
    """A member of the support organisation."""

    id: int
    name: str
    role: PersonRole
    team_id: int | None

    @property
    def first_name(self) -> str:
        """The given name, as used in sign-offs."""
        return self.name.split(" ", 1)[0]

    @property
    def email(self) -> str:
        """first.last@ the vendor's (reserved example) domain."""
        return f"{ascii_slug(self.name, '.')}@{VENDOR_DOMAIN}"

    @property
    def capacity(self) -> int:
        """How many concurrent cases (by weight) the person takes."""
        return _CAPACITY[self.role]


@dataclass
class Team:
    """A team lane; ``area`` is None for the tier-1 frontline team."""

    id: int
    key: str
    name: str
    tier: int
    area: int | None
    secondary_team_id: int | None = None
    members: list[Person] = field(default_factory=list)
    _workers: list[Person] = field(default_factory=list, init=False, repr=False)
    _cum_weights: list[float] = field(default_factory=list, init=False, repr=False)

    @property
    def wip_limit(self) -> int:
        """The lane's work-in-progress limit: the members' capacities added up."""
        return sum(member.capacity for member in self.members)

    @property
    def workers(self) -> list[Person]:
        """The members who work cases (everyone but the lead)."""
        return self._workers

    def staffed(self, rng: Random) -> None:
        """Call once every member has joined: fixes how busy each worker is (some always get more cases)."""
        self._workers = [member for member in self.members if member.role is not PersonRole.LEAD]
        self._cum_weights = list(accumulate(rng.uniform(0.5, 1.5) for _ in self._workers))

    def pick_worker(self, rng: Random) -> Person:
        """A worker of the team, the busier ones more often."""
        return self._workers[bisect(self._cum_weights, rng.random() * self._cum_weights[-1])]


@dataclass
class Organisation:
    """Everything the cases refer to; ids are assigned here, in insertion order."""

    areas: tuple[AreaProfile, ...]
    frontline: Team
    tier2: list[Team]
    tier3: list[Team]
    people: list[Person]
    leads: list[Person]
    customers: list[Customer]
    customer_weights: list[float]
    skills: list[tuple[int, str, int]]
    _area_cum: list[float] = field(init=False, repr=False)
    _customer_cum: list[float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._area_cum = list(accumulate(AREA_WEIGHTS))
        self._customer_cum = list(accumulate(self.customer_weights))

    @property
    def teams(self) -> list[Team]:
        """Every team in id order: the frontline, then tier 2 and tier 3 per area."""
        return [self.frontline, *self.tier2, *self.tier3]

    @property
    def contact_count(self) -> int:
        """How many contacts all customers have together."""
        return sum(len(customer.contacts) for customer in self.customers)

    def team_for(self, area: int, tier: int) -> Team:
        """The lane working ``area`` at ``tier`` (1 is the frontline)."""
        if tier <= 1:
            return self.frontline
        return self.tier2[area] if tier == 2 else self.tier3[area]

    def pick_area(self, rng: Random) -> int:
        """An area index, weighted by how often each area escalates."""
        return bisect(self._area_cum, rng.random() * self._area_cum[-1])

    def pick_customer(self, rng: Random) -> Customer:
        """A customer, larger and noisier accounts more often."""
        return self.customers[bisect(self._customer_cum, rng.random() * self._customer_cum[-1])]


class _NameBook:
    """Hands out person names, unique within the book."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def take(self) -> str:
        """A "First Last" name not handed out before."""
        while True:
            name = f"{self._rng.choice(FIRST_NAMES)} {self._rng.choice(LAST_NAMES)}"
            if name not in self._used:
                self._used.add(name)
                return name


def _size_level(cases: int) -> int:
    """0 for a small workspace up to 4 for 50,000 cases and more."""
    return sum(cases >= threshold for threshold in (1_000, 5_000, 20_000, 50_000))


class _OrganisationBuilder:
    """Builds an :class:`Organisation` with sequential ids."""

    def __init__(self, rng: Random, cases: int, today: date) -> None:
        self._rng = rng
        self._cases = cases
        self._today = today
        self._names = _NameBook(rng)
        self._next_person = 1
        self._skills: list[tuple[int, str, int]] = []
        self._people: list[Person] = []

    def build(self) -> Organisation:
        """Teams (frontline, then tier 2 and 3 per area), their people, then the customers."""
        level = _size_level(self._cases)
        frontline = Team(1, "frontline", "Frontline Support", 1, None)
        tier2 = [
            Team(2 + index, f"{area.key}-t2", f"{area.short} Specialists", 2, index)
            for index, area in enumerate(AREAS)
        ]
        tier3 = [
            Team(2 + len(AREAS) + index, f"{area.key}-t3", f"{area.short} Escalation Engineering", 3, index)
            for index, area in enumerate(AREAS)
        ]
        keys = [area.key for area in AREAS]
        for team in tier2:
            team.secondary_team_id = tier2[keys.index(SISTER_AREA[AREAS[team.area or 0].key])].id
        self._staff(frontline, PersonRole.LEAD, 1, None)
        self._staff(frontline, PersonRole.AGENT, 6 + 2 * level, None)
        leads = []
        for index in range(len(AREAS)):
            leads.append(self._staff(tier2[index], PersonRole.LEAD, 1, index)[0])
            self._staff(tier2[index], PersonRole.SPECIALIST, 3 + level, index)
            self._staff(tier3[index], PersonRole.SPECIALIST, 1, index)
            self._staff(tier3[index], PersonRole.ENGINEER, 1 + (level + 1) // 2, index)
        for _ in range(2):
            self._person(PersonRole.MANAGER, None, None)
        for team in (frontline, *tier2, *tier3):
            team.staffed(self._rng)
        customers = build_customers(self._rng, count=customer_count(self._cases), today=self._today)
        return Organisation(
            areas=AREAS,
            frontline=frontline,
            tier2=tier2,
            tier3=tier3,
            people=self._people,
            leads=leads,
            customers=customers,
            customer_weights=case_weights(self._rng, customers),
            skills=self._skills,
        )

    def _staff(self, team: Team, role: PersonRole, count: int, area: int | None) -> list[Person]:
        people = [self._person(role, team, area) for _ in range(count)]
        team.members.extend(people)
        return people

    def _person(self, role: PersonRole, team: Team | None, area: int | None) -> Person:
        person = Person(self._next_person, self._names.take(), role, team.id if team else None)
        self._next_person += 1
        self._people.append(person)
        self._add_skills(person, team, area)
        return person

    def _add_skills(self, person: Person, team: Team | None, area: int | None) -> None:
        rng = self._rng
        skills = {"lang:en": rng.randint(7, 10)}
        for language, share in LANGUAGES:
            if rng.random() < share:
                skills[f"lang:{language}"] = rng.randint(3, 10)
        if area is not None and team is not None:
            skills[f"area:{AREAS[area].key}"] = rng.randint(8, 10) if team.tier == 3 else rng.randint(6, 10)
            others = [index for index in range(len(AREAS)) if index != area]
            for other in rng.sample(others, rng.randint(1, 2)):
                skills[f"area:{AREAS[other].key}"] = rng.randint(2, 6)
        elif person.role is PersonRole.AGENT:
            for other in rng.sample(range(len(AREAS)), rng.randint(3, 4)):
                skills[f"area:{AREAS[other].key}"] = rng.randint(2, 6)
        self._skills.extend((person.id, skill, level) for skill, level in skills.items())


def build_organisation(rng: Random, *, cases: int, today: date) -> Organisation:
    """A support organisation sized for ``cases`` cases; renewals fall within a year after ``today``."""
    return _OrganisationBuilder(rng, cases, today).build()
