"""Solving the capacity program with CP-SAT within a deterministic budget.

The budget is CP-SAT's deterministic time (``max_deterministic_time``): a count of work that
is the same on any machine and under any load, so the same problem gives the same answer and
the same schedule everywhere. A wall-clock limit stays as a safety net only; when it stops a
solve first, the answer says so (``status == "safety_net"``), because it may then differ from
run to run. The search runs on one worker with a fixed seed: CP-SAT is deterministic so.

A solve maximises the interviews held, then (``polish``) spends a small share of the budget on
the same number of interviews with less time in rooms (fewer moves and waits, fewer hours in
windowless rooms); the second step never changes the number.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from roomplan.capacity.model import Built, build, start_candidates
from roomplan.capacity.problem import POOL, Problem, pool_members
from roomplan.capacity.schedule import Interview, Schedule, Stay

LOG = logging.getLogger("roomplan.capacity")

STATUSES = ("optimal", "budget", "not_searched", "safety_net")
"""optimal: proven; budget: the work budget ran out first (the same on every machine);
not_searched: not asked (``CapacityOptions.held_only``), only bounded; safety_net: the
wall-clock safety net stopped it first (may differ from run to run). Later is worse."""


POLISH_WORK = 0.3
"""The least work the polish step may take, when the budget allows."""

POLISH_GAP = 0.03
"""The polish step stops once its schedule is within this share of the best possible."""


@dataclass(frozen=True)
class Budget:
    """How much a solve may do: ``work`` in CP-SAT deterministic time units (about a second
    of one core each), ``seconds`` of wall clock as a safety net, and the most share of the
    work the polish step may take (it takes at most half what the search took)."""

    work: float = 30.0
    seconds: float = 600.0
    polish: float = 0.1

    def __post_init__(self) -> None:
        if not (self.work > 0 and self.seconds > 0 and 0 <= self.polish < 1):
            raise ValueError("budget: work and seconds must be positive, polish in [0, 1)")


@dataclass(frozen=True)
class Solved:
    """A solve's answer: the schedule, the interviews in it, the proven most, why it
    stopped (:data:`STATUSES`), the work done and the seconds taken."""

    schedule: Schedule
    held: int
    bound: int
    status: str
    work: float
    seconds: float

    @property
    def proven(self) -> bool:
        return self.status == "optimal" and self.held >= self.bound


def _solver(budget: Budget, work: float, fit: bool = False) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1  # one worker and a fixed seed: the same answer on every run
    p.random_seed = 0
    p.max_deterministic_time = max(work, 1e-3)
    p.max_time_in_seconds = budget.seconds
    # the full linear relaxation with its cuts proves capacities; a lighter one reaches a
    # given number of interviews sooner (fit)
    p.linearization_level = 1 if fit else 2
    p.add_lp_constraints_lazily = False
    p.max_presolve_iterations = 1
    return solver


@dataclass(frozen=True)
class Asked:
    """What a solve is asked besides the plan's rules: ``day_caps`` (caseworker, day) -> most
    interviews that day, ``day_limits`` day -> most interviews that day (see
    :func:`roomplan.capacity.model.build`), a schedule to start from (``hint``), and ``fit``:
    aim at reaching ``day_limits`` rather than proving less is the most."""

    day_caps: Mapping[tuple[str, int], int] | None = None
    day_limits: Mapping[int, int] | None = None
    hint: Schedule | None = None
    fit: bool = False


def solve(
    problem: Problem, days: Sequence[int], budget: Budget = Budget(), asked: Asked = Asked()
) -> Solved:
    """The most interviews ``problem`` can hold on ``days``, with a schedule, within
    ``budget``, held to ``asked``."""
    return solve_both(problem, days, budget, asked)[1]


def solve_both(
    problem: Problem, days: Sequence[int], budget: Budget, asked: Asked = Asked()
) -> tuple[Solved, Solved]:
    """:func:`solve`'s search alone (the answer under :func:`searched` of ``budget``) and with
    its polish, from one program: a day kept both ways is built once."""
    found, built, values = _search(problem, days, budget, asked)
    if built is None or not (budget.polish and found.held):
        return found, found
    return found, _polished(problem, built, values, found, budget)


def _polished(
    problem: Problem, built: Built, values: dict[str, dict], found: Solved, budget: Budget
) -> Solved:
    """``found`` (whose values are ``values`` in ``built``) after the polish step."""
    started = time.perf_counter()
    values, extra = _polish(built, values, found.held, budget, _polish_work(budget, found.work))
    schedule = extract(problem, built, values)
    seconds = found.seconds + time.perf_counter() - started
    return replace(found, schedule=schedule, work=found.work + extra, seconds=seconds)


def _search(
    problem: Problem, days: Sequence[int], budget: Budget, asked: Asked
) -> tuple[Solved, Built | None, dict[str, dict]]:
    """The search of :func:`solve`, with its program and values for the polish (None and {}
    when nothing was solved)."""
    started = time.perf_counter()
    day_limits, hint = asked.day_limits, asked.hint
    # judged on the search's own share: the same under searched(budget), so a day's search
    # kept in a cache is the same whichever way it was asked
    if not affordable(problem, days, searched(budget)):
        # the program alone would cost more than the budget's work: say so, build nothing
        bound = people_bound(problem, days, start_candidates(problem, days))
        if day_limits:
            bound = min(bound, sum(day_limits.get(d, bound) for d in days))
        return Solved(Schedule(), 0, bound, "budget", 0.0, time.perf_counter() - started), None, {}
    built = build(problem, days, asked.day_caps, day_limits)
    if not built.x:
        return Solved(Schedule(), 0, 0, "optimal", 0.0, time.perf_counter() - started), None, {}
    if hint is not None:
        _hint(built, problem, hint)
    ran = _run(built, budget, budget.work * (1 - budget.polish), asked, len(days))
    solver, code, work, main = ran.solver, ran.code, ran.work, ran.limit
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # stopped before any schedule: the solver's bound may not be set yet, so the bound
        # is what the caseworkers' time allows (the empty schedule is valid)
        status = _stop_reason(solver, main, started, budget)
        LOG.debug("solve days=%s: %s", list(days), solver.status_name(code))
        bound = people_bound(problem, days, len(built.x))
        return Solved(Schedule(), 0, bound, status, work, time.perf_counter() - started), None, {}
    held = round(solver.objective_value)
    if code == cp_model.OPTIMAL:
        bound = held
    else:
        bound = max(
            held,
            min(
                int(min(solver.best_objective_bound, ran.bound) + 1e-6),
                people_bound(problem, days, len(built.x)),
            ),
        )
    status = "optimal" if code == cp_model.OPTIMAL else _stop_reason(solver, main, started, budget)
    values = _values(solver, built)
    seconds = time.perf_counter() - started
    LOG.debug(
        "solve days=%s limits=%s caps=%s hint=%s: %d/%d %s work=%.2f %.2fs",
        list(days),
        day_limits,
        bool(asked.day_caps),
        hint is not None,
        held,
        bound,
        status,
        work,
        seconds,
    )
    solved = Solved(extract(problem, built, values), held, bound, status, work, seconds)
    return solved, built, values


QUICK_WORK = 1.0
"""The work a day's solve first spends without CP-SAT's search along its start (see
:func:`_run`)."""


@dataclass(frozen=True)
class _Ran:
    """How :func:`_run` ended: the solver that answered and its status code, the work done
    in all, the work limit that solver had, and the best bound proven on the way."""

    solver: cp_model.CpSolver
    code: cp_model.CpSolverStatus
    work: float
    limit: float
    bound: float


def _run(built: Built, budget: Budget, work: float, asked: Asked, n_days: int) -> _Ran:
    """Solve ``built`` within ``work``.

    A day's solve from a start first tries without the search that follows the start (CP-SAT
    spends its ``hint_conflict_limit`` there; the start still counts as a first schedule):
    on the benchmark's Slagelse weeks that search was about a fifth of the work of days that
    are proven anyway. A day not proven within :data:`QUICK_WORK` goes on with the rest of the
    work as before, from the best schedule found, so a hard day keeps the search along its
    start."""
    done, bound, started = 0.0, float("inf"), time.perf_counter()
    if asked.hint is not None and not asked.fit and n_days == 1:
        quick = _solver(budget, min(work, QUICK_WORK), asked.fit)
        quick.parameters.hint_conflict_limit = 0
        code = quick.solve(built.model)
        if code == cp_model.OPTIMAL or work <= QUICK_WORK:
            return _Ran(quick, code, quick.deterministic_time, min(work, QUICK_WORK), bound)
        done = quick.deterministic_time
        if code == cp_model.FEASIBLE:
            bound = quick.best_objective_bound
            _hint_values(built, _values(quick, built))
    solver = _solver(budget, work - done, asked.fit)
    # one safety net for both steps
    left = budget.seconds - (time.perf_counter() - started)
    solver.parameters.max_time_in_seconds = max(left, 1e-3)
    if asked.hint is not None and (asked.fit or n_days > 1):
        # a mend must start from its schedule: presolve's symmetry fixing can cut the hint
        # off (google/or-tools#4693), and a week then restarts from nothing
        solver.parameters.symmetry_level = 0
    code = solver.solve(built.model)
    return _Ran(solver, code, done + solver.deterministic_time, work - done, bound)


def searched(budget: Budget) -> Budget:
    """The budget of :func:`solve`'s search alone, without its polish step: a day solved
    under it and then :func:`polished` under ``budget`` is the same search and polish."""
    return replace(budget, work=budget.work * (1 - budget.polish), polish=0.0)


def polished(
    problem: Problem, days: Sequence[int], found: Solved, budget: Budget, asked: Asked = Asked()
) -> Solved:
    """``found`` (solved under :func:`searched` of ``budget``) with :func:`solve`'s polish
    step: the same interviews, spread evenly, with less time in rooms. Kept apart so that a
    question that needs only the number (:func:`roomplan.capacity.capacity_estimate`) does
    not pay for the polish."""
    if not budget.polish or not found.held:
        return found
    built = build(problem, days, asked.day_caps, asked.day_limits)
    return _polished(problem, built, _as_values(built, problem, found.schedule), found, budget)


def _polish_work(budget: Budget, work: float) -> float:
    """The polish step's work: half the search's, at least POLISH_WORK, within its share."""
    return min(budget.polish * budget.work, max(POLISH_WORK, work / 2))


@dataclass(frozen=True)
class Priced:
    """A day solved for the most weighted interviews: its schedule, the weighted value of it,
    the proven most weighted value (an upper bound), and the work done."""

    schedule: Schedule
    value: int
    bound: int
    work: float


def priced(
    problem: Problem,
    day: int,
    weights: Mapping[str, int],
    budget: Budget,
    hint: Schedule | None = None,
) -> Priced:
    """The day's schedule with the most interviews weighted by caseworker (``weights``:
    caseworker -> a whole number; the column generation of :mod:`.patterns` prices day
    patterns so), started from ``hint`` (a schedule of that day's program): on a large day
    the search may otherwise spend its budget before it finds any. ``bound`` is proven
    whatever stops the search."""
    if not affordable(problem, [day], budget):
        D = problem.week.interview_ticks
        grid = problem.grids[day]
        most = sum(max(w, 0) * grid.slots(c, D) for c, w in weights.items())
        return Priced(Schedule(), 0, most, 0.0)
    built = build(problem, [day])
    if not built.x:
        return Priced(Schedule(), 0, 0, 0.0)
    if hint is not None:
        _hint(built, problem, hint)
    keys = list(built.x)
    built.model.maximize(
        cp_model.LinearExpr.weighted_sum([built.x[k] for k in keys], [weights[k[0]] for k in keys])
    )
    solver = _solver(budget, budget.work)
    code = solver.solve(built.model)
    most = sum(sorted((weights[k[0]] for k in keys), reverse=True))  # every start held
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Priced(Schedule(), 0, most, solver.deterministic_time)
    value = round(solver.objective_value)
    bound = value if code == cp_model.OPTIMAL else int(solver.best_objective_bound + 1e-6)
    schedule = extract(problem, built, _values(solver, built))
    LOG.debug("priced day=%d: %d/%d work=%.2f", day, value, bound, solver.deterministic_time)
    return Priced(schedule, value, max(value, bound), solver.deterministic_time)


BUILD_FLOOR = 20_000
"""Start candidates any budget builds, however small (under a second of building): the
Slagelse week has 7,650, the 60-caseworker site's week 18,360."""

BUILD_PER_WORK = 25_000
"""Start candidates a unit of work pays for: building takes about 40 µs a candidate here,
so a program is never more than about a second of building per unit of solver work."""


def affordable(problem: Problem, days: Sequence[int], budget: Budget) -> bool:
    """Whether the program for ``days`` is worth building within ``budget``: counted, not
    timed (:func:`.model.start_candidates`), so the same plan and budget decide the same
    way on every machine."""
    most = max(BUILD_FLOOR, budget.work * BUILD_PER_WORK)
    return start_candidates(problem, days) <= most


def people_bound(problem: Problem, days: Sequence[int], most: int) -> int:
    """No schedule holds more than whole interviews fit in each caseworker's time in (nor
    more than ``most``, the starts the program allows)."""
    D = problem.week.interview_ticks
    total = sum(problem.grids[d].slots(c, D) for d in days for c in problem.caps)
    return min(total, most)


def _stop_reason(solver: cp_model.CpSolver, work: float, started: float, budget: Budget) -> str:
    if solver.deterministic_time < 0.999 * work and time.perf_counter() - started >= budget.seconds:
        return "safety_net"
    return "budget"


def _values(solver: cp_model.CpSolver, built: Built) -> dict[str, dict]:
    return {
        "x": {k: bool(solver.boolean_value(v)) for k, v in built.x.items()},
        "y": {k: bool(solver.boolean_value(v)) for k, v in built.y.items()},
    }


def _polish(built: Built, values: dict[str, dict], held: int, budget: Budget, work: float):
    """The same number of interviews, spread as evenly over the caseworkers as the rules let
    (so the weekly caps are easy to keep when days are put together), then with less time
    in rooms, from the schedule found."""
    m = built.model
    m.add(built.count() >= held)
    load = m.new_int_var(0, held, "most_per_caseworker")
    per: dict[str, list] = defaultdict(list)
    for (c, _p, _d, _s), x in built.x.items():
        per[c].append(x)
    for xs in per.values():
        m.add(cp_model.LinearExpr.sum(xs) <= load)
    m.minimize(load * (2 * len(built.y) + 1) + built.room_time())
    m.clear_hints()
    for kind, table in (("x", built.x), ("y", built.y)):
        for k, v in table.items():
            m.add_hint(v, values[kind][k])
    solver = _solver(budget, work, fit=True)
    # within POLISH_GAP of the best is good enough: closing the last percent takes seconds
    # of search that deterministic time hardly counts
    solver.parameters.relative_gap_limit = POLISH_GAP
    code = solver.solve(m)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _values(solver, built), solver.deterministic_time
    return values, solver.deterministic_time


def _as_values(built: Built, problem: Problem, schedule: Schedule) -> dict[str, dict]:
    """The program's values of ``schedule`` (pooled rooms mapped back to their pool)."""
    pool_of = {m: p.id for p in built.spaces if p.id.startswith(POOL) for m in pool_members(p.id)}
    tick = problem.week.tick
    grids = problem.grids
    starts = set()
    inside = set()
    for i in schedule.interviews:
        g = grids.get(i.day)
        if g is None or i.start not in g.minutes:
            continue
        starts.add((i.caseworker, pool_of.get(i.space, i.space), i.day, g.minutes.index(i.start)))
    for s in schedule.stays:
        g = grids.get(s.day)
        if g is None:
            continue
        for t, minute in enumerate(g.minutes):
            if s.start <= minute < s.end and minute + tick <= s.end:
                inside.add((s.caseworker, pool_of.get(s.space, s.space), s.day, t))
    return {"x": {k: k in starts for k in built.x}, "y": {k: k in inside for k in built.y}}


def _hint(built: Built, problem: Problem, schedule: Schedule) -> None:
    """Start the search from ``schedule``."""
    _hint_values(built, _as_values(built, problem, schedule))


def _hint_values(built: Built, values: dict[str, dict]) -> None:
    """Start the next search from ``values`` (instead of any hint before)."""
    built.model.clear_hints()
    for kind, table in (("x", built.x), ("y", built.y)):
        for k, v in table.items():
            built.model.add_hint(v, values[kind][k])


def extract(problem: Problem, built: Built, values: dict[str, dict]) -> Schedule:
    """The schedule of a solution: interviews, and stays as runs of ticks in one room within
    one open period; pooled rooms handed out first come, first served."""
    week = problem.week
    by_id = {p.id: p for p in problem.spaces}
    runs = _runs(problem, values["y"])
    room_of = _rooms_for_pools(runs)
    interviews = []
    for (c, p, d, s), on in values["x"].items():
        if not on:
            continue
        start = problem.grids[d].minutes[s]
        pid = room_of[(c, d, s)] if p.startswith(POOL) else p
        interviews.append(
            Interview(c, d, start, start + week.interview_minutes, pid, by_id[pid].room)
        )
    stays = []
    for c, d, p, first, last in runs:
        g = problem.grids[d]
        pid = room_of[(c, d, first)] if p.startswith(POOL) else p
        stays.append(
            Stay(c, d, by_id[pid].room, pid, g.minutes[first], g.minutes[last] + week.tick)
        )
    interviews.sort(key=lambda i: (i.day, i.start, i.caseworker, i.space))
    stays.sort(key=lambda s: (s.day, s.start, s.caseworker, s.space))
    return Schedule(tuple(interviews), tuple(stays))


def _runs(problem: Problem, y: Mapping[tuple, bool]) -> list[tuple[str, int, str, int, int]]:
    """(caseworker, day, room, first tick, last tick) of each stay."""
    at: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for (c, r, d, t), on in y.items():
        if on:
            at[(c, d, r)].append(t)
    runs = []
    for (c, d, r), ticks in sorted(at.items()):
        g = problem.grids[d]
        ticks.sort()
        first = prev = ticks[0]
        for t in ticks[1:]:
            if t == prev + 1 and g.period[t] == g.period[prev]:
                prev = t
                continue
            runs.append((c, d, r, first, prev))
            first = prev = t
        runs.append((c, d, r, first, prev))
    return runs


def _rooms_for_pools(runs) -> dict[tuple[str, int, int], str]:
    """A room of its pool for every tick of every stay in a pool: stays are intervals and
    the pool never holds more than it has rooms, so first come, first served never fails."""
    room_of: dict[tuple[str, int, int], str] = {}
    by_pool: dict[tuple[int, str], list] = defaultdict(list)
    for run in runs:
        if run[2].startswith(POOL):
            by_pool[(run[1], run[2])].append(run)
    for (_, pool), items in sorted(by_pool.items()):
        free_after = {rid: -1 for rid in pool_members(pool)}
        for c, d, _, first, last in sorted(items, key=lambda r: (r[3], r[0])):
            rid = min((r for r, end in free_after.items() if end < first), key=lambda r: r)
            free_after[rid] = last
            for t in range(first, last + 1):
                room_of[(c, d, t)] = rid
    return room_of
