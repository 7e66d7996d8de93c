"""One budget over several sites: which measures to buy where so that the most interviews are
held privately across a municipality's jobcentres.

Each site is searched as by :func:`~roomplan.recommend.recommend` (the budget is the most any
one site may take), all sites asking the same runner, so a Dask cluster serves the whole
portfolio. Each site's front towards its weekly demand (cost against interviews held, the plan
as it is at cost 0) is then a set of choices, and one choice per site is made so that the sites
together hold the most for at most the budget, the cheapest such (a multiple-choice knapsack,
solved exactly over the fronts by merging them two at a time and keeping only the undominated
combinations). The allocation is exact over the fronts the searches found; each front is a
search's, so a cheaper way to a site's figure may exist (as for one site). The chosen selection
of each site is asked again in full (:func:`roomplan.capacity.plan_capacity`), from the days its
search solved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from roomplan.capacity import CapacityResult, Week
from roomplan.i18n import t
from roomplan.plan.model import Plan
from roomplan.recommend.advice import (
    Recommendation,
    RecommendOptions,
    full_answers,
    recommend_searched,
)
from roomplan.recommend.candidates import Candidate, Selection
from roomplan.recommend.catalogue import Cost
from roomplan.recommend.evaluate import Runner
from roomplan.recommend.search import Point, Progress, Search, held


@dataclass(frozen=True)
class Site(Selection):
    """One site of a portfolio: its own recommendation, the point of its front the budget buys
    (``chosen``: its measures) and the full capacity answer with them at its demand."""

    chosen: tuple[Candidate, ...]
    recommendation: Recommendation
    point: Point
    result: CapacityResult

    @property
    def name(self) -> str:
        return self.recommendation.plan.name


@dataclass(frozen=True)
class Portfolio:
    """The sites with what the budget buys at each; ``budget_dkk`` None: no limit (each site
    gets the cheapest found that holds the most)."""

    sites: tuple[Site, ...]
    budget_dkk: float | None

    @property
    def cost(self) -> Cost:
        total = Cost(0.0, 0.0, 0.0)
        for s in self.sites:
            total = total + s.cost
        return total

    @property
    def demand(self) -> int:
        return sum(s.result.demand for s in self.sites)

    @property
    def held(self) -> int:
        """Interviews held privately over all sites towards their demands (schedules)."""
        return sum(min(s.result.held, s.result.demand) for s in self.sites)


def allocate(
    choices: Sequence[Sequence[tuple[float, int]]], budget: float | None
) -> tuple[int, ...] | None:
    """One index into each site's ``choices`` ((cost, held) pairs) so that the sum held is the
    most for a total cost within ``budget``, the cheapest such; ties go to the earlier
    choices. None when no combination is within the budget. Exact: the undominated
    combinations of the sites so far are kept (cost up, held strictly up) and merged with the
    next site's choices."""
    states: list[tuple[float, int, tuple[int, ...]]] = [(0.0, 0, ())]
    for site in choices:
        merged = [
            (cost + c, total + h, picks + (k,))
            for cost, total, picks in states
            for k, (c, h) in enumerate(site)
            if budget is None or cost + c <= budget
        ]
        merged.sort(key=lambda s: (s[0], -s[1], s[2]))
        states = []
        for s in merged:
            if not states or s[1] > states[-1][1]:
                states.append(s)
        if not states:
            return None
    return states[-1][2]


def portfolio(
    sites: Sequence[tuple[Plan, Week]],
    options: RecommendOptions | None = None,
    demands: Sequence[int] | None = None,
    *,
    progress: Progress | None = None,
) -> Portfolio:
    """What ``options.budget_dkk`` buys across ``sites`` (see the module). demands: each
    site's weekly interviews (default: ``options.capacity.demand`` for every site); each
    site's targets are its demand and busy week (``options.targets`` is not used); the other
    options apply to every site."""
    options = options or RecommendOptions()
    if demands is not None and len(demands) != len(sites):
        raise ValueError(t("portfolio.bad_demands", None, n=len(demands), sites=len(sites)))
    demands = list(demands) if demands is not None else [options.capacity.demand] * len(sites)
    with Runner(options.processes, options.scheduler) as runner:
        answers: list[Recommendation] = []
        searches: list[Search] = []
        for k, ((plan, week), demand) in enumerate(zip(sites, demands, strict=True)):
            # each site's front is towards its own demand (and its busy week)
            site_options = replace(
                options, targets=None, capacity=options.capacity.replace(demand=demand)
            )
            step = _scaled(progress, k, len(sites))
            answer, search = recommend_searched(runner, plan, week, site_options, step)
            answers.append(answer)
            searches.append(search)
        fronts = [a.fronts[0] for a in answers]
        picks = allocate(
            [[(p.cost.typical, held(p, 0)) for p in f] for f in fronts], options.budget_dkk
        )
        if picks is None:  # only when the budget is not a number of kroner
            raise ValueError(t("cli.bad_budget", None))
        points = [f[k] for f, k in zip(fronts, picks, strict=True)]
        # each from the days its site's search solved: only their polish is left to do
        threads = 1 if runner.processes > 1 or runner.scheduler else options.capacity.threads
        jobs = [
            search.full_job(point.chosen, demand, threads)
            for search, point, demand in zip(searches, points, demands, strict=True)
        ]
        results = runner.map(jobs, full_answers)
    return Portfolio(
        tuple(Site(p.chosen, a, p, r[0]) for a, p, r in zip(answers, points, results, strict=True)),
        options.budget_dkk,
    )


def _scaled(progress: Progress | None, k: int, n: int) -> Progress | None:
    if progress is None:
        return None
    return lambda f, m: progress((k + f) / n, m)
