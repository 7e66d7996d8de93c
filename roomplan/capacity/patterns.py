"""Weekly caps by day patterns (column generation).

The days of a week share nothing but the caseworkers' weekly caps, and days with the same
program (:func:`.problem.day_key` and the same demand) are interchangeable. A *pattern* is one
day's schedule of such a kind, known by how many interviews each caseworker holds in it. The
week is a choice of one pattern per day whose counts keep every cap:

    max  sum_j total_j z_j   s.t.  sum_j n_cj z_j <= cap_c,  sum_{j of kind k} z_j <= days_k,
    z_j >= 0 whole

(Dantzig-Wolfe: Desrosiers & Luebbecke, "A primer in column generation", in *Column
Generation*, Springer 2005). Its linear relaxation is solved over the patterns found so far;
the caps' shadow prices ``lambda_c`` then price new patterns: a day solved for the most
interviews weighted ``1 - lambda_c`` (:func:`.solve.priced`). For any ``0 <= lambda <= 1``
no week holds more than

    sum_c lambda_c cap_c + sum_k days_k * max_day sum_c (1 - lambda_c) n_c

(the Lagrangian bound), and it holds with the pricing solver's proven bound in place of the
maximum, so every round gives a valid bound whether or not the pricing was solved to the end.
The week itself is the best whole choice over the patterns found (an integer program), which
keeps every rule because each pattern is a real day's schedule.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.sat.python import cp_model

from roomplan.capacity.problem import Problem, day_key
from roomplan.capacity.schedule import Schedule, merged, moved
from roomplan.capacity.solve import Asked, Budget, Solved, priced, solve

LOG = logging.getLogger("roomplan.capacity")

SCALE = 1000
"""Prices are whole thousandths: the pricing program's weights are 1000 - 1000 * lambda."""

CHOICE_WORK = 10.0
"""The most work for the whole choice of patterns (a few hundredths on every plan measured)."""

ROUNDS = 40
"""The most pricing rounds (each solves one day of every kind)."""


@dataclass(frozen=True)
class _Pattern:
    kind: int
    counts: tuple[int, ...]  # per caseworker, in the order of ``people``
    schedule: Schedule  # on the kind's first day


@dataclass
class _Master:
    """The patterns found so far and what is needed to choose among them."""

    problem: Problem
    people: tuple[str, ...]
    kinds: list[list[int]]  # the days of each kind
    patterns: list[_Pattern]
    day_bounds: Mapping[int, int]  # each day's proven capacity
    z: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the relaxation's choice

    def add(self, kind: int, schedule: Schedule) -> bool:
        """Keep ``schedule`` (on a day of ``kind``, moved to its first day) as a pattern,
        unless one with the same counts is kept already."""
        demand = min(self.day_bounds[d] for d in self.kinds[kind])
        if len(schedule) > demand:
            return False  # more than the day's demand: not a pattern of this program
        per = schedule.per_caseworker()
        counts = tuple(per.get(c, 0) for c in self.people)
        if any(p.kind == kind and p.counts == counts for p in self.patterns):
            return False
        self.patterns.append(_Pattern(kind, counts, moved(schedule, self.kinds[kind][0])))
        return True

    def _rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Objective, constraint matrix (caps, then kinds) and right-hand sides."""
        n = np.array([p.counts for p in self.patterns], dtype=float).T
        kind = np.zeros((len(self.kinds), len(self.patterns)))
        for j, p in enumerate(self.patterns):
            kind[p.kind, j] = 1.0
        caps = [self.problem.caps[c] for c in self.people]
        rhs = np.array(caps + [len(days) for days in self.kinds], dtype=float)
        return n.sum(axis=0), np.vstack([n, kind]), rhs

    def relaxed(self) -> np.ndarray:
        """The caps' shadow prices in the linear relaxation (0 to 1)."""
        # imported here: scipy.optimize takes 0.4 s to import, and most weeks never price
        from scipy.optimize import linprog

        total, a, rhs = self._rows()
        lp = linprog(-total, A_ub=a, b_ub=rhs, bounds=(0, None), method="highs")
        self.z = np.asarray(lp.x)
        duals = -np.asarray(lp.ineqlin.marginals)
        return np.clip(duals[: len(self.people)], 0.0, 1.0)

    def most(self, kind: int, weights: Mapping[str, int]) -> int:
        """No day of ``kind`` is worth more at ``weights`` than its proven capacity of
        interviews, each given to the highest weighted caseworker whose time is left."""
        day = self.kinds[kind][0]
        left = self.day_bounds[day]
        ticks = self.problem.week.interview_ticks
        total = 0
        for c in sorted(self.people, key=lambda c: (-weights[c], c)):
            n = min(left, self.problem.grids[day].slots(c, ticks), self.problem.caps[c])
            total += n * weights[c]
            left -= n
        return total

    def best(self, kind: int, weights: Mapping[str, int]) -> Schedule | None:
        """The pattern of ``kind`` worth the most at ``weights`` (the pricing starts from
        it; found again, no better pattern was found)."""
        mine = [p for p in self.patterns if p.kind == kind]
        if not mine:
            return None
        w = [weights[c] for c in self.people]
        worth = [sum(a * b for a, b in zip(p.counts, w, strict=True)) for p in mine]
        return mine[worth.index(max(worth))].schedule

    def allotted(self) -> dict[tuple[str, int], int]:
        """Each caseworker's interviews a day, rounded down from the relaxation's choice and
        spread evenly over the days of a kind (so they keep the caps): the caps of the days
        solved for patterns the relaxation wants but no pattern found has whole."""
        out: dict[tuple[str, int], int] = {}
        for k, days in enumerate(self.kinds):
            mine = [j for j, p in enumerate(self.patterns) if p.kind == k]
            for i, c in enumerate(self.people):
                total = sum(self.patterns[j].counts[i] * self.z[j] for j in mine)
                whole = math.ceil(total - 1e-6)
                base, extra = divmod(whole, len(days))
                for r, d in enumerate(days):
                    out[(c, d)] = base + (1 if (r - i) % len(days) < extra else 0)
        return out

    def chosen(self) -> Schedule:
        """The best week over the patterns: a whole number of each, one per day (a small
        integer program, solved by CP-SAT on one worker: HiGHS's MIP prints debug lines to
        standard output, which would break ``--json``)."""
        total, a, rhs = self._rows()
        m = cp_model.CpModel()
        z = [
            m.new_int_var(0, len(self.kinds[p.kind]), f"z{j}") for j, p in enumerate(self.patterns)
        ]
        for row, most in zip(a.astype(int), rhs.astype(int), strict=True):
            m.add(cp_model.LinearExpr.weighted_sum(z, [int(v) for v in row]) <= int(most))
        m.maximize(cp_model.LinearExpr.weighted_sum(z, [int(v) for v in total]))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_deterministic_time = CHOICE_WORK
        code = solver.solve(m)
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        taken = [solver.value(v) if found else 0 for v in z]
        parts = []
        for k, days in enumerate(self.kinds):
            free = list(days)
            for j, p in enumerate(self.patterns):
                if p.kind == k:
                    for _ in range(taken[j]):
                        parts.append(moved(p.schedule, free.pop(0)))
        return merged(parts)


def kinds_of(
    problem: Problem, days: Sequence[int], day_bounds: Mapping[int, int]
) -> list[list[int]]:
    """The days grouped by kind: the same program and the same demand, where the demand
    limits the day (``day_bounds``: day -> the most it holds at its demand; a demand above
    it is no limit, so Monday's 48 and Wednesday's 47 are one kind on a day that holds 31)."""
    groups: dict[Hashable, list[int]] = {}
    for d in sorted(days):
        demand = problem.demand[d]
        limits = demand is not None and demand <= day_bounds.get(d, demand)
        groups.setdefault((day_key(problem, d), demand if limits else None), []).append(d)
    return list(groups.values())


DIVES = 1
"""The most times days are solved at the relaxation's shares when a gap is left."""


def by_patterns(
    problem: Problem,
    starts: Sequence[Schedule],
    bound: int,
    day_bounds: Mapping[int, int],
    budget: Budget,
) -> Solved:
    """The most interviews a week holds within the weekly caps, with a schedule and a bound
    (at most ``bound``, known before; each day at most ``day_bounds``), from day patterns
    priced within ``budget``; the patterns start from the days of each schedule in
    ``starts``.

    Pricing rounds run until no new pattern comes or the whole choice reaches the bound; a
    gap left between the whole choice and the relaxation is then narrowed by solving the
    days at the relaxation's share of each caseworker (:meth:`_Master.allotted`), which
    gives the patterns it combines, and pricing again."""
    people = tuple(sorted(c for c, n in problem.caps.items() if n > 0))
    kinds = kinds_of(problem, list(problem.open_days), day_bounds)
    master = _Master(problem, people, kinds, [], day_bounds)
    for schedule in starts:
        for k, group in enumerate(master.kinds):
            for d in group:
                master.add(k, _on(schedule, d))
    step = replace(budget, work=budget.work / 20, polish=0.0)
    best, work = bound, 0.0
    for _ in range(DIVES):
        best, work = _priced_rounds(master, best, work, step, budget.work)
        if len(master.chosen()) >= best or work >= budget.work:
            break
        share = master.allotted()
        for k, group in enumerate(master.kinds):
            for d in group:
                day = solve(problem, [d], step, Asked(day_caps=share))
                work += day.work
                master.add(k, day.schedule)
    schedule = master.chosen()
    LOG.debug("patterns: %d, week %d, bound %d", len(master.patterns), len(schedule), best)
    status = "optimal" if len(schedule) >= best else "budget"
    return Solved(schedule, len(schedule), max(best, len(schedule)), status, work, 0.0)


def _priced_rounds(
    master: _Master, best: int, work: float, step: Budget, most: float
) -> tuple[int, float]:
    """Pricing rounds (see the module docstring) until no new pattern comes, the whole
    choice reaches the bound, or the work reaches ``most``: the bound and the work after."""
    problem, people = master.problem, master.people
    caps = np.array([problem.caps[c] for c in people], dtype=float)
    for _ in range(ROUNDS):
        prices = master.relaxed()
        # weight at least 1: a caseworker priced out still adds to a pattern, not nothing
        weights = {c: max(1, SCALE - round(SCALE * p)) for c, p in zip(people, prices, strict=True)}
        used = np.array([1.0 - weights[c] / SCALE for c in people])  # the exact prices priced
        lagrange, found, proven = float(used @ caps), False, True
        for k, group in enumerate(master.kinds):
            day = priced(problem, group[0], weights, step, master.best(k, weights))
            work += day.work
            lagrange += len(group) * min(day.bound, master.most(k, weights)) / SCALE
            found |= master.add(k, day.schedule)
            proven &= day.bound <= day.value
        best = min(best, math.floor(lagrange + 1e-9))
        held = len(master.chosen())
        LOG.debug(
            "patterns: %d, week %d, bound %d (%.2f)", len(master.patterns), held, best, lagrange
        )
        if held >= best or work >= most or (not found and proven):
            break
        if not found:
            # stuck on pricings the step could not finish: the next round may do twice the work
            step = replace(step, work=min(2 * step.work, most - work))
    return best, work


def _on(schedule: Schedule, day: int) -> Schedule:
    return Schedule(
        tuple(i for i in schedule.interviews if i.day == day),
        tuple(s for s in schedule.stays if s.day == day),
    )
