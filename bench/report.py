"""The Slagelse assessment report: time to build it (privacy, capacity, devices, figure) and to
render it as PDF, HTML and Markdown. Target: built and rendered to PDF in under 3 s.

    python bench/report.py

Baseline in the same run: the answers alone (privacy and capacity), which the report needs
anyway; the difference is the report's own cost.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roomplan import load_plan  # noqa: E402
from roomplan.capacity import PlanCache, plan_capacity  # noqa: E402
from roomplan.report import ReportOptions, build_report, render  # noqa: E402


def main() -> int:
    plan = load_plan(ROOT / "floorplans" / "slagelse-oestre-skole.json")
    start = time.perf_counter()
    plan_capacity(plan, cache=PlanCache(plan))  # the cache assesses privacy first
    answers = time.perf_counter() - start

    fresh = load_plan(ROOT / "floorplans" / "slagelse-oestre-skole.json")  # no cached geometry
    start = time.perf_counter()
    report = build_report(fresh, ReportOptions(date=dt.date(2026, 11, 24)))
    built = time.perf_counter() - start
    times = {}
    for fmt in ("pdf", "html", "md"):
        start = time.perf_counter()
        size = len(render(report, fmt))
        times[fmt] = (time.perf_counter() - start, size)
    total = built + times["pdf"][0]
    print(f"baseline: privacy + capacity alone       {answers:6.2f} s")
    print(f"build the report (same answers + more)   {built:6.2f} s")
    for fmt, (seconds, size) in times.items():
        print(f"render {fmt:<4}                           {seconds:6.2f} s  {size / 1024:7.0f} KiB")
    print(f"built and rendered to PDF                {total:6.2f} s   (target < 3 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
