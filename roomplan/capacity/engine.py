"""The week's answer from its days, exactly.

The weekdays share nothing but the weekly caps. So:

1. each open day's capacity (no demand limit) is solved on its own (:func:`.solve.solve`),
   identical days once, several days at a time on separate threads, and kept in the plan's
   cache: it does not depend on the demand;
2. a day can hold any number of interviews up to its capacity (dropping interviews keeps every
   rule, :func:`trimmed`), so the demand is met day by day from the capacity schedules;
3. if the days together break a weekly cap, the week is solved as one program, bounded by the
   days' proven capacities and started from their schedules, so the caps hold exactly.

The sum of the days' bounds is a bound on the week; when every day is proven and the caps hold,
the answer is proven optimal.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow

from roomplan.capacity.cache import PlanCache
from roomplan.capacity.problem import Problem
from roomplan.capacity.schedule import Schedule
from roomplan.capacity.solve import STATUSES, Budget, Solved, solve
from roomplan.capacity.swap import balanced, handed_over
from roomplan.capacity.trim import trimmed

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class WeekAnswer:
    """The held answer (at the demand) and the capacity (no demand limit) of a week, each a
    :class:`Solved` over the whole week, and the capacity of each day."""

    held: Solved
    capacity: Solved
    days: Mapping[int, Solved]


def day_key(problem: Problem, day: int, budget: Budget) -> Hashable:
    """Everything a day's capacity program depends on besides the plan: the week's rules, the
    day's open ticks, who is in when, caps that could bind within one day, the budget."""
    week, grid = problem.week, problem.grids[day]
    most = len(grid) // max(week.interview_ticks, 1)
    caps = tuple(sorted((c, n) for c, n in problem.caps.items() if n < most))
    rules = (
        week.tick,
        week.interview_minutes,
        week.move_minutes,
        week.windowless_hours,
        week.move_in_breaks,
        week.rooms_listen,
    )
    presence = tuple(sorted(grid.present.items()))
    return (rules, grid.minutes, grid.period, presence, caps, budget)


def capacity_by_day(
    problem: Problem,
    budget: Budget,
    cache: PlanCache,
    threads: int = 1,
    progress: Progress | None = None,
) -> dict[int, Solved]:
    """Each open day's capacity without a demand limit, identical days solved once."""
    free = problem.with_demand((None,) * len(problem.demand))
    keys = {d: day_key(free, d, budget) for d in free.open_days}
    todo: dict[Hashable, int] = {}
    for d, k in keys.items():
        if cache.day(k) is None and k not in todo:
            todo[k] = d
    done = 0

    def one(key: Hashable) -> None:
        nonlocal done
        cache.keep_day(key, solve(free, [todo[key]], budget))
        done += 1
        if progress:
            progress(done / len(todo), "day")

    if threads > 1 and len(todo) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(one, list(todo)))
    else:
        for key in todo:
            one(key)
    out = {}
    for d, k in keys.items():
        solved = cache.day(k)
        assert solved is not None
        out[d] = replace(solved, schedule=moved(solved.schedule, d))
    return out


def week_answer(
    problem: Problem,
    budget: Budget,
    cache: PlanCache,
    threads: int = 1,
    progress: Progress | None = None,
) -> WeekAnswer:
    """The week's held answer and capacity (see the module docstring)."""
    days = capacity_by_day(problem, budget, cache, threads, progress)
    union = _joined(list(days.values()))
    if not keeps_caps(union.schedule, problem.caps):
        swapped = handed_over(problem, balanced(problem, union.schedule))
        if keeps_caps(swapped, problem.caps):
            union = replace(union, schedule=swapped)
    if keeps_caps(union.schedule, problem.caps):
        capacity = _proven(union)
        held = _held(problem, days, capacity.schedule, capacity, budget)
        return WeekAnswer(held, capacity, days)
    # the caps bind: swap days first, meet the demand, then the most within the caps
    bound = min(union.bound, _caps_bound(problem, days))
    capped = replace(union, schedule=balanced(problem, union.schedule), bound=bound)
    held = _held(problem, days, union.schedule, capped, budget)
    return WeekAnswer(held, _within_caps(problem, days, capped, held), days)


def _held(
    problem: Problem,
    days: Mapping[int, Solved],
    base: Schedule,
    capacity: Solved,
    budget: Budget,
) -> Solved:
    """The demand met from ``base``: each day cut to its demand; if that breaks a weekly cap,
    each caseworker's interviews a day allotted within the caps by a max-flow and the days
    cut to that, or the days solved again one by one with what is left of the caps
    (:func:`_rolling`); if the week then falls short of its bound, the whole week as one
    program."""
    targets = {d: _least(problem.demand[d], s.held) for d, s in days.items()}
    bound = min(capacity.bound, sum(_least(problem.demand[d], s.bound) for d, s in days.items()))
    schedule = _cut(problem, base, targets, {}, budget)
    capped = not keeps_caps(schedule, problem.caps)
    if capped:  # caseworkers' days swapped and stays handed over, on the days cut to the demand
        schedule = handed_over(problem, balanced(problem, schedule))
        base = schedule
    if not keeps_caps(schedule, problem.caps):
        # each caseworker's interviews a day allotted within their cap by a max-flow
        limits = _allotted(problem, base, targets)
        schedule = _cut(problem, base, targets, limits, budget)
        if len(schedule) < bound or not keeps_caps(schedule, problem.caps):
            rolled = _rolling(problem, base, targets, _share(budget))
            if len(rolled) > len(schedule) or not keeps_caps(schedule, problem.caps):
                schedule = rolled
    held = Solved(schedule, len(schedule), bound, capacity.status, capacity.work, 0.0)
    if held.held < bound and capped:
        held = _whole_week(problem, days, held, budget)
    return _proven(held)


def _within_caps(
    problem: Problem, days: Mapping[int, Solved], capped: Solved, held: Solved
) -> Solved:
    """The most interviews a week within the weekly caps, as far as found without a demand:
    the swapped days cut to an allotment within the caps by a max-flow, or the held
    schedule if larger. Its bound is the days' and the caps' (:func:`_caps_bound`)."""
    targets = {d: s.held for d, s in days.items()}
    limits = _allotted(problem, capped.schedule, targets)
    schedule = trimmed(problem, capped.schedule, targets, limits)
    if not keeps_caps(schedule, problem.caps) or len(held.schedule) > len(schedule):
        schedule = held.schedule
    status = capped.status if capped.status != "optimal" else "budget"
    return _proven(
        Solved(schedule, len(schedule), capped.bound, status, capped.work, capped.seconds)
    )


def _caps_bound(problem: Problem, days: Mapping[int, Solved]) -> int:
    """No week holds more than a max-flow where each caseworker gives at most their cap, at
    most what fits in their time each day (whole interviews in each open period they are
    in), and each day at most its proven bound."""
    D = problem.week.interview_ticks
    most = {(c, d): problem.grids[d].slots(c, D) for d in days for c in problem.caps}
    people = sorted(problem.caps)
    order = sorted(days)
    index = {("c", c): 2 + k for k, c in enumerate(people)}
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
        caps.append(days[d].bound)
    n = 2 + len(people) + len(order)
    graph = sp.csr_matrix(
        (np.asarray(caps, dtype=np.int32), (rows, cols)), shape=(n, n), dtype=np.int32
    )
    return int(maximum_flow(graph, 0, 1).flow_value)


def _share(budget: Budget) -> Budget:
    """The budget of one step that fits a schedule to the caps: a tenth of a solve's."""
    return replace(budget, work=budget.work / 10)


def _whole_week(
    problem: Problem, days: Mapping[int, Solved], found: Solved, budget: Budget
) -> Solved:
    """The whole week as one program (the weekly caps exact), each day limited to its
    proven bound, started from ``found``, with a quarter of the budget."""
    limits = {d: _least(problem.demand[d], s.bound) for d, s in days.items()}
    week = solve(
        problem,
        list(days),
        replace(budget, work=budget.work / 4),
        day_limits=limits,
        hint=found.schedule,
    )
    best = week if week.held > found.held else found
    return replace(
        best,
        bound=min(found.bound, week.bound),
        work=found.work + week.work,
        status=week.status if week.status != "optimal" else best.status,
    )


def _cut(
    problem: Problem,
    schedule: Schedule,
    targets: Mapping[int, int],
    limits: Mapping[tuple[str, int], int],
    budget: Budget,
) -> Schedule:
    """``schedule`` cut to ``targets`` a day and ``limits`` a caseworker a day; a day where
    no drop keeps every rule is solved again at its target and limits."""
    cut = trimmed(problem, schedule, targets, limits)
    parts = []
    for d, target in targets.items():
        mine = _day_of(cut, d)
        own = {(c, dd): n for (c, dd), n in limits.items() if dd == d}
        over = any(n > own.get((c, d), n) for c, n in mine.per_caseworker().items())
        if len(mine) > target or over:
            mine = solve(
                problem,
                [d],
                _share(budget),
                day_caps=own,
                day_limits={d: target},
                hint=mine,
                fit=True,
            )
            mine = mine.schedule
        parts.append(mine)
    return merged(parts)


def _allotted(
    problem: Problem, schedule: Schedule, targets: Mapping[int, int]
) -> dict[tuple[str, int], int]:
    """How many interviews each caseworker keeps each day: the most the days' targets and
    the weekly caps allow from what ``schedule`` gives them (a max-flow: caseworker ->
    caseworker's day -> day)."""
    counts = {(i.caseworker, i.day) for i in schedule.interviews}
    per = {k: 0 for k in counts}
    for i in schedule.interviews:
        per[(i.caseworker, i.day)] += 1
    people = sorted(problem.caps)
    days = sorted(targets)
    index = {("c", c): k + 2 for k, c in enumerate(people)}
    index.update({("d", d): len(index) + 2 + k for k, d in enumerate(days)})
    rows, cols, caps = [], [], []
    pairs = sorted(per)
    for k, (c, d) in enumerate(pairs):
        node = len(index) + 2 + k
        rows += [index[("c", c)], node]
        cols += [node, index[("d", d)]]
        caps += [per[(c, d)], per[(c, d)]]
    for c in people:
        rows.append(0)
        cols.append(index[("c", c)])
        caps.append(problem.caps[c])
    for d in days:
        rows.append(index[("d", d)])
        cols.append(1)
        caps.append(targets[d])
    n = len(index) + 2 + len(pairs)
    graph = sp.csr_matrix(
        (np.asarray(caps, dtype=np.int32), (rows, cols)), shape=(n, n), dtype=np.int32
    )
    flow = maximum_flow(graph, 0, 1).flow.tocsr()
    return {
        (c, d): int(flow[index[("c", c)], len(index) + 2 + k]) for k, (c, d) in enumerate(pairs)
    }


def _rolling(
    problem: Problem, schedule: Schedule, targets: Mapping[int, int], budget: Budget
) -> Schedule:
    """Days solved again one by one, tightest first, each caseworker held to a fair share of
    what is left of their weekly cap (all of it when the share falls short)."""
    left = dict(problem.caps)
    per_day = schedule.per_day()
    order = sorted(targets, key=lambda d: (per_day[d] - targets[d], d))
    parts = []
    for k, d in enumerate(order):
        share = {(c, d): min(n, -(-n // (len(order) - k)) + 1) for c, n in left.items()}
        hint = _day_of(schedule, d)
        mine = solve(
            problem, [d], budget, day_caps=share, day_limits={d: targets[d]}, hint=hint, fit=True
        )
        if mine.held < targets[d]:
            whole = {(c, d): n for c, n in left.items()}
            again = solve(
                problem,
                [d],
                budget,
                day_caps=whole,
                day_limits={d: targets[d]},
                hint=hint,
                fit=True,
            )
            mine = again if again.held > mine.held else mine
        for c, n in mine.schedule.per_caseworker().items():
            left[c] -= n
        parts.append(mine.schedule)
    return merged(parts)


def _day_of(schedule: Schedule, day: int) -> Schedule:
    return Schedule(
        tuple(i for i in schedule.interviews if i.day == day),
        tuple(s for s in schedule.stays if s.day == day),
    )


def _least(demand: int | None, most: int) -> int:
    return most if demand is None else min(demand, most)


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


def moved(schedule: Schedule, day: int) -> Schedule:
    """A day's schedule moved to another weekday with the same hours and presence."""
    return Schedule(
        tuple(replace(i, day=day) for i in schedule.interviews),
        tuple(replace(s, day=day) for s in schedule.stays),
    )


def merged(parts: list[Schedule]) -> Schedule:
    interviews = sorted(
        (i for p in parts for i in p.interviews),
        key=lambda i: (i.day, i.start, i.caseworker, i.space),
    )
    stays = sorted(
        (s for p in parts for s in p.stays), key=lambda s: (s.day, s.start, s.caseworker, s.space)
    )
    return Schedule(tuple(interviews), tuple(stays))
