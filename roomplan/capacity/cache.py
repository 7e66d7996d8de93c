"""Answers kept per plan: what a capacity question reuses when only the week or demand changes.

A :class:`PlanCache` belongs to one plan and one set of privacy criteria. It holds the privacy
answer, the private spaces, the max-flow bounds per week and demand, the fast answer from the
days alone per week, demand and budget, and each weekday's capacity without a demand limit (the
expensive part), keyed by everything that day's program depends on. The app keeps one per plan
revision; a script passes one to several calls of :func:`roomplan.capacity.plan_capacity` for
the same plan.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from roomplan.capacity.spaces import Space, private_spaces
from roomplan.plan.model import Plan
from roomplan.privacy import Criteria, PrivacyResult, assess_privacy

if TYPE_CHECKING:
    from roomplan.capacity import Bounds, Estimate
    from roomplan.capacity.solve import Solved


class PlanCache:
    """Privacy, private spaces, bounds and day capacities of one plan (see the module)."""

    def __init__(
        self,
        plan: Plan,
        criteria: Criteria | None = None,
        privacy: PrivacyResult | None = None,
    ) -> None:
        if privacy is not None and privacy.plan is not plan and privacy.plan != plan:
            raise ValueError("the privacy answer given is for another plan")
        self.plan = plan
        self.criteria = criteria
        self._privacy = privacy
        self._bounds: dict[Hashable, Bounds] = {}
        self._days: dict[Hashable, Solved] = {}
        self._estimates: dict[Hashable, Estimate] = {}
        self._lock = threading.Lock()

    @cached_property
    def privacy(self) -> PrivacyResult:
        return self._privacy or assess_privacy(self.plan, self.criteria)

    @cached_property
    def spaces(self) -> tuple[Space, ...]:
        return private_spaces(self.privacy)

    def bounds(self, key: Hashable) -> Bounds | None:
        return self._bounds.get(key)

    def keep_bounds(self, key: Hashable, value: Bounds) -> None:
        with self._lock:
            self._bounds[key] = value

    def estimate(self, key: Hashable) -> Estimate | None:
        """The fast answer from the days alone for a question (week, demand, spread, budget)."""
        return self._estimates.get(key)

    def keep_estimate(self, key: Hashable, value: Estimate) -> None:
        with self._lock:
            self._estimates[key] = value

    def day(self, key: Hashable) -> Solved | None:
        """A day's capacity solved before under ``key`` (see :func:`.engine.day_key`)."""
        return self._days.get(key)

    def keep_day(self, key: Hashable, value: Solved) -> None:
        with self._lock:
            self._days[key] = value

    def check(self, plan: Plan) -> None:
        """Refuse a cache made for another plan: its answers would be wrong."""
        if plan is not self.plan and plan != self.plan:
            raise ValueError("the cache given belongs to another plan")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_lock", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
