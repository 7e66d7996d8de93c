"""The shared plan library: plan versions saved a second, by one writer and by 20 at once, in
SQLite and in PostgreSQL, and the time to open the library and list its versions (what every
page of the app does).

    python bench/library.py

PostgreSQL is a server this script starts from Debian's `postgresql` (as the tests do) and
removes afterwards; without it only SQLite is measured. Baseline in the same run: SQLite with
one writer, the embedded default. Every save is checked afterwards: versions 1..n, no gap.
Figures are printed, never asserted.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roomplan import load_plan  # noqa: E402
from roomplan.access import Identity, Role  # noqa: E402
from roomplan.library import Library  # noqa: E402

SAVES = 200
PLANNER = Identity("bench", "bench", frozenset({Role.PLANNER}), signed_in=True)


def saves_per_second(location: str, writers: int, plan) -> float:
    """Versions of one plan saved a second by ``writers`` threads together (SAVES in all)."""
    Library(location, timeout_s=60)
    each = SAVES // writers

    def write() -> None:
        lib = Library(location, timeout_s=60)
        for _ in range(each):
            lib.add(plan, name=f"bench {writers}", by=PLANNER)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    seconds = time.perf_counter() - start
    numbers = sorted(v.version for v in Library(location).versions(f"bench {writers}"))
    if numbers != list(range(1, each * writers + 1)):
        raise SystemExit(f"{location}: versions lost or skipped with {writers} writers")
    return each * writers / seconds


def open_and_list(location: str, rounds: int = 50) -> float:
    """Milliseconds to open the library and list every version (as a page does)."""
    start = time.perf_counter()
    for _ in range(rounds):
        Library(location).versions()
    return (time.perf_counter() - start) / rounds * 1000


def main() -> None:
    from tests import pg

    plan = load_plan(ROOT / "floorplans" / "slagelse-oestre-skole.json")
    print(f"library                      writers  saves/s  open+list ms   ({SAVES} saves each)")
    with tempfile.TemporaryDirectory() as tmp:
        for writers in (1, 20):
            location = str(Path(tmp) / f"lib-{writers}.sqlite")
            rate = saves_per_second(location, writers, plan)
            label = "SQLite (baseline)" if writers == 1 else "SQLite"
            print(f"{label:28s} {writers:7d} {rate:8.0f} {open_and_list(location):13.1f}")
    if pg.binaries() is None:
        print("PostgreSQL: not installed (apt-get install postgresql); not measured")
        return
    with pg.server() as database:
        for writers in (1, 20):
            url = database()
            rate = saves_per_second(url, writers, plan)
            print(f"{'PostgreSQL':28s} {writers:7d} {rate:8.0f} {open_and_list(url):13.1f}")


if __name__ == "__main__":
    main()
