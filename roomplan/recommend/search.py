"""The search for the cheapest measures that hold a target, and the front of cost against
interviews held.

1. **What the catalogue can reach.** Every measure that can only help (:data:`MONOTONE_OPS`),
   the strongest of each set of alternatives, applied together: if even that cannot hold a
   target (its proven bound is below), no selection of those measures can.
2. **Greedy, lazily.** From the plan as it is, the measure that adds the most interviews per
   krone is added, until the target is held; a measure's gain is measured again only when it
   comes to the top (lazy greedy, [LAZY-GREEDY] in docs/references.md). A measure never asked
   is first ranked by the max-flow bounds (:func:`roomplan.capacity.capacity_bounds`, a tenth
   of a second): no schedule holds more than their proven most, so a measure whose best case
   per krone is below a ratio already found in that step is not asked. When no single
   measure adds anything, a door and the walls of the same room are tried together (a room is
   only private when both are), pairs ranked and ruled out by their max-flow bounds alike.
3. **Pruned.** Each chosen measure is dropped again, dearest first, if the target still holds
   without it.
4. **Checked in full.** Each option is asked again with the full work budget; its figures are
   :func:`roomplan.capacity.plan_capacity`'s on the edited plan.

During the search each question is answered from the days alone
(:func:`roomplan.capacity.capacity_estimate`): a schedule, so "holds the target" is always
certain, and a proven bound; only the gains that steer the search can be below the full
answer's, which starts from the same schedule and never holds fewer. The search is
deterministic: a fixed number of questions at most (``RecommendOptions.questions``), asked in a
fixed order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace

from roomplan.capacity import CapacityOptions, Week
from roomplan.capacity.cache import SolvedDays
from roomplan.capacity.peaks import busy_demand
from roomplan.plan.edit import EditError
from roomplan.plan.model import Plan
from roomplan.recommend.candidates import (
    Candidate,
    Selection,
    applied,
    compatible,
    cost_of,
)
from roomplan.recommend.evaluate import Figure, Job, Runner, answered, bounds_of, question

Progress = Callable[[float, str], None]

BATCH = 2
"""Questions asked at once, the leaders by their (stale or max-flow) ratio. Fixed, not the
number of workers, so every machine asks the same."""
Chosen = tuple[Candidate, ...]


@dataclass(frozen=True)
class Point(Selection):
    """A selection of measures and what the plan holds with it, at each target's demand."""

    chosen: Chosen
    figures: tuple[Figure, ...]


@dataclass
class Search:
    """The questions asked so far and what is left of the search's budget. ``known``: the
    figures of each question asked in full; ``bounded``: the max-flow figures of those only
    ranked (:func:`~roomplan.recommend.evaluate.bounds_of`), which do not count as questions."""

    plan: Plan
    week: Week
    options: CapacityOptions
    targets: tuple[int, ...]
    runner: Runner
    questions: int
    budget_dkk: float | None = None
    progress: Progress | None = None
    asked: int = 0
    known: dict[Hashable, tuple[Figure, ...]] = field(default_factory=dict)
    days: dict[Hashable, SolvedDays] = field(default_factory=dict)
    bounded: dict[Hashable, tuple[Figure, ...]] = field(default_factory=dict)
    jobs: dict[Chosen, tuple[Hashable, Job] | None] = field(default_factory=dict)
    points: dict[Chosen, Point] = field(default_factory=dict)

    def left(self) -> int:
        return self.questions - self.asked

    def affordable(self, point: Point) -> bool:
        return self.budget_dkk is None or point.cost.typical <= self.budget_dkk

    def evaluate(self, selections: Sequence[Chosen]) -> list[Point | None]:
        """The points of ``selections`` (None: the measures cannot be made together, or the
        budget of questions ran out before it was asked), new questions asked together."""
        chosen = [_canonical(c) for c in selections]
        new: dict[Hashable, Job] = {}
        for c in chosen:
            found = self._job(c)
            if found is None or found[0] in self.known or found[0] in new:
                continue
            if self.asked + len(new) < self.questions:
                new[found[0]] = found[1]
        answers = self.runner.map(list(new.values()), answered)
        self.asked += len(new)
        self.known.update((k, a[0]) for k, a in zip(new, answers, strict=True))
        self.days.update((k, a[1]) for k, a in zip(new, answers, strict=True))
        if self.progress:
            self.progress(min(1.0, self.asked / max(self.questions, 1)), "search")
        return [self._point(c) for c in chosen]

    def optimistic(self, selections: Sequence[Chosen]) -> list[tuple[Figure, ...] | None]:
        """For each selection, figures whose ``bound`` no schedule exceeds: the full ones if
        asked, else the max-flow's (asked together; None: cannot be made)."""
        chosen = [_canonical(c) for c in selections]
        new: dict[Hashable, Job] = {}
        for c in chosen:
            found = self._job(c)
            if found is not None and found[0] not in self.known and found[0] not in self.bounded:
                new.setdefault(found[0], found[1])
        answers = self.runner.map(list(new.values()), bounds_of)
        self.bounded.update(zip(new, answers, strict=True))
        out: list[tuple[Figure, ...] | None] = []
        for c in chosen:
            found = self.jobs[c]
            if found is None:
                out.append(None)
            else:
                out.append(self.known.get(found[0]) or self.bounded[found[0]])
        return out

    def full_job(self, chosen: Chosen, demand: int, threads: int) -> Job:
        """The job of asking ``chosen`` (a point of the search) in full at ``demand`` on
        ``threads``, with the days its question solved."""
        found = self._job(_canonical(chosen))
        if found is None:
            raise ValueError("full_job: the measures cannot be made together")
        key, job = found
        options = job.options.replace(threads=threads)
        days = self.days.get(key, SolvedDays())
        return replace(job, options=options, demands=(demand,), days=days)

    def edited(self, chosen: Chosen) -> tuple[Plan, Week, CapacityOptions]:
        """The plan, week and capacity options with ``chosen`` (a point of the search) made,
        as its question asked them (made once per selection)."""
        found = self._job(_canonical(chosen))
        if found is None:
            raise ValueError("edited: the measures cannot be made together")
        job = found[1]
        return job.plan, job.week, job.options

    def _job(self, chosen: Chosen) -> tuple[Hashable, Job] | None:
        """The question ``chosen`` asks and its job; None if the measures cannot be made."""
        if chosen not in self.jobs:
            try:
                plan, week, options = applied(self.plan, self.week, self.options, chosen)
            except EditError:
                self.jobs[chosen] = None
            else:
                job = Job(plan, week, options, self.targets)
                self.jobs[chosen] = (question(job), job)
        return self.jobs[chosen]

    def _point(self, chosen: Chosen) -> Point | None:
        found = self.jobs.get(chosen)
        if found is None or found[0] not in self.known:
            return None
        if chosen not in self.points:
            self.points[chosen] = Point(chosen, self.known[found[0]])
        return self.points[chosen]


def _canonical(chosen: Sequence[Candidate]) -> Chosen:
    return tuple(sorted(set(chosen), key=lambda c: c.id))


def held(point: Point, i: int) -> int:
    """Interviews held towards target ``i`` (never more than its demand)."""
    f = point.figures[i]
    return min(f.held, f.demand)


def _ratio(gain: int, cost: float) -> float:
    if gain <= 0:
        return -math.inf
    return gain / cost if cost > 0 else gain * 1e12


def greedy(
    search: Search,
    pool: Sequence[Candidate],
    start: Chosen,
    i: int,
) -> Point | None:
    """Measures added to ``start`` one at a time, most interviews per krone first, until target
    ``i`` holds (see the module); the last point reached."""
    (current,) = search.evaluate([start])
    if current is None:
        return None
    stale: dict[str, float] = {c.id: math.inf for c in pool}
    batch = BATCH
    while not current.figures[i].reaches and search.left() > 0:
        step = _step(search, pool, current, i, stale, batch)
        if step is None:
            step = _pairs(search, pool, current, i)
        if step is None:
            break
        current = step
    return current


def _step(
    search: Search,
    pool: Sequence[Candidate],
    current: Point,
    i: int,
    stale: dict[str, float],
    batch: int,
) -> Point | None:
    """The next point of the lazy greedy: candidates in order of their last known ratio (or,
    never asked, their max-flow ratio), a batch at a time, until the best fresh ratio beats
    every stale one."""
    fresh: dict[str, tuple[float, Point]] = {}
    base_cost = current.cost.typical
    _rank(search, pool, current, i, stale)
    if search.budget_dkk is not None:
        # a ratio kept from a cheaper selection: this one may now pass the budget
        for c in pool:
            if cost_of(_canonical(current.chosen + (c,))).typical > search.budget_dkk:
                stale[c.id] = -math.inf
    while True:
        todo = [
            c
            for c in sorted(pool, key=lambda c: (-stale[c.id], c.cost.typical, c.id))
            if c.id not in fresh and compatible(current.chosen, c) and stale[c.id] > -math.inf
        ]
        best = max(fresh.values(), key=lambda v: v[0], default=None)
        if best is not None and (not todo or best[0] >= stale[todo[0].id]):
            return best[1] if best[0] > -math.inf else None
        if not todo or search.left() <= 0:
            return best[1] if best is not None and best[0] > -math.inf else None
        take = todo[:batch]
        points = search.evaluate([current.chosen + (c,) for c in take])
        for c, p in zip(take, points, strict=True):
            if p is None or not search.affordable(p):
                stale[c.id] = -math.inf
                continue
            r = _ratio(held(p, i) - held(current, i), p.cost.typical - base_cost)
            stale[c.id] = r
            fresh[c.id] = (r, p)


def _rank(
    search: Search, pool: Sequence[Candidate], current: Point, i: int, stale: dict[str, float]
) -> None:
    """Measures never ranked get an optimistic ratio, all at once: the interviews the
    max-flow's proven most allows beyond ``current`` per krone. No schedule does better, so
    within this step a measure whose optimistic ratio is below a ratio found cannot be the
    best and is not asked. Across steps a stale ratio is kept as if it still bounded the
    gain (a heuristic: a door and a wall may only help together, which :func:`_pairs`
    tries)."""
    new = [c for c in pool if stale[c.id] == math.inf and compatible(current.chosen, c)]
    if not new:
        return
    # priced as its Point is: each element once
    selections = [_canonical(current.chosen + (c,)) for c in new]
    for c, ratio in zip(new, _optimistic(search, selections, current, i), strict=True):
        stale[c.id] = ratio


def _pairs(search: Search, pool: Sequence[Candidate], current: Point, i: int) -> Point | None:
    """When no single measure helps: a door together with the walls of its room, the best
    per krone. Pairs are asked in order of their max-flow ratio (:func:`_optimistic`), a
    batch at a time, until the best ratio found beats the next pair's optimistic one: no
    pair left could do better."""
    rooms = {c.target: c for c in pool if c.measure.op == "wall"}
    pairs = []
    for door in (c for c in pool if c.measure.op == "door"):
        for rid in search.plan.door(door.target).rooms:
            wall = rooms.get(rid) if rid else None
            if (
                wall is not None
                and compatible(current.chosen, door)
                and compatible(current.chosen, wall)
            ):
                pairs.append(_canonical(current.chosen + (door, wall)))
    ranked = sorted(
        zip(_optimistic(search, pairs, current, i), pairs, strict=True),
        key=lambda r: (-r[0], cost_of(r[1]).typical, [c.id for c in r[1]]),
    )
    ranked = [r for r in ranked if r[0] > -math.inf]
    best, best_ratio = None, -math.inf
    for k in range(0, len(ranked), BATCH):
        if best_ratio >= ranked[k][0] or search.left() <= 0:
            break
        for p in search.evaluate([chosen for _, chosen in ranked[k : k + BATCH]]):
            if p is None or not search.affordable(p):
                continue
            r = _ratio(held(p, i) - held(current, i), p.cost.typical - current.cost.typical)
            if r > best_ratio:
                best, best_ratio = p, r
    return best


def _optimistic(
    search: Search, selections: Sequence[Chosen], current: Point, i: int
) -> list[float]:
    """For each selection, the most interviews per krone it could add to ``current`` towards
    target ``i`` by the max-flow's proven most (-inf: it cannot be made or is over budget)."""
    out = []
    for chosen, f in zip(selections, search.optimistic(selections), strict=True):
        cost = cost_of(chosen).typical
        if f is None or (search.budget_dkk is not None and cost > search.budget_dkk):
            out.append(-math.inf)
            continue
        most = min(max(f[i].bound, f[i].held), f[i].demand)
        out.append(_ratio(most - held(current, i), cost - current.cost.typical))
    return out


def pruned(search: Search, point: Point, i: int) -> Point:
    """``point`` with each measure dropped, dearest first, that target ``i`` holds without."""
    for c in sorted(point.chosen, key=lambda c: (-c.cost.typical, c.id)):
        if c not in point.chosen or search.left() <= 0:
            continue
        rest = tuple(x for x in point.chosen if x is not c)
        (p,) = search.evaluate([rest])
        if p is not None and held(p, i) >= held(point, i):
            point = p
    return point


def strongest(pool: Sequence[Candidate]) -> Chosen:
    """Every measure that can only help, the dearest of each set of alternatives."""
    out: list[Candidate] = []
    for c in sorted(pool, key=lambda c: (-c.cost.typical, c.id)):
        if c.monotone and compatible(out, c):
            out.append(c)
    return tuple(out)


def front(points: Sequence[Point], i: int) -> list[Point]:
    """The points no other beats: cheaper (typical) and holding at least as many towards
    target ``i``, cheapest first."""
    out: list[Point] = []
    for p in sorted(points, key=lambda p: (p.cost.typical, -held(p, i), len(p.chosen))):
        if not out or held(p, i) > held(out[-1], i):
            out.append(p)
    return out


def targets_of(demand: int, targets: Sequence[int] | None) -> tuple[int, ...]:
    """The targets asked: those given, else the weekly demand and its 95th percentile week
    (Poisson, :mod:`roomplan.capacity.peaks`)."""
    if targets:
        return tuple(dict.fromkeys(int(t) for t in targets))
    return tuple(dict.fromkeys((demand, busy_demand(demand))))
