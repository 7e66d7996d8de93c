"""The week's answer from its days.

The weekdays share nothing but the weekly caps. So:

1. each open day's capacity (no demand limit) is solved on its own (:func:`.solve.solve`),
   identical days once, two days at a time on separate threads, and kept in the plan's cache:
   it does not depend on the demand;
2. a day can hold any number of interviews up to its capacity (dropping interviews keeps every
   rule, :func:`.trim.trimmed`), so the demand is met day by day from the capacity schedules;
3. if the days together give someone more than their weekly cap, caseworkers who can take
   each other's day swap and stays are handed over (:mod:`.swap`); if that is not enough,
   the week is chosen from day patterns (:mod:`.patterns`), and for the held number a gap
   left is narrowed by the whole week as one program started from that choice.

The sum of the days' bounds (at the demand, within a max-flow of the caps, and the patterns'
Lagrangian bound) bounds the week; when the schedule reaches it, the answer is proven optimal.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow

from roomplan.capacity.bounds import lower_bound
from roomplan.capacity.cache import PlanCache
from roomplan.capacity.patterns import by_patterns
from roomplan.capacity.problem import Problem
from roomplan.capacity.problem import day_key as problem_day_key
from roomplan.capacity.schedule import Schedule, merged, moved
from roomplan.capacity.solve import (
    STATUSES,
    Asked,
    Budget,
    Solved,
    polished,
    searched,
    solve,
    solve_both,
)
from roomplan.capacity.swap import balanced, handed_over
from roomplan.capacity.trim import trimmed, within_caps

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class WeekAnswer:
    """The held answer (at the demand) and the capacity (no demand limit) of a week, each a
    :class:`Solved` over the whole week, and the capacity of each day."""

    held: Solved
    capacity: Solved
    days: Mapping[int, Solved]


def day_key(problem: Problem, day: int, budget: Budget) -> Hashable:
    """The key a day's capacity is kept under in the plan's cache: the day (see
    :func:`.problem.day_key`) and the budget."""
    return (problem_day_key(problem, day), budget)


def capacity_by_day(
    problem: Problem,
    budget: Budget,
    cache: PlanCache,
    threads: int = 1,
    progress: Progress | None = None,
    polish: bool = True,
) -> dict[int, Solved]:
    """Each open day's capacity without a demand limit, identical days solved once (the
    demands asked of a plan share them), each started from its day of the max-flow's
    schedule of that day alone (:func:`.bounds.lower_bound`): a large day may otherwise spend
    its whole budget before it finds a first schedule. The start depends only on the day's
    program, so a day's answer is the same whichever question asked it first.

    polish: the schedules polished (:func:`.solve.polished`), as the week's search needs
    them; without, the same numbers sooner. The search before the polish is kept apart, so
    a polished day costs only its polish after an unpolished one."""
    free = problem.with_demand((None,) * len(problem.demand))
    bare = searched(budget)
    want = budget if polish else bare
    keys = {d: (day_key(free, d, bare), day_key(free, d, want)) for d in free.open_days}
    todo: dict[Hashable, tuple[int, Hashable]] = {}
    for d, (first, key) in keys.items():
        if cache.day(key) is None and key not in todo:
            todo[key] = (d, first)

    def one(key: Hashable) -> tuple[Solved | None, Solved]:
        """The day's search (None when kept from before) and its answer."""
        day, first = todo[key]
        kept = cache.day(first)
        if kept is not None:
            return None, polished(free, [day], kept, want)
        # the max-flow of this day alone (no interview on the others): a start that depends
        # on the day's program only, even when weekly caps would share them out
        alone = free.with_demand(tuple(None if d == day else 0 for d in range(len(free.demand))))
        start = lower_bound(alone)[1]
        # the search and its polish from one program (the same as polishing the search later)
        return solve_both(free, [day], want, Asked(hint=start) if len(start) else Asked())

    def keep(key: Hashable, answers: tuple[Solved | None, Solved]) -> None:
        if answers[0] is not None and todo[key][1] != key:
            cache.keep_day(todo[key][1], answers[0])
        cache.keep_day(key, answers[1])

    # the solves run on worker threads; progress is told from this one (the app's thread)
    if threads > 1 and len(todo) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = pool.map(one, list(todo))
            for k, (key, answers) in enumerate(zip(todo, results, strict=True)):
                keep(key, answers)
                if progress:
                    progress((k + 1) / len(todo), "day")
    else:
        for k, key in enumerate(todo):
            keep(key, one(key))
            if progress:
                progress((k + 1) / len(todo), "day")
    out = {}
    for d, (_first, key) in keys.items():
        kept = cache.day(key)
        assert kept is not None
        out[d] = replace(kept, schedule=moved(kept.schedule, d))
    return out


@dataclass(frozen=True)
class WeekAsk:
    """What a week's search is asked besides the problem: ``start``, a schedule known to keep
    every rule, the caps and the demand, which the answer never falls below; ``held_only``:
    the capacity without a demand limit is not searched when the caps bind (it is then the
    interval from the held week to its bound, status "not_searched")."""

    start: Schedule | None = None
    held_only: bool = False


def week_answer(
    problem: Problem,
    budget: Budget,
    cache: PlanCache,
    threads: int = 1,
    progress: Progress | None = None,
    ask: WeekAsk = WeekAsk(),
) -> WeekAnswer:
    """The week's held answer and capacity (see the module docstring), as ``ask`` says."""
    start, held_only = ask.start, ask.held_only
    days = capacity_by_day(problem, budget, cache, threads, progress)
    union = _joined(list(days.values()))
    fitted = _swapped(problem, union.schedule)
    known = [start] if start is not None and _keeps(problem, start) else []
    if keeps_caps(fitted, problem.caps):
        capacity = _proven(replace(union, schedule=fitted))
        held = _held(problem, days, fitted, capacity, budget, caps_bind=False)
    else:
        # the caps bind: the week chosen from day patterns within the caps, bounded by a
        # max-flow of the caps as well; the verdict's number first, then the capacity, which
        # needs no search of its own when the held week already reaches its bound
        free = problem.with_demand((None,) * len(problem.demand))
        bound = min(union.bound, _caps_bound(problem, {d: s.bound for d, s in days.items()}))
        known_bound = replace(union, schedule=fitted, held=len(fitted), bound=bound)
        held = _held(problem, days, fitted, known_bound, budget, caps_bind=True)
        unbound = all(_least(problem.demand[d], s.bound) == s.bound for d, s in days.items())
        if held.held >= bound or unbound:
            # the held week reaches the capacity's bound, or the demand limits no day: the
            # two questions are one
            capacity = _proven(replace(held, bound=max(held.held, min(bound, held.bound))))
        elif held_only:
            capacity = _proven(replace(held, bound=max(held.held, bound), status="not_searched"))
        else:
            starts = [union.schedule, fitted, held.schedule, *known]
            week = _within_caps(free, days, starts, bound, budget, held=False)
            capacity = _proven(replace(week, status=_worse(week.status, union.status)))
            capacity = replace(capacity, work=union.work + week.work)
            if held.held < held.bound:
                # the capacity's week, cut to the demand, may hold more than the held search
                # found: days below their capacity leave the caps more room to combine
                matched = _matched(problem, capacity.schedule)
                known.append(_cut(problem, matched, _targets(problem, days), budget))
    for better in known:
        if len(better) > held.held and _keeps(problem, better):
            held = _proven(replace(held, schedule=better, held=len(better)))
    if held.held > capacity.held:  # the week held at the demand holds without it too
        capacity = _proven(replace(capacity, schedule=held.schedule, held=held.held))
    return WeekAnswer(held, capacity, days)


def days_answer(
    problem: Problem,
    budget: Budget,
    cache: PlanCache,
    threads: int = 1,
    start: Schedule | None = None,
) -> Solved:
    """The held answer from the days alone, without the week-level search (steps 1-2 and the
    swap of step 3): fast, and exact when the weekly caps do not bind. If they do and swapping
    does not mend them, those over their cap drop interviews (:func:`.trim.within_caps`);
    ``start`` (a schedule known to keep every rule, the caps and the demand) is kept if
    larger. The bound is the days' bounds at the demand within a max-flow
    of the caps, so the answer is an interval whatever the caps do."""
    days = capacity_by_day(problem, budget, cache, threads, polish=False)
    union = _joined(list(days.values()))
    limits = {d: _least(problem.demand[d], s.bound) for d, s in days.items()}
    targets = _targets(problem, days)
    bound = min(sum(limits.values()), _caps_bound(problem, limits))
    schedule = _swapped(problem, _cut(problem, union.schedule, targets, budget))
    if not keeps_caps(schedule, problem.caps):
        cut = within_caps(problem, schedule, problem.caps)
        schedule = cut if keeps_caps(cut, problem.caps) else Schedule()
    if start is not None and len(start) > len(schedule) and _keeps(problem, start):
        schedule = start
    status = _worse("budget", union.status)
    return _proven(
        Solved(schedule, len(schedule), max(bound, len(schedule)), status, union.work, 0)
    )


def _keeps(problem: Problem, schedule: Schedule) -> bool:
    """Whether ``schedule`` keeps the weekly caps and each day's demand."""
    per_day = schedule.per_day()
    return keeps_caps(schedule, problem.caps) and all(
        n is None or per_day[d] <= n for d, n in enumerate(problem.demand)
    )


def _swapped(problem: Problem, schedule: Schedule) -> Schedule:
    """``schedule`` as it is if it keeps the weekly caps, else with caseworkers' days
    exchanged and stays handed over (:mod:`.swap`), as far as that goes."""
    if keeps_caps(schedule, problem.caps):
        return schedule
    return handed_over(problem, balanced(problem, schedule))


def _held(
    problem: Problem,
    days: Mapping[int, Solved],
    base: Schedule,
    capacity: Solved,
    budget: Budget,
    caps_bind: bool,
) -> Solved:
    """The demand met from ``base`` (a schedule within the caps): each day cut to its demand
    (:func:`_cut`), caseworkers' days swapped if a re-solved day breaks a cap; if the week
    falls short of its bound, chosen from day patterns when the caps bind (:mod:`.patterns`),
    else the whole week as one program started from it."""
    targets = _targets(problem, days)
    bound = min(capacity.bound, sum(_least(problem.demand[d], s.bound) for d, s in days.items()))
    schedule = _swapped(problem, _cut(problem, base, targets, budget))
    held = Solved(schedule, len(schedule), bound, capacity.status, capacity.work, 0.0)
    if (caps_bind and held.held < bound) or not keeps_caps(schedule, problem.caps):
        week = _within_caps(problem, days, [schedule], bound, budget, held=True)
        status = _worse(week.status, capacity.status)
        held = replace(week, status=status, work=capacity.work + week.work)
    elif held.held < bound and capacity.bound > capacity.held:
        held = _whole_week(problem, days, held, budget)
    return _proven(held)


def _within_caps(
    problem: Problem,
    days: Mapping[int, Solved],
    starts: list[Schedule],
    bound: int,
    budget: Budget,
    held: bool,
) -> Solved:
    """The most interviews a week holds within the weekly caps: filled day after day
    (:func:`_day_after_day`), mended as a whole week when a few short of the verdict's bound,
    else chosen from day patterns (:mod:`.patterns`) started from that week; if that leaves a
    gap to its bound, the whole week as one program, started from the patterns' week, with
    the work left, at most a third of the budget, for the verdict's number (``held``) and a
    tenth for the capacity without a demand (it shows as an interval where unproven): the
    week's program does about a third of a day's work a second."""
    day_bounds = {d: _least(problem.demand[d], s.bound) for d, s in days.items()}
    found = replace(_day_after_day(problem, days, budget), bound=bound)
    if found.held >= bound:
        return _proven(found)
    if held and bound - found.held <= max(1, bound // 50):
        # a few short of the verdict's bound: mending that week as a whole is quicker than
        # recombining day patterns
        found = _whole_week(problem, days, found, replace(budget, work=budget.work / 3))
        if found.held >= bound:
            return _proven(found)
    rest = replace(budget, work=max(budget.work - found.work, budget.work / 10))
    week = by_patterns(problem, [*starts, found.schedule], bound, day_bounds, rest)
    week = _proven(replace(week, work=week.work + found.work))
    left = min(budget.work - week.work, budget.work / 3) if held else budget.work / 10
    if week.held >= week.bound or left <= 0:
        return week
    return _proven(_whole_week(problem, days, week, replace(budget, work=left)))


def _day_after_day(problem: Problem, days: Mapping[int, Solved], budget: Budget) -> Solved:
    """A week within the caps, filled day after day: the largest day first holds the most it
    can (up to its demand) with the caps left, started from its capacity schedule cut to
    them. Often the whole answer when a few caseworkers' caps bind; else a start for the
    patterns."""
    left = dict(problem.caps)
    parts, work = [], 0.0
    for d in sorted(days, key=lambda d: (-days[d].held, d)):
        demand = problem.demand[d]
        if demand == 0:
            continue
        start = within_caps(problem, days[d].schedule, left)
        if not keeps_caps(start, left):  # no drop kept every rule: start from nothing
            start = Schedule()
        target = _least(demand, days[d].held)
        if len(start) > target:  # the demand is smaller: a start that keeps it
            cut = trimmed(problem, start, {d: target})
            start = cut if len(cut) <= target else Schedule()
        if len(start) < target:  # the cut to the caps lost some
            asked = Asked(
                day_caps={(c, d): n for c, n in left.items()},
                day_limits=None if demand is None else {d: demand},
                hint=start,
            )
            day = solve(problem, [d], _share(budget), asked)
            work += day.work
            if day.held > len(start):
                start = day.schedule
        for c, n in start.per_caseworker().items():
            left[c] -= n
        parts.append(start)
    schedule = merged(parts)
    return Solved(schedule, len(schedule), len(schedule), "budget", work, 0.0)


def _caps_bound(problem: Problem, days: Mapping[int, int]) -> int:
    """No week holds more than a max-flow where each caseworker gives at most their cap, at
    most what fits in their time each day (whole interviews in each open period they are
    in), and each day at most its proven bound (``days``: day -> bound)."""
    D = problem.week.interview_ticks
    most = {(c, d): problem.grids[d].slots(c, D) for d in days for c in problem.caps}
    people = sorted(problem.caps)
    order = sorted(days)
    index: dict[tuple[str, str | int], int] = {("c", c): 2 + k for k, c in enumerate(people)}
    index.update({("d", d): 2 + len(people) + k for k, d in enumerate(order)})
    rows, cols, caps = [], [], []
    for c in people:
        rows.append(0)
        cols.append(index[("c", c)])
        caps.append(problem.caps[c])
        for d in order:
            rows.append(index[("c", c)])
            cols.append(index[("d", d)])
            caps.append(most[(c, d)])
    for d in order:
        rows.append(index[("d", d)])
        cols.append(1)
        caps.append(days[d])
    n = 2 + len(people) + len(order)
    graph = sp.csr_matrix(
        (np.asarray(caps, dtype=np.int32), (rows, cols)), shape=(n, n), dtype=np.int32
    )
    return int(maximum_flow(graph, 0, 1).flow_value)


def _share(budget: Budget) -> Budget:
    """The budget of one step that fits a schedule to the caps: a tenth of a solve's."""
    return replace(budget, work=budget.work / 10)


def _whole_week(
    problem: Problem,
    days: Mapping[int, Solved],
    found: Solved,
    budget: Budget,
) -> Solved:
    """The whole week as one program (the weekly caps exact), each day limited to its
    proven bound at the demand, started from ``found``; the better of the two
    answers, with the bound both prove."""
    limits = {d: _least(problem.demand[d], s.bound) for d, s in days.items()}
    # fit: the lighter relaxation reaches a given number sooner; the bound comes from the days
    asked = Asked(day_limits=limits, hint=found.schedule, fit=True)
    week = solve(problem, list(days), budget, asked)
    best = week if week.held > found.held else found
    return replace(
        best,
        bound=min(found.bound, week.bound),
        work=found.work + week.work,
        status=week.status if week.status != "optimal" else best.status,
    )


def _cut(
    problem: Problem, schedule: Schedule, targets: Mapping[int, int], budget: Budget
) -> Schedule:
    """``schedule`` cut to ``targets`` a day (:func:`.trim.trimmed`); a day where no drop
    keeps every rule is solved again at its target."""
    cut = trimmed(problem, schedule, targets)
    parts = []
    for d, target in targets.items():
        mine = cut.on_day(d)
        if len(mine) > target:
            asked = Asked(day_limits={d: target}, hint=mine, fit=True)
            again = solve(problem, [d], _share(budget), asked)
            mine = again.schedule
        parts.append(mine)
    return merged(parts)


def _matched(problem: Problem, schedule: Schedule) -> Schedule:
    """``schedule`` with the days of one program (:func:`.problem.day_key`) exchanged so that
    the larger days fall on the days of larger demand: the caps are kept (each caseworker
    holds the same in the week), and a cut to the demand keeps the most."""
    groups: dict[Hashable, list[int]] = {}
    for d in problem.open_days:
        groups.setdefault(problem_day_key(problem, d), []).append(d)
    parts = []
    for group in groups.values():
        big = sorted(group, key=lambda d: (-len(schedule.on_day(d)), d))
        wants = sorted(group, key=lambda d: (-_least(problem.demand[d], 10**9), d))
        parts += [moved(schedule.on_day(a), b) for a, b in zip(big, wants, strict=True)]
    return merged(parts)


def _targets(problem: Problem, days: Mapping[int, Solved]) -> dict[int, int]:
    """Each day's demand, at most what the day holds."""
    return {d: _least(problem.demand[d], s.held) for d, s in days.items()}


def _least(demand: int | None, most: int) -> int:
    return most if demand is None else min(demand, most)


def _worse(a: str, b: str) -> str:
    return max(a, b, key=STATUSES.index)


def _proven(solved: Solved) -> Solved:
    """A schedule as large as its bound is optimal whatever stopped the search."""
    if solved.held >= solved.bound:
        return replace(solved, status="optimal", bound=solved.held)
    if solved.status == "optimal":  # an optimum under day limits below the week's bound
        return replace(solved, status="budget")
    return solved


def _joined(parts: list[Solved]) -> Solved:
    """The days' answers as one week's: counts and bounds add up; the worst status counts."""
    status = max((p.status for p in parts), key=STATUSES.index, default="optimal")
    return Solved(
        merged([p.schedule for p in parts]),
        sum(p.held for p in parts),
        sum(p.bound for p in parts),
        status,
        sum(p.work for p in parts),
        sum(p.seconds for p in parts),
    )


def keeps_caps(schedule: Schedule, caps: Mapping[str, int]) -> bool:
    return all(n <= caps.get(c, 0) for c, n in schedule.per_caseworker().items())
