"""Engineering defect keys (``ENG-4821``) shared by the cases a product defect causes."""

from __future__ import annotations

from random import Random

from core.generator.catalog import Scenario

FIRST_KEY = 1200


class DefectRegistry:
    """Hands out defect keys per problem, a few defects affecting many customers.

    Each problem gets its own pool of defects, created the first time a case
    needs one; within a pool the first defects are picked far more often
    (a power law), as with real defects, where one bad release hits many
    accounts and most bugs hit one or two.
    """

    def __init__(self, rng: Random, *, total_cases: int) -> None:
        self._rng = rng
        self._pool_size = max(2, total_cases // 500)
        self._pools: dict[Scenario, list[str]] = {}
        self._next = FIRST_KEY

    def key_for(self, scenario: Scenario) -> str:
        """A defect key for a case about ``scenario``."""
        pool = self._pools.get(scenario)
        if pool is None:
            pool = []
            for _ in range(self._pool_size):
                self._next += self._rng.randint(1, 40)
                pool.append(f"ENG-{self._next}")
            self._pools[scenario] = pool
        return pool[int(len(pool) * self._rng.random() ** 2.5)]
