"""``recommend(plan, week, options)``: the cheapest measures that hold the weekly demand and a
busy week, the gentlest alternative, and the front of cost against interviews held.

Each option carries its measures, cost (low / typical / high), disruption, lead time, the edited
plan, week and capacity question, and the full :class:`~roomplan.capacity.CapacityResult` at
each target, so its figures are those of :func:`roomplan.capacity.plan_capacity` on the edited
plan (held, with the interval where unproven). How the options are found: :mod:`.search`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from roomplan.capacity import (
    CapacityOptions,
    CapacityResult,
    Week,
    plan_capacity,
)
from roomplan.plan.model import Plan
from roomplan.recommend.candidates import (
    DISRUPTIONS,
    Candidate,
    Selection,
    candidates,
)
from roomplan.recommend.catalogue import Catalogue, read_catalogue
from roomplan.recommend.evaluate import Figure, Job, Runner, default_processes, job_cache
from roomplan.recommend.search import (
    Point,
    Progress,
    Search,
    front,
    greedy,
    held,
    pruned,
    strongest,
    targets_of,
)
from roomplan.scenarios import changed_rooms

GENTLE = "light_building"
"""The most disruption of the gentle option: no major building work."""

SCHEDULER_ENV = "ROOMPLAN_DASK_SCHEDULER"


@dataclass(frozen=True)
class RecommendOptions:
    """targets: interviews a week to hold (default: the demand and its 95th percentile week);
    catalogue: the measures (default: the bundled one); capacity: the demand, spread and the
    full work budget of each option's figures; budget_dkk: the most to spend (typical cost);
    questions: the most capacity questions the search asks (deterministic); processes: local
    processes asking them (1: this process); scheduler: a Dask scheduler's address (default
    from ``ROOMPLAN_DASK_SCHEDULER``), used instead of local processes."""

    targets: tuple[int, ...] | None = None
    catalogue: Catalogue | None = None
    capacity: CapacityOptions = field(default_factory=CapacityOptions)
    budget_dkk: float | None = None
    questions: int = 300
    processes: int = field(default_factory=default_processes)
    scheduler: str | None = field(default_factory=lambda: os.environ.get(SCHEDULER_ENV) or None)


@dataclass(frozen=True)
class Option(Selection):
    """A recommended selection of measures. role: "demand" (cheapest found that holds the first
    target), "peak" (the busy week too), "gentle" (no major building work); results: the full
    capacity answer at each target on the edited plan."""

    role: str
    chosen: tuple[Candidate, ...]
    plan: Plan
    week: Week
    options: CapacityOptions
    results: tuple[CapacityResult, ...]
    rooms_changed: tuple[str, ...]

    def holds(self, i: int) -> bool:
        """Whether target ``i`` is held: a schedule of the full answer shows it."""
        r = self.results[i]
        return r.held >= r.demand


@dataclass(frozen=True)
class Recommendation:
    """The answer: the targets, the plan as it is, what every measure together reaches, the
    options, the front per target, and how much the search asked. reachable per target: True
    (an option holds it), False (proven: not even every measure together holds it), None (not
    found within the search, not proven impossible). by_disruption: for each most disruption
    allowed, least first, the cheapest point asked that holds the first target (or None);
    ranked: selections only ranked by their max-flow bounds, never asked in full."""

    plan: Plan
    targets: tuple[int, ...]
    baseline: tuple[Figure, ...]
    everything: Point | None
    options: tuple[Option, ...]
    fronts: tuple[tuple[Point, ...], ...]
    reachable: tuple[bool | None, ...]
    questions: int
    exhausted: bool
    candidates: int
    budget_dkk: float | None = None
    by_disruption: tuple[tuple[str, Point | None], ...] = ()
    ranked: int = 0

    def option(self, role: str) -> Option | None:
        return next((o for o in self.options if o.role == role), None)


def recommend(
    plan: Plan,
    week: Week | None = None,
    options: RecommendOptions | None = None,
    *,
    progress: Progress | None = None,
) -> Recommendation:
    """The cheapest measures of the catalogue that let ``plan`` hold each target, and more
    (see :class:`Recommendation` and :mod:`roomplan.recommend.search`)."""
    week = week or Week()
    options = options or RecommendOptions()
    with Runner(options.processes, options.scheduler) as runner:
        return recommend_on(runner, plan, week, options, progress)


def recommend_on(
    runner: Runner,
    plan: Plan,
    week: Week,
    options: RecommendOptions,
    progress: Progress | None = None,
) -> Recommendation:
    """:func:`recommend` asking its questions of ``runner`` (shared by the sites of a
    portfolio); ``options.processes`` and ``options.scheduler`` are the runner's."""
    return recommend_searched(runner, plan, week, options, progress)[0]


def recommend_searched(
    runner: Runner,
    plan: Plan,
    week: Week,
    options: RecommendOptions,
    progress: Progress | None = None,
) -> tuple[Recommendation, Search]:
    """:func:`recommend_on` and its search, whose questions and solved days a further full
    answer of one of its points starts from (:meth:`Search.full_job`)."""
    catalogue = options.catalogue or read_catalogue()
    cap = options.capacity
    targets = targets_of(cap.demand, options.targets)
    pool = candidates(plan, week, cap, catalogue)
    if options.budget_dkk is not None:
        pool = tuple(c for c in pool if c.cost.typical <= options.budget_dkk)
    search = Search(
        plan,
        week,
        cap.replace(threads=1),
        targets,
        runner,
        options.questions,
        options.budget_dkk,
        progress,
    )
    base, everything = search.evaluate([(), strongest(pool)])
    assert base is not None  # the plan as it is needs no edit
    found = _found(search, pool, targets)
    chosen = _options(found)
    edited = [search.edited(c) for _, c in chosen]
    edited = [(p, w, o.replace(threads=cap.threads)) for p, w, o in edited]
    # one job per option and target: more to spread over the workers (a day's answer depends
    # on the day alone, so it is the same whichever job solves it); worker processes each take
    # one core, and the answer is the same with any number of threads
    threads = 1 if runner.processes > 1 or runner.scheduler else cap.threads
    # each with the days its question solved: only their polish is left to do
    jobs = [search.full_job(c, target, threads) for _, c in chosen for target in targets]
    answers = runner.map(jobs, full_answers)
    n = len(targets)
    results = [
        tuple(r for a in answers[k * n : (k + 1) * n] for r in a) for k in range(len(chosen))
    ]
    out = tuple(
        Option(role, c, p, w, o, r, changed_rooms(plan, p))
        for (role, c), (p, w, o), r in zip(chosen, edited, results, strict=True)
    )
    # within the budget only: every measure together is asked (reachability) at any cost
    points = [p for p in search.points.values() if search.affordable(p)]
    answer = Recommendation(
        plan=plan,
        targets=targets,
        baseline=base.figures,
        everything=everything,
        options=out,
        fronts=tuple(tuple(front(points, i)) for i in range(len(targets))),
        reachable=tuple(_reachable(out, everything, i) for i in range(len(targets))),
        questions=search.asked,
        exhausted=search.left() <= 0,
        candidates=len(pool),
        budget_dkk=options.budget_dkk,
        by_disruption=tuple((d, _cheapest(search, 0, d)) for d in DISRUPTIONS),
        ranked=len(search.bounded.keys() - search.known.keys()),
    )
    return answer, search


def _found(search: Search, pool: Sequence[Candidate], targets: tuple[int, ...]) -> dict[str, Point]:
    """The search's points for each role (see :class:`Option`): the greedy runs, then the
    cheapest of every point asked that holds the role's target."""
    first = greedy(search, pool, (), 0)
    if first is None:
        return {}
    if first.figures[0].reaches:
        pruned(search, first, 0)
    found = {"demand": _cheapest(search, 0) or first}
    if len(targets) > 1:
        peak = greedy(search, pool, found["demand"].chosen, 1)
        if peak is not None and peak.figures[1].reaches:
            pruned(search, peak, 1)
        found["peak"] = _cheapest(search, 1) or peak or found["demand"]
        # the busy week's run may have found the demand held, or held for less
        found["demand"] = _cheapest(search, 0) or found["demand"]
    if _level(found["demand"].disruption) > _level(GENTLE):
        gentle_pool = [c for c in pool if _level(c.measure.disruption) <= _level(GENTLE)]
        gentle = greedy(search, gentle_pool, (), 0)
        if gentle is not None and gentle.figures[0].reaches:
            pruned(search, gentle, 0)
        best = _cheapest(search, 0, GENTLE)
        if best is not None:
            found["gentle"] = best
    return found


def _level(disruption: str) -> int:
    return DISRUPTIONS.index(disruption)


def _cheapest(search: Search, i: int, most: str | None = None) -> Point | None:
    """The cheapest point asked that holds target ``i`` (a schedule shows it), with at most
    ``most`` disruption; fewer measures, then their ids, break ties."""
    holding = [
        p
        for p in search.points.values()
        if p.figures[i].reaches
        and search.affordable(p)
        and (most is None or _level(p.disruption) <= _level(most))
    ]
    return min(
        holding,
        key=lambda p: (p.cost.typical, len(p.chosen), [c.id for c in p.chosen]),
        default=None,
    )


def _options(found: dict[str, Point]) -> list[tuple[str, tuple]]:
    """The roles and their measures, each selection once (a role whose point is another's is
    left out)."""
    out: list[tuple[str, tuple]] = []
    seen: set[tuple] = set()
    for role in ("demand", "peak", "gentle"):
        p = found.get(role)
        if p is None or p.chosen in seen:
            continue
        if role == "peak" and held(p, 1) <= held(found["demand"], 1):
            continue  # the busy week gained nothing over the demand's option
        seen.add(p.chosen)
        out.append((role, p.chosen))
    return out


def full_answers(job: Job) -> tuple[CapacityResult, ...]:
    """The full answers of ``job`` at each of its demands (one plan cache); each starts from
    the same fast answer the search had, so it never holds fewer. Only the held figure is
    asked (``held_only``): an option is judged by what it holds of each target. The days
    the job carries (its search's question solved them) are not searched again."""
    cache = job_cache(job)
    return tuple(
        plan_capacity(
            job.plan, job.week, job.options.replace(demand=d, held_only=True), cache=cache
        )
        for d in job.demands
    )


def _reachable(options: Sequence[Option], everything: Point | None, i: int) -> bool | None:
    if any(o.holds(i) for o in options):
        return True
    if everything is not None and everything.figures[i].cannot:
        return False
    return None
