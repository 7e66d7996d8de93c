"""Reading plans: time and peak memory of the worst files a user can upload.

    python bench/validate.py

Each case runs in a fresh process (its peak memory is its own): DXF drawings of generated
floors of 100 to 1,000 labelled rooms (``write_dxf``, millimetres), a DXF of 25,000 rooms
(refused: over the room limit), a DXF filled with furniture to the upload limit, a JSON
plan whose two rooms share a wall drawn with 5,000 collinear vertices, and the largest floor
as JSON, plain and with every wall drawn with 230 points (near the upload limit). It prints
seconds and peak resident memory of ``load_plan`` (read, checked, the plan built). In the
same run, the baselines: the label and opening look-ups of the DXF reader as they were before
(every label against every room, every opening against every room) on the largest drawing,
and ezdxf's recovering reader alone (how every drawing was read before) on the ~20 MB one.
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
import sys, time
sys.path.insert(0, {root!r})
from roomplan import PlanError, load_plan
data = open({path!r}, "rb").read()
start = time.perf_counter()
try:
    plan = load_plan(data, format={fmt!r})
    found = f"{{len(plan.rooms)}} {{len(plan.doors)}}"
except PlanError as exc:
    found = f"refused {{exc.problems[0].code}}"
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak = int(status.split()[0]) / 1024
print(found, seconds, peak)
"""


DXF_ROOMS = (100, 250, 500, 1000)
"""Floors read as DXF (500 rooms took 10.6 s before the chairs found their rooms by an
STRtree, 2026-12-01; issue 14)."""


def run_case(path: Path, fmt: str) -> tuple[str, str, float, float]:
    """Rooms (or the refusal), doors, seconds and peak memory [MB] of reading ``path`` in a
    fresh process."""
    code = CASE.format(root=str(ROOT), path=str(path), fmt=fmt)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    rooms, doors, seconds, peak = done.stdout.split()
    return rooms, doors, float(seconds), float(peak)


def many_rooms(n: int) -> bytes:
    """A DXF of ``n`` labelled 4.8 m square rooms in metres (beyond the room limit)."""
    import io

    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 6
    msp = doc.modelspace()
    side = int(n**0.5) + 1
    for i in range(n):
        x, y = (i % side) * 5.0, (i // side) * 5.0
        square = [(x, y), (x + 4.8, y), (x + 4.8, y + 4.8), (x, y + 4.8)]
        msp.add_lwpolyline(square, close=True, dxfattribs={"layer": "A-RUM"})
        msp.add_text(f"{i} Kontor", dxfattribs={"layer": "A-RUM-TEKST", "insert": (x + 1, y + 1)})
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode()


def furnished(data: bytes, size: int) -> bytes:
    """The drawing ``data`` with furniture lines added until it is about ``size`` bytes."""
    import io

    import ezdxf

    doc = ezdxf.read(io.StringIO(data.decode()))
    msp = doc.modelspace()
    doc.layers.add("A-INVENTAR")
    per_line = 150  # bytes a LINE takes in the file
    for i in range((size - len(data)) // per_line):
        x, y = (i % 400) * 250.0, (i // 400) * 40.0
        msp.add_line((x, y), (x + 200.0, y), dxfattribs={"layer": "A-INVENTAR"})
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode()


def dense(doc: dict, steps: int) -> dict:
    """``doc`` with every room's walls drawn with ``steps`` points each (an export that
    writes every grid point: the largest JSON a real plan makes)."""
    for f in doc["features"]:
        if f["properties"]["feature"] != "room":
            continue
        ring = f["geometry"]["coordinates"][0]
        points = [
            [round(x0 + (x1 - x0) * k / steps, 4), round(y0 + (y1 - y0) * k / steps, 4)]
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)
            for k in range(steps)
        ]
        f["geometry"]["coordinates"][0] = [*points, ring[-1]]
    return doc


def baseline_recovering_read(data: bytes) -> float:
    """Seconds of ezdxf's recovering reader alone: how every drawing was read before the
    strict reader came first (2026-12-01)."""
    import io

    from ezdxf import recover

    start = time.perf_counter()
    recover.read(io.BytesIO(data))
    return time.perf_counter() - start


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

    from roomplan.plan import MAX_BYTES
    from roomplan.plan.dxf import write_dxf
    from roomplan.plan.files import plan_bytes
    from roomplan.synthetic import generated_floor

    print("case                                     rooms  doors  MB file       s  peak MB")
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
        crowded = folder / "rooms-25000.dxf"
        crowded.write_bytes(many_rooms(25_000))
        cases.append(("DXF, 25,000 rooms (over the limit)", crowded, "dxf"))
        heavy = folder / "furnished.dxf"
        heavy.write_bytes(furnished(write_dxf(generated_floor(100)), MAX_BYTES - 500_000))
        cases.append(("DXF, 100 rooms and furniture, ~20 MB", heavy, "dxf"))
        wall = folder / "collinear.json"
        wall.write_text(json.dumps(collinear_wall(5000)))
        cases.append(("JSON, a wall of 5,000 collinear points", wall, "json"))
        floor = folder / f"floor-{DXF_ROOMS[-1]}.json"
        floor.write_bytes(plan_bytes(generated_floor(DXF_ROOMS[-1]), "json"))
        cases.append((f"JSON, generated floor of {DXF_ROOMS[-1]} rooms", floor, "json"))
        walls = folder / "dense.json"
        walls.write_text(json.dumps(dense(json.loads(floor.read_bytes()), 230)))
        cases.append(("JSON, 1,000 rooms, 230 points a wall", walls, "json"))
        worst = 0.0
        for name, path, fmt in cases:
            rooms, doors, seconds, peak = run_case(path, fmt)
            size = path.stat().st_size / 1e6
            worst = max(worst, seconds)
            shown = f"{rooms:>7s} {doors:>6s}" if rooms != "refused" else f"{rooms:>7s} {'-':>6s}"
            note = f"  ({doors})" if rooms == "refused" else ""
            print(f"{name:38s} {shown} {size:8.1f} {seconds:7.2f} {peak:8.0f}{note}")
        print(f"\nworst {worst:.2f} s; targets: under 10 s and 1,024 MB for any file to the limit")
        loop = baseline_lookups(biggest)
        print(f"baseline, the largest drawing's look-ups, every pair: {loop:.1f} s")
        recovering = baseline_recovering_read(heavy.read_bytes())
        print(f"baseline, the ~20 MB drawing by the recovering reader alone: {recovering:.1f} s")


if __name__ == "__main__":
    main()
