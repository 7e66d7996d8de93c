"""Reading plans: time and peak memory of the worst files a user can upload.

    python bench/validate.py

Each case runs in a fresh process (its peak memory is its own): DXF drawings of generated
floors of 100 to 500 labelled rooms (``write_dxf``, millimetres), a JSON plan whose two rooms
share a wall drawn with 5,000 collinear vertices, and the largest floor as JSON. It prints
seconds and peak resident memory of ``load_plan`` (read, checked, the plan built). In the
same run, the baseline: the label and opening look-ups of the DXF reader as they were before
(every label against every room, every opening against every room) on the largest drawing.
Targets (issue 14): any file up to the upload limit in under 10 s and 1 GB. Figures are
printed, never asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASE = """
import resource, sys, time
sys.path.insert(0, {root!r})
from roomplan import load_plan
data = open({path!r}, "rb").read()
start = time.perf_counter()
plan = load_plan(data, format={fmt!r})
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(len(plan.rooms), len(plan.doors), seconds, peak)
"""


DXF_ROOMS = (100, 250, 500, 1000)
"""Floors read as DXF (500 rooms took 10.6 s before the chairs found their rooms by an
STRtree, 2026-12-01; issue 14)."""


def run_case(path: Path, fmt: str) -> tuple[int, int, float, float]:
    """Rooms, doors, seconds and peak memory [MB] of reading ``path`` in a fresh process."""
    code = CASE.format(root=str(ROOT), path=str(path), fmt=fmt)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    rooms, doors, seconds, peak = done.stdout.split()
    return int(rooms), int(doors), float(seconds), float(peak)


def collinear_wall(n: int) -> dict:
    """Two rooms of 4 x 5 m whose shared edge x = 4 is drawn with ``n`` vertices each."""
    ys = [5.0 * k / (n - 1) for k in range(n)]
    left = [[0.0, 0.0], [4.0, 0.0]] + [[4.0, y] for y in ys[1:-1]] + [[4.0, 5.0], [0.0, 5.0]]
    right = [[4.0, 0.0], [8.0, 0.0], [8.0, 5.0], [4.0, 5.0]] + [[4.0, y] for y in ys[-2:0:-1]]

    def room(rid: str, ring: list[list[float]], kind: str) -> dict:
        return {
            "type": "Feature",
            "id": rid,
            "geometry": {"type": "Polygon", "coordinates": [ring + ring[:1]]},
            "properties": {"feature": "room", "name": rid, "kind": kind},
        }

    return {
        "type": "FeatureCollection",
        "roomplan": 1,
        "properties": {"name": "collinear", "units": "m"},
        "features": [room("K1", left, "office"), room("K2", right, "interview")],
    }


def baseline_lookups(data: bytes) -> float:
    """Seconds of the DXF reader's look-ups as they were: every label tested against every
    room, every opening against every room, and the room of every desk and chair found by
    trying the rooms in turn."""
    import io

    import ezdxf
    from shapely import Point, Polygon

    doc = ezdxf.read(io.StringIO(data.decode()))
    unit = 0.001
    outlines, labels, openings = [], [], []
    for e in doc.modelspace():
        kind = e.dxftype()
        if kind == "LWPOLYLINE" and e.closed:
            outlines.append(Polygon([(p[0] * unit, p[1] * unit) for p in e.get_points("xy")]))
        elif kind in ("TEXT", "MTEXT"):
            labels.append((e.dxf.insert[0] * unit, e.dxf.insert[1] * unit))
        elif kind == "INSERT":
            openings.append(Point(e.dxf.insert[0] * unit, e.dxf.insert[1] * unit))
    start = time.perf_counter()
    for poly in outlines:
        [p for p in labels if poly.is_valid and poly.contains(Point(p))]
    for point in openings:
        sorted(poly.exterior.distance(point) for poly in outlines if poly.is_valid)
        next((poly for poly in outlines if poly.is_valid and poly.contains(point)), None)
    return time.perf_counter() - start


def main() -> None:
    import tempfile

    from roomplan.plan.dxf import write_dxf
    from roomplan.plan.files import plan_bytes
    from roomplan.synthetic import generated_floor

    print("case                                   rooms  doors   MB file       s  peak MB")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, Path, str]] = []
        biggest = b""
        for n in DXF_ROOMS:
            data = write_dxf(generated_floor(n))
            path = folder / f"floor-{n}.dxf"
            path.write_bytes(data)
            cases.append((f"DXF, generated floor of {n} rooms", path, "dxf"))
            biggest = data
        wall = folder / "collinear.json"
        wall.write_text(json.dumps(collinear_wall(5000)))
        cases.append(("JSON, a wall of 5,000 collinear points", wall, "json"))
        floor = folder / f"floor-{DXF_ROOMS[-1]}.json"
        floor.write_bytes(plan_bytes(generated_floor(DXF_ROOMS[-1]), "json"))
        cases.append((f"JSON, generated floor of {DXF_ROOMS[-1]} rooms", floor, "json"))
        worst = 0.0
        for name, path, fmt in cases:
            rooms, doors, seconds, peak = run_case(path, fmt)
            size = path.stat().st_size / 1e6
            worst = max(worst, seconds)
            print(f"{name:38s} {rooms:5d} {doors:6d} {size:8.1f} {seconds:7.2f} {peak:8.0f}")
        print(f"\nworst {worst:.2f} s; targets: under 10 s and 1,024 MB for any file to the limit")
        loop = baseline_lookups(biggest)
        print(f"baseline, the largest drawing's look-ups, every pair: {loop:.1f} s")


if __name__ == "__main__":
    main()
