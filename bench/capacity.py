"""Interview capacity: share proven, median and worst time, against a plain baseline.

    python bench/capacity.py [--quick] [--baseline-work 10]

A fixed suite of variants (seeded, the same on every run): both bundled plans, each ready
scenario, the walls-52/doors-35 variant, the rule before 2026-11, and random weeks (absences,
opening hours, caps 6-36, move 0-15 min, windowless 0-8 h, spreads, door/wall/masking/
need-to-know edits) on the Slagelse plan and on generated 20-caseworker sites. For each:
roomplan's answer (day by day, caps exact, deterministic budget) and, in the same run, the
baseline: the same rules as one plain CP-SAT program for the whole week (no cuts, no
decomposition) with ``--baseline-work`` units. Then the 60-caseworker site at 1,500 a week,
even and by opening hours. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ortools.sat.python import cp_model  # noqa: E402

from roomplan import load_plan  # noqa: E402
from roomplan.capacity import (  # noqa: E402
    Absence,
    CapacityOptions,
    DayHours,
    PlanCache,
    Week,
    caps_of,
    plan_capacity,
    spread_demand,
)
from roomplan.capacity.model import build  # noqa: E402
from roomplan.capacity.problem import Problem  # noqa: E402
from roomplan.plan import edit  # noqa: E402
from roomplan.scenarios import NAMED, named  # noqa: E402
from roomplan.synthetic import generated_site  # noqa: E402


def random_week(rng: random.Random, staff: list[str]) -> tuple[Week, int, object]:
    """A week as managers try them: absences, hours, caps, move, windowless, spread."""
    hours = []
    for _ in range(5):
        if rng.random() < 0.1:
            hours.append(DayHours(closed=True))
        else:
            hours.append(
                DayHours(
                    rng.choice(["08:00", "08:30", "09:00"]), rng.choice(["13:00", "15:00", "15:30"])
                )
            )
    if all(h.closed for h in hours):
        hours[0] = DayHours()
    absences = tuple(
        Absence(rng.choice(staff), rng.randrange(5))
        if rng.random() < 0.5
        else Absence(rng.choice(staff), rng.randrange(5), "09:00", rng.choice(["10:00", "11:00"]))
        for _ in range(rng.randint(0, 4))
    )
    week = Week(
        hours=tuple(hours),
        move_minutes=rng.choice([0, 5, 10, 15]),
        windowless_hours=rng.choice([0, 1.5, 3, 8]),
        max_interviews=rng.choice([None, 6, 12, 24, 36]),
        absences=absences,
    )
    spread = rng.choice(["even", "hours", (1, 1, 1, 0, 0), (3, 1, 1, 1, 2)])
    return week, rng.choice([60, 120, 237, 263]), spread


def edited(plan, rng: random.Random):
    """The plan with one random edit of a door, a wall, masking or need-to-know."""
    what = rng.choice(["door", "wall", "masking", "ntk", "none"])
    if what == "door" and plan.doors:
        return edit.set_door(plan, rng.choice(plan.doors).id, rng.choice([30.0, 35.0, 45.0]))
    if what == "wall" and plan.partitions:
        p = rng.choice(plan.partitions)
        return edit.set_wall(plan, p.rooms[0], p.rooms[1], rng.choice([45.0, 52.0, 58.0]))
    if what == "masking":
        rooms = [r.id for r in plan.rooms if r.kind in ("waiting", "corridor")]
        if rooms:
            return edit.set_masking(plan, rng.choice(rooms), 42.0)
    if what == "ntk":
        staff = [s.id for s in plan.staff if s.holds_interviews]
        return edit.add_need_to_know(plan, rng.sample(staff, 2), "rotation")
    return plan


def suite() -> list[tuple[str, object, Week, CapacityOptions]]:
    base = load_plan(ROOT / "floorplans" / "slagelse-oestre-skole.json")
    split = load_plan(ROOT / "floorplans" / "slagelse-oestre-skole-split.json")
    strong = base
    for p in base.partitions:
        strong = edit.set_wall(strong, p.rooms[0], p.rooms[1], 52.0)
    for d in base.doors:
        strong = edit.set_door(strong, d.id, 35.0)
    cases = [
        ("Slagelse", base, Week(), CapacityOptions()),
        ("Slagelse 263", base, Week(), CapacityOptions(demand=263)),
        ("split", split, Week(), CapacityOptions()),
        ("split, rule before", split, Week(rooms_listen=False), CapacityOptions()),
        ("walls 52, doors 35", strong, Week(), CapacityOptions()),
        ("lunch move", base, Week(move_in_breaks=True), CapacityOptions()),
    ]
    for name in NAMED:
        cases.append(
            (f"scenario {name}", named(base, name, "en").apply(base), Week(), CapacityOptions())
        )
    rng = random.Random(2026)
    for k in range(20):
        plan = edited(base, rng)
        week, demand, spread = random_week(rng, [s.id for s in plan.staff])
        cases.append(
            (f"Slagelse week {k}", plan, week, CapacityOptions(demand=demand, spread=spread))
        )
    for k in range(10):
        site = generated_site(offices=8, interview_rooms=6, caseworkers=20, seed=k)
        plan = edited(site, rng)
        week, demand, spread = random_week(rng, [s.id for s in plan.staff])
        cases.append(
            (f"site 20 week {k}", plan, week, CapacityOptions(demand=demand, spread=spread))
        )
    return cases


def baseline(plan, week: Week, options: CapacityOptions, work: float) -> tuple[int, int, float]:
    """The same rules as one plain program for the whole week: held, bound, seconds."""
    cache = PlanCache(plan)
    problem = Problem(
        plan,
        week,
        cache.spaces,
        caps_of(plan, week),
        spread_demand(options.demand, options.spread, week),
    )
    started = time.perf_counter()
    built = build(problem, problem.open_days, cuts=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = work
    code = solver.solve(built.model)
    seconds = time.perf_counter() - started
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0, len(built.x), seconds
    return round(solver.objective_value), round(solver.best_objective_bound), seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="the first 10 variants only")
    parser.add_argument("--baseline-work", type=float, default=10.0)
    args = parser.parse_args()
    cases = suite()[: 10 if args.quick else None]
    print(f"{len(cases)} variants; roomplan: default budget; baseline: {args.baseline_work} units")
    print(f"{'variant':<24} {'held':>9} {'capacity':>9} {'s':>6} | {'baseline':>9} {'s':>6}")
    ours_s, base_s, proven, base_proven = [], [], 0, 0
    for name, plan, week, options in cases:
        started = time.perf_counter()
        r = plan_capacity(plan, week, options)
        seconds = time.perf_counter() - started
        held, bound, b_seconds = baseline(plan, week, options, args.baseline_work)
        ours_s.append(seconds)
        base_s.append(b_seconds)
        proven += r.optimal
        base_proven += held >= bound
        fig = f"{r.held}" if r.held_proven else f"{r.held}-{r.held_bound}"
        cap = f"{r.capacity}" if r.capacity_proven else f"{r.capacity}-{r.capacity_bound}"
        base_fig = f"{held}" if held >= bound else f"{held}-{bound}"
        print(f"{name:<24} {fig:>9} {cap:>9} {seconds:>6.2f} | {base_fig:>9} {b_seconds:>6.2f}")
    n = len(cases)
    print()
    print(
        f"roomplan: {proven}/{n} proven ({100 * proven / n:.0f} %), median "
        f"{statistics.median(ours_s):.2f} s, worst {max(ours_s):.2f} s"
    )
    print(
        f"baseline: {base_proven}/{n} proven ({100 * base_proven / n:.0f} %), median "
        f"{statistics.median(base_s):.2f} s, worst {max(base_s):.2f} s"
    )
    ratio = statistics.median(base_s) / statistics.median(ours_s)
    print(f"median time ratio baseline/roomplan: {ratio:.1f}")
    print("targets: 100 % proven; Slagelse-size median under 1 s, worst under 5 s")
    print()
    site = generated_site()
    for spread in ("even", "hours"):
        started = time.perf_counter()
        r = plan_capacity(site, Week(), CapacityOptions(demand=1500, spread=spread))
        seconds = time.perf_counter() - started
        gap = 100 * (r.held_bound - r.held) / max(r.held_bound, 1)
        print(
            f"60 caseworkers, 1,500 {spread}: held {r.held} of at most {r.held_bound} "
            f"({gap:.1f} % gap), capacity {r.capacity}-{r.capacity_bound}, {seconds:.1f} s"
        )
    print("target: the 60-caseworker site within 1 % in under 10 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
