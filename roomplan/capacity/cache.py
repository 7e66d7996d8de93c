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
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from roomplan.capacity.spaces import Space, private_spaces
from roomplan.plan.model import Plan
from roomplan.privacy import Criteria, PrivacyResult, assess_privacy

if TYPE_CHECKING:
    from roomplan.capacity import Bounds, Estimate
    from roomplan.capacity.solve import Solved


class DayStore:
    """Day capacities shared between plan caches: a day's program depends on the private
    spaces and the staff, not on the rest of the plan, so plans that differ elsewhere (the
    same plan in another app session, a door nobody hears through) share their days. At most
    ``maxsize`` answers are kept (a day as searched and as polished is two), the least
    recently used dropped first; safe across threads. The app keeps one per process."""

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self.hits = 0
        self._days: OrderedDict[Hashable, Solved] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._days)

    def get(self, key: Hashable) -> Solved | None:
        with self._lock:
            found = self._days.get(key)
            if found is not None:
                self._days.move_to_end(key)
                self.hits += 1
            return found

    def put(self, key: Hashable, value: Solved) -> None:
        with self._lock:
            self._days[key] = value
            self._days.move_to_end(key)
            while len(self._days) > self.maxsize:
                self._days.popitem(last=False)


@dataclass(frozen=True)
class SolvedDays:
    """Days solved for a plan (:meth:`PlanCache.solved_days`): the program they belong to
    (the private spaces and the staff) and each day's answer under its key."""

    program: Hashable = None
    days: tuple[tuple[Hashable, Solved], ...] = ()


class PlanCache:
    """Privacy, private spaces, bounds and day capacities of one plan (see the module);
    ``days``: a store shared with other plans' caches (:class:`DayStore`)."""

    def __init__(
        self,
        plan: Plan,
        criteria: Criteria | None = None,
        privacy: PrivacyResult | None = None,
        days: DayStore | None = None,
    ) -> None:
        if privacy is not None and privacy.plan is not plan and privacy.plan != plan:
            raise ValueError("the privacy answer given is for another plan")
        self.plan = plan
        self.criteria = criteria
        self._privacy = privacy
        self._store = days
        self._bounds: dict[Hashable, Bounds] = {}
        self._days: dict[Hashable, Solved] = {}
        self._estimates: dict[Hashable, Estimate] = {}
        self._lock = threading.Lock()

    def sibling(self, plan: Plan) -> PlanCache:
        """A cache for another plan (an edit of this one), under the same criteria, sharing
        this one's day store."""
        return PlanCache(plan, self.criteria, days=self._store)

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

    @cached_property
    def _program(self) -> Hashable:
        """What a day's program takes from the plan: the private spaces and the staff."""
        return (self.spaces, self.plan.staff)

    def day(self, key: Hashable) -> Solved | None:
        """A day's capacity solved before under ``key`` (see :func:`.engine.day_key`), here
        or, for a plan with the same spaces and staff, in the shared store."""
        found = self._days.get(key)
        if found is None and self._store is not None:
            found = self._store.get((self._program, key))
            if found is not None:
                with self._lock:
                    self._days[key] = found
        return found

    def keep_day(self, key: Hashable, value: Solved) -> None:
        with self._lock:
            self._days[key] = value
        if self._store is not None:
            self._store.put((self._program, key), value)

    def solved_days(self) -> SolvedDays:
        """The days solved for this plan so far, for another cache of a plan with the same
        spaces and staff (in another process: :meth:`take_days`). A day the wall-clock
        safety net stopped is left out: it may differ from run to run."""
        with self._lock:
            days = tuple((k, s) for k, s in self._days.items() if s.status != "safety_net")
        return SolvedDays(self._program, days)

    def take_days(self, solved: SolvedDays) -> None:
        """Keep the days of :meth:`solved_days`; refused when they were solved for a plan
        with other private spaces or staff, whose days they are not."""
        if solved.days and solved.program != self._program:
            raise ValueError("days solved for a plan with other private spaces or staff")
        for key, value in solved.days:
            self.keep_day(key, value)

    def check(self, plan: Plan) -> None:
        """Refuse a cache made for another plan: its answers would be wrong."""
        if plan is not self.plan and plan != self.plan:
            raise ValueError("the cache given belongs to another plan")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_lock", None)
        state["_store"] = None  # the store belongs to this process
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
