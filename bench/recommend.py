"""Recommendations: the Slagelse front's time and questions, and questions per second.

    python bench/recommend.py [--questions 300] [--sample 8] [--no-cluster]

1. Throughput on a fixed sample of capacity questions (the first ``--sample`` single measures of
   the bundled catalogue on the Slagelse plan): the search's fast question
   (:func:`roomplan.capacity.capacity_estimate`) in 1 process, in all local processes, and on a
   2-worker Dask LocalCluster; and, in the same run, the baseline of asking each in full
   (:func:`roomplan.capacity.plan_capacity`) in 1 process.
2. The Slagelse recommendation with all local processes: time, questions, the options and the
   front. Target on this 2-core machine: under 60 s.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roomplan import load_plan  # noqa: E402
from roomplan.capacity import CapacityOptions, PlanCache, Week, plan_capacity  # noqa: E402
from roomplan.recommend import RecommendOptions, read_catalogue, recommend  # noqa: E402
from roomplan.recommend import text as words  # noqa: E402
from roomplan.recommend.candidates import applied, candidates  # noqa: E402
from roomplan.recommend.evaluate import Job, Runner, default_processes  # noqa: E402

PLAN = ROOT / "floorplans" / "slagelse-oestre-skole.json"


def _full(job: Job) -> int:
    cache = PlanCache(job.plan)
    return plan_capacity(job.plan, job.week, job.options, cache=cache).held


def sample_jobs(n: int) -> list[Job]:
    plan, week = load_plan(PLAN), Week()
    options = CapacityOptions(threads=1)
    pool = candidates(plan, week, options, read_catalogue())
    jobs = []
    for c in pool[:: max(1, len(pool) // n)][:n]:
        p, w, o = applied(plan, week, options, [c])
        jobs.append(Job(p, w, o, (237,)))
    return jobs


def rate(label: str, runner: Runner, jobs: list[Job], fn=None) -> float:
    runner.map(jobs[:1], fn) if fn else runner.map(jobs[:1])  # start the workers first
    started = time.perf_counter()
    runner.map(jobs, fn) if fn else runner.map(jobs)
    seconds = time.perf_counter() - started
    print(f"{label:<44} {len(jobs) / seconds:6.2f} questions/s  ({seconds:.1f} s)")
    return seconds


def throughput(n: int, cluster: bool) -> None:
    jobs = sample_jobs(n)
    print(f"== throughput on {len(jobs)} single measures of the Slagelse plan")
    with Runner(1) as one:
        full = rate("baseline: plan_capacity in full, 1 process", one, jobs, _full)
        fast = rate("fast questions, 1 process", one, jobs)
    print(f"{'fast against full (1 process)':<44} {full / fast:6.2f} x")
    with Runner(default_processes()) as many:
        rate(f"fast questions, {default_processes()} local processes", many, jobs)
    if cluster:
        try:
            from distributed import LocalCluster
        except ImportError:
            print("Dask distributed not installed: pip install 'roomplan[cluster]'")
            return
        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as lc,
            Runner(scheduler=lc.scheduler_address) as dask,
        ):
            rate("fast questions, 2-worker Dask LocalCluster", dask, jobs)


def slagelse(questions: int) -> None:
    print(f"== the Slagelse recommendation ({default_processes()} local processes)")
    plan = load_plan(PLAN)
    started = time.perf_counter()
    answer = recommend(plan, Week(), RecommendOptions(questions=questions))
    seconds = time.perf_counter() - started
    print(
        f"time {seconds:.1f} s (target < 60 s), {answer.questions} questions "
        f"({answer.questions / seconds:.2f}/s), {answer.candidates} measures"
    )
    for line in words.lines(answer, "en"):
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--sample", type=int, default=8)
    parser.add_argument("--no-cluster", action="store_true")
    args = parser.parse_args()
    throughput(args.sample, not args.no_cluster)
    slagelse(args.questions)


if __name__ == "__main__":
    main()
