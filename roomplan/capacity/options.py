"""What a capacity question asks besides the plan and the week: the demand and how it falls
on the weekdays, the peak model, and how much work the exact answer may take."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from roomplan import memo
from roomplan.capacity.solve import Budget
from roomplan.i18n import t


def _threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class CapacityOptions:
    """demand: interviews a week; spread: how they fall on the weekdays ("even", "hours" or
    five weights, :func:`roomplan.capacity.week.spread_demand`); variance_factor: the second
    peak model (variance over mean, :mod:`roomplan.capacity.peaks`); budget: the work each
    solve may do (deterministic, :class:`roomplan.capacity.solve.Budget`); threads: days
    solved at once (the answer is the same for any number); held_only: ask only how much of
    the demand is held, not the week's most without a demand limit, which then stays the
    interval its bounds prove (status "not_searched"): a question about a target, as a
    recommendation's, needs no more, and that search is the slow part when the weekly caps
    bind."""

    demand: int = memo.WEEKLY_DEMAND
    spread: str | tuple[float, ...] = "even"
    variance_factor: float = 2.0
    budget: Budget = field(default_factory=Budget)
    threads: int = field(default_factory=_threads)
    held_only: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.demand, bool) or not isinstance(self.demand, int) or self.demand < 0:
            raise ValueError(t("week.bad_demand", None))
        if not 1 <= self.variance_factor <= 100:
            raise ValueError(t("capacity.bad_variance", None))
        if self.threads < 1:
            raise ValueError(t("capacity.bad_threads", None))

    def replace(self, **changes: Any) -> CapacityOptions:
        return replace(self, **changes)
