"""Can the week's interviews be held privately? Bounds first, then the proven answer.

``plan_capacity(plan, week, options)`` reads who can hear whom from the privacy engine
(:func:`roomplan.privacy.assess_privacy`), turns it into private spaces with their conditions
(:mod:`.spaces`), bounds the answer with two max-flows (:mod:`.bounds`) and finds the best
schedule with a constraint program (:mod:`.model`, :mod:`.solve`), day by day with the weekly
caps kept exactly (:mod:`.engine`). What depends only on the plan is kept in a
:class:`PlanCache` for the next question.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from roomplan.capacity.bounds import Bottleneck, lower_bound, upper_bound
from roomplan.capacity.cache import DayStore, PlanCache
from roomplan.capacity.engine import WeekAnswer, WeekAsk, days_answer, week_answer
from roomplan.capacity.options import CapacityOptions
from roomplan.capacity.peaks import PERCENTILES, demand_percentile
from roomplan.capacity.problem import Problem, caps_of
from roomplan.capacity.result import CapacityResult, Heatmap, Peak
from roomplan.capacity.schedule import Schedule
from roomplan.capacity.solve import Budget
from roomplan.capacity.spaces import Space, in_use, private_spaces
from roomplan.capacity.week import WEEKDAYS, Absence, DayHours, Week, spread_demand
from roomplan.plan.model import Plan

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Bounds:
    """The fast answer, before the exact one: at least ``lower`` and at most ``upper``
    interviews of the demand can be held privately; the cuts say why (:mod:`.bounds`)."""

    lower: int
    upper: int
    lower_cut: Bottleneck
    upper_cut: Bottleneck
    lower_schedule: Schedule
    seconds: float


def _problem(plan: Plan, week: Week, options: CapacityOptions, cache: PlanCache) -> Problem:
    return Problem(
        plan,
        week,
        cache.spaces,
        caps_of(plan, week),
        spread_demand(options.demand, options.spread, week),
    )


def capacity_bounds(
    plan: Plan,
    week: Week | None = None,
    options: CapacityOptions | None = None,
    *,
    cache: PlanCache | None = None,
) -> Bounds:
    """The max-flow bounds alone, in well under a second: what to show while the exact
    answer (:func:`plan_capacity`) is being found."""
    week = week or Week()
    options = options or CapacityOptions()
    cache = cache or PlanCache(plan)
    cache.check(plan)
    key = (week, options.demand, options.spread)
    hit = cache.bounds(key)
    if hit is None:
        started = time.perf_counter()
        problem = _problem(plan, week, options, cache)
        upper, upper_cut = upper_bound(problem)
        lower, lower_schedule, lower_cut = lower_bound(problem)
        hit = Bounds(
            lower, upper, lower_cut, upper_cut, lower_schedule, time.perf_counter() - started
        )
        cache.keep_bounds(key, hit)
    return hit


@dataclass(frozen=True)
class Estimate:
    """The fast answer from the days alone (:func:`capacity_estimate`): at least ``held``
    interviews of the demand (``schedule`` shows it), at most ``bound`` (proven)."""

    held: int
    bound: int
    schedule: Schedule

    @property
    def proven(self) -> bool:
        return self.held >= self.bound


def capacity_estimate(
    plan: Plan,
    week: Week | None = None,
    options: CapacityOptions | None = None,
    *,
    cache: PlanCache | None = None,
    known: CapacityResult | None = None,
) -> Estimate:
    """Each day's capacity solved (shared with :func:`plan_capacity` in ``cache``), the demand
    met from it day by day, without the search over the week that the weekly caps may need: a
    schedule and a proven bound in about the time of the days' solves, nothing solved when the
    max-flow bounds already meet (:func:`capacity_bounds`). The same as
    :func:`plan_capacity`'s held answer when the caps do not bind; an interval when they do.
    :func:`plan_capacity` starts from it, so it never holds fewer.

    known: the full answer for the same plan and week at another demand (a busy week asked
    after the week): its schedule serves this demand too when no day asks less, and no week
    holds more than its proven most with unlimited demand."""
    week = week or Week()
    options = options or CapacityOptions()
    cache = cache or PlanCache(plan)
    cache.check(plan)
    hit = _estimate(plan, week, options, cache)
    if known is None:
        return hit
    spaces = in_use(cache.spaces, week)
    if known.week != week or known.spread != options.spread or known.spaces != spaces:
        raise ValueError("known: an answer for another plan, week or spread")
    return _narrowed(hit, known, spread_demand(options.demand, options.spread, week))


def _narrowed(hit: Estimate, known: CapacityResult, per_day: tuple[int, ...]) -> Estimate:
    """``hit`` with what ``known`` proves of it (see :func:`capacity_estimate`); per_day: the
    demand asked of each day now."""
    held, schedule = hit.held, hit.schedule
    # a day without a limit in known may hold more than this demand asks of it
    no_day_asks_less = all(
        a is not None and b >= a for a, b in zip(known.demand_per_day, per_day, strict=True)
    )
    if no_day_asks_less and known.held > held:
        held, schedule = known.held, known.schedule
    return Estimate(held, max(held, min(hit.bound, known.capacity_bound)), schedule)


def _estimate(plan: Plan, week: Week, options: CapacityOptions, cache: PlanCache) -> Estimate:
    bounds = capacity_bounds(plan, week, options, cache=cache)
    key = (week, options.demand, options.spread, options.budget)
    hit = cache.estimate(key)
    if hit is None and bounds.lower >= bounds.upper:
        # the max-flow's schedule already reaches the proven most: nothing to solve
        hit = Estimate(bounds.lower, bounds.upper, bounds.lower_schedule)
        cache.keep_estimate(key, hit)
    if hit is None:
        problem = _problem(plan, week, options, cache)
        answer = days_answer(problem, options.budget, cache, options.threads, bounds.lower_schedule)
        hit = Estimate(answer.held, min(answer.bound, bounds.upper), answer.schedule)
        cache.keep_estimate(key, hit)
    return hit


def plan_capacity(
    plan: Plan,
    week: Week | None = None,
    options: CapacityOptions | None = None,
    *,
    cache: PlanCache | None = None,
    progress: Progress | None = None,
) -> CapacityResult:
    """How many of the week's interviews ``plan`` can hold privately, and how.

    week: opening hours, the move, the windowless limit, absences and the rules' settings
    (:class:`Week`); options: the demand, its spread, the peak model and the work budget
    (:class:`CapacityOptions`); cache: answers kept for this plan (:class:`PlanCache`, made
    here when not given; pass one to ask several questions of the same plan);
    progress(fraction, message): called as days are solved.

    The same arguments give the same answer and schedule on any machine: the budget is
    deterministic work. When a budget runs out first, the result gives the interval proven
    (``held`` .. ``held_bound``) and why (``held_status``)."""
    week = week or Week()
    options = options or CapacityOptions()
    cache = cache or PlanCache(plan)
    cache.check(plan)
    report = progress or (lambda fraction, message: None)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    bounds = capacity_bounds(plan, week, options, cache=cache)
    seconds["bounds"] = time.perf_counter() - started
    report(0.05, "bounds")
    problem = _problem(plan, week, options, cache)
    started = time.perf_counter()
    # the days alone first: the week's answer never falls below their schedule
    estimate = capacity_estimate(plan, week, options, cache=cache)
    start = max(estimate.schedule, bounds.lower_schedule, key=len)
    answer = week_answer(
        problem,
        options.budget,
        cache,
        options.threads,
        lambda f, m: report(0.05 + 0.9 * f, m),
        WeekAsk(start, options.held_only),
    )
    seconds["exact"] = time.perf_counter() - started
    started = time.perf_counter()
    # a question about the demand alone (held_only) has no peaks: the capacity is open
    peaks = () if options.held_only else _peaks(plan, week, options, cache, answer)
    seconds["peaks"] = time.perf_counter() - started
    report(1.0, "exact")
    return _result(plan.name, problem, options, bounds, answer, peaks, seconds)


def _result(
    name: str,
    problem: Problem,
    options: CapacityOptions,
    bounds: Bounds,
    answer: WeekAnswer,
    peaks: tuple[Peak, ...],
    seconds: dict[str, float],
) -> CapacityResult:
    held, free = answer.held, answer.capacity
    return CapacityResult(
        plan_name=name,
        week=problem.week,
        demand=options.demand,
        demand_per_day=problem.demand,
        spread=options.spread,
        caps=dict(problem.caps),
        spaces=problem.spaces,
        lower=bounds.lower,
        upper=bounds.upper,
        lower_schedule=bounds.lower_schedule,
        upper_cut=bounds.upper_cut,
        lower_cut=bounds.lower_cut,
        held=len(held.schedule),
        held_bound=min(max(held.bound, len(held.schedule)), bounds.upper),
        schedule=held.schedule,
        capacity=free.held,
        capacity_bound=max(free.bound, free.held),
        capacity_per_day=tuple(free.schedule.per_day()),
        peaks=peaks,
        held_status=held.status,
        capacity_status=free.status,
        work=free.work + held.work,
        seconds=seconds,
    )


def _peak_demands(options: CapacityOptions) -> list[tuple[float, float, int]]:
    """(quantile, variance factor, weekly demand) of each peak row."""
    return [
        (q, factor, demand_percentile(options.demand, q, factor))
        for factor in dict.fromkeys((1.0, options.variance_factor))
        for q in PERCENTILES
    ]


def _busy_weeks(
    plan: Plan,
    week: Week,
    options: CapacityOptions,
    cache: PlanCache,
    known: tuple[int, int],
) -> dict[int, tuple[int, int]]:
    """Each peak week's demand -> (held, proven most) with the week's spread. known: held
    at the demand asked and the proven most without a limit: a peak that asks each day at
    least as much holds at least the same schedule, and no peak more than that most; only
    a peak within that most is asked (:func:`capacity_estimate`, the days are solved)."""
    held, most = known
    asked = spread_demand(options.demand, options.spread, week)
    out = {}
    for _q, _f, demand in _peak_demands(options):
        per_day = spread_demand(demand, options.spread, week)
        least = held if all(a >= b for a, b in zip(per_day, asked, strict=True)) else 0
        if demand > most:
            out[demand] = (min(least, most), most)
        elif demand not in out:
            e = capacity_estimate(plan, week, options.replace(demand=demand), cache=cache)
            out[demand] = (max(e.held, least), max(e.bound, least))
    return out


def _peaks(
    plan: Plan, week: Week, options: CapacityOptions, cache: PlanCache, answer: WeekAnswer
) -> tuple[Peak, ...]:
    """The peak rows: each peak week with what of it is held (:func:`_busy_weeks`), and a
    busy day against the weakest weekday: held by its own schedule, at most its bound."""
    free = answer.capacity
    busy = _busy_weeks(plan, week, options, cache, (answer.held.held, max(free.bound, free.held)))
    days = [d for d in range(len(WEEKDAYS)) if week.segments(d)]
    weakest = min((answer.days[d].held for d in days), default=0)
    weakest_bound = min((answer.days[d].bound for d in days), default=0)
    per_day_mean = options.demand / max(len(days), 1)
    out = []
    for q, factor, demand in _peak_demands(options):
        out.append(Peak("week", q, factor, demand, free.held, *busy[demand]))
        day = demand_percentile(per_day_mean, q, factor)
        out.append(Peak("day", q, factor, day, weakest, weakest, weakest_bound))
    return tuple(out)


__all__ = [
    "Absence",
    "Bounds",
    "Budget",
    "Estimate",
    "CapacityOptions",
    "CapacityResult",
    "Heatmap",
    "DayHours",
    "Peak",
    "DayStore",
    "PlanCache",
    "Schedule",
    "Space",
    "Week",
    "caps_of",
    "capacity_bounds",
    "capacity_estimate",
    "plan_capacity",
    "private_spaces",
    "spread_demand",
]
