"""How many interviews a selection of measures lets the plan hold, asked of many selections at
once: in this process, in local processes, or on a Dask distributed cluster.

Every figure is a schedule (``held``: that many can be held, certain) and a proven most
(``bound``) of the edited plan. Selections that give the same
capacity question (the same private spaces, staff, week and booking) are asked once.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from roomplan.capacity import (
    CapacityOptions,
    PlanCache,
    Week,
    capacity_bounds,
    capacity_estimate,
)
from roomplan.capacity.cache import SolvedDays
from roomplan.i18n import t
from roomplan.plan.model import Plan


@dataclass(frozen=True)
class Figure:
    """Interviews held at one demand: at least ``held`` (a schedule keeps every rule), at most
    ``bound`` (proven)."""

    demand: int
    held: int
    bound: int

    @property
    def proven(self) -> bool:
        return self.held >= self.bound

    @property
    def reaches(self) -> bool:
        """The demand can be held: a schedule shows it."""
        return self.held >= self.demand

    @property
    def cannot(self) -> bool:
        """The demand cannot be held: the bound proves it."""
        return self.bound < self.demand


@dataclass(frozen=True)
class Job:
    """One capacity question: the edited plan, week and options, asked at each demand;
    ``days``: days already solved for this plan (by the search's question), which its cache
    starts with: a day's answer is the same whichever question solved it."""

    plan: Plan
    week: Week
    options: CapacityOptions
    demands: tuple[int, ...]
    days: SolvedDays = SolvedDays()


def job_cache(job: Job) -> PlanCache:
    """The plan cache ``job``'s answers start from: its plan's, with the days it carries."""
    cache = PlanCache(job.plan)
    cache.take_days(job.days)
    return cache


def figures_of(job: Job) -> tuple[Figure, ...]:
    """The fast figures of ``job`` (:func:`roomplan.capacity.capacity_estimate`: the days
    solved exactly, the weekly caps kept without the week-level search); run in a worker,
    a plain function of its argument."""
    return answered(job)[0]


def answered(job: Job) -> tuple[tuple[Figure, ...], SolvedDays]:
    """:func:`figures_of` and the days solved for them, which a full answer of the same plan
    need not search again (a worker's cache dies with its job)."""
    cache = job_cache(job)

    def ask(options: CapacityOptions) -> tuple[int, int]:
        e = capacity_estimate(job.plan, job.week, options, cache=cache)
        return e.held, e.bound

    figures = tuple(Figure(d, *ask(job.options.replace(demand=d))) for d in job.demands)
    return figures, cache.solved_days()


def bounds_of(job: Job) -> tuple[Figure, ...]:
    """The max-flow figures of ``job`` (:func:`roomplan.capacity.capacity_bounds`, a tenth of
    a second): a schedule (``held``) and a proven most (``bound``), looser than
    :func:`figures_of`'s; the search ranks measures by them before asking in full."""

    cache = PlanCache(job.plan)

    def ask(options: CapacityOptions) -> tuple[int, int]:
        b = capacity_bounds(job.plan, job.week, options, cache=cache)
        return b.lower, b.upper

    return tuple(Figure(d, *ask(job.options.replace(demand=d))) for d in job.demands)


def question(job: Job) -> Hashable:
    """What the answer of ``job`` depends on: two selections with the same question have the
    same figures."""
    spaces = PlanCache(job.plan).spaces
    o = job.options
    return (spaces, job.plan.staff, job.week, o.spread, o.budget, job.demands)


CONNECT_SECONDS = 20
"""How long to wait for a Dask scheduler to answer before saying it cannot be reached [s]."""


def default_processes() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _reachable(address: str) -> None:
    """Raise OSError at once if nothing listens at a tcp:// or tls:// scheduler address (Dask's
    client would retry a refused connection until its timeout)."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme in ("tcp", "tls") and parts.hostname and parts.port:
        with socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_SECONDS):
            pass


class Runner:
    """Maps :func:`figures_of` over jobs, results in the order of the jobs whatever runs them:
    this process (``processes=1``), a pool of local processes, or the Dask cluster at
    ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``)."""

    def __init__(self, processes: int = 1, scheduler: str | None = None) -> None:
        self.processes = max(1, processes)
        self.scheduler = scheduler
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None

    def map(self, jobs: Sequence[Job], fn: Callable[[Job], Any] = figures_of) -> list[Any]:
        if not jobs:
            return []
        if self.scheduler:
            return self._dask(jobs, fn)
        if self.processes == 1 or len(jobs) == 1:
            return [fn(j) for j in jobs]
        if self._pool is None:
            # spawn: a forked child would inherit the solver's threads half-way
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context)
        return list(self._pool.map(fn, jobs))

    def _dask(self, jobs: Sequence[Job], fn: Callable[[Job], Any]) -> list[Any]:
        if self._client is None:
            try:
                from distributed import Client
            except ImportError:
                raise ValueError(t("recommend.no_dask", None)) from None
            try:
                _reachable(self.scheduler or "")
                self._client = Client(self.scheduler, timeout=CONNECT_SECONDS)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ValueError(
                    t("recommend.no_scheduler", None, address=self.scheduler, error=str(exc))
                ) from None
        futures = self._client.map(fn, list(jobs), pure=False)
        return list(self._client.gather(futures))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def map_distinct(
    runner: Runner, jobs: Sequence[Job], fn: Callable[[Job], Any] = figures_of
) -> list[Any]:
    """``runner.map(jobs, fn)`` asking each distinct :func:`question` once: edits that leave
    the private spaces as they are (a door's rating moved where nobody hears through it)
    share the answer of the first job that asks it."""
    keys = [question(j) for j in jobs]
    first: dict[Hashable, Job] = {}
    for k, j in zip(keys, jobs, strict=True):
        first.setdefault(k, j)
    answers = dict(zip(first, runner.map(list(first.values()), fn), strict=True))
    return [answers[k] for k in keys]
