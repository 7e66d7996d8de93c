"""Interview capacity: bounds, the exact answer and its gap, against the undecomposed model.

    python bench/capacity.py [--time-limit 60]

Cases: the Slagelse baseline and split plans at 237 a week, the 95th-percentile week (263) and
twice the demand (474); a generated site of 60 caseworkers in 24 shared offices with 20
interview rooms at 1,500 a week (demand in proportion to opening hours). For each: the time of
the max-flow bounds, the time of the exact answer (day by day, identical days once, pooled
rooms), interviews held with the proven bound and gap; as the baseline, the same integer
program solved for the whole week at once without the bounds and decompositions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roomplan import load_plan  # noqa: E402
from roomplan.capacity import plan_capacity  # noqa: E402
from roomplan.privacy import assess_privacy  # noqa: E402
from roomplan.synthetic import generated_site  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    base = load_plan(ROOT / "floorplans" / "slagelse-oestre-skole.json")
    split = load_plan(ROOT / "floorplans" / "slagelse-oestre-skole-split.json")
    cases = [
        ("Slagelse", base, 237, "even"),
        ("Slagelse", base, 263, "even"),
        ("Slagelse", base, 474, "even"),
        ("split", split, 237, "even"),
        ("split", split, 263, "even"),
        ("split", split, 474, "even"),
        ("site 60 cw", generated_site(), 1500, "hours"),
    ]
    head = f"{'plan':<11} {'demand':>6} | {'bounds s':>8} {'lower':>5} {'upper':>5} | "
    head += f"{'exact s':>7} {'held':>5} {'bound':>5} {'gap':>6} | "
    print(head + f"{'whole-week s':>12} {'held':>5} {'bound':>5} {'gap':>6}")
    for name, plan, demand, spread in cases:
        privacy = assess_privacy(plan)
        start = time.perf_counter()
        ours = plan_capacity(
            plan, demand=demand, spread=spread, privacy=privacy, time_limit=args.time_limit
        )
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        whole = plan_capacity(
            plan,
            demand=demand,
            spread=spread,
            privacy=privacy,
            time_limit=args.time_limit,
            decompose=False,
        )
        whole_s = time.perf_counter() - start - whole.seconds["bounds"]
        exact_s = ours_s - ours.seconds["bounds"]
        bounds_s = ours.seconds["bounds"]
        row = f"{name:<11} {demand:>6} | {bounds_s:>8.2f} {ours.lower:>5} {ours.upper:>5} | "
        row += f"{exact_s:>7.2f} {ours.held:>5} {ours.held_bound:>5} {100 * ours.gap:>5.1f}% | "
        print(
            row + f"{whole_s:>12.2f} {whole.held:>5} {whole.held_bound:>5} {100 * whole.gap:>5.1f}%"
        )
    print("targets: Slagelse exact under 5 s; the 60-caseworker site within 1 % in under 60 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
