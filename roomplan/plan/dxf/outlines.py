"""Room outlines from the entities of the room layers.

A room is drawn as a closed polyline, or (older drawings, exploded polylines) as LINEs,
ARCs and open polylines that meet end to end. The pieces are noded and polygonised
(shapely's ``polygonize_full``); a piece that closes no outline is reported with its
place, so a room drawn with a gap never disappears silently.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import LineString, Polygon, STRtree

from roomplan.plan.dxf.drawing import Item
from roomplan.plan.native import COORDINATE_DECIMALS

FLATTEN = 0.05
"""Largest gap between an arc and its flattened outline [m]."""

MAX_ARC_POINTS = 2000
"""Most points one arc or curved polyline is flattened to (a bound on the work)."""

JOIN = 0.005
"""Ends of line pieces this close [m] are taken to meet (CAD snapping leaves less)."""


GRID = 10.0**-COORDINATE_DECIMALS
"""Grid [m] the pieces are noded on: the plan's coordinate resolution."""


@dataclass(frozen=True)
class Outline:
    """One room outline in metres, and the entity that names it in messages."""

    item: Item
    points: list[tuple[float, float]]
    from_pieces: bool = False


@dataclass
class Outlines:
    """Outlines found, and the entities that close none."""

    found: list[Outline]
    open: list[tuple[Item, tuple[float, float]]]  # entity and a point on it [m]


def _points(item: Item, unit: float) -> list[tuple[float, float]]:
    """The corner points of a polyline, line or arc [drawing units], curves flattened to
    :data:`FLATTEN` metres."""
    from ezdxf import path

    e = item.entity
    if e.dxftype() == "LINE":
        return [(e.dxf.start[0], e.dxf.start[1]), (e.dxf.end[0], e.dxf.end[1])]
    p = path.make_path(e)
    step = FLATTEN / unit
    if e.dxftype() == "ARC":
        # the step in drawing units; a bound on the points for a huge radius
        step = max(step, e.dxf.radius * math.radians(360) / MAX_ARC_POINTS)
    return [(v.x, v.y) for v in p.flattening(distance=step)]


def is_closed(item: Item) -> bool:
    """Whether ``item`` is a polyline drawn closed."""
    e = item.entity
    if e.dxftype() == "LWPOLYLINE":
        return bool(e.closed)
    if e.dxftype() == "POLYLINE":
        return bool(e.is_closed)
    return False


def ends_meet(item: Item, unit: float) -> bool:
    """Whether ``item`` is an outline by itself: a polyline drawn closed, or one whose ends
    meet (``unit``: metres per drawing unit). Counted before any outline is built."""
    if is_closed(item):
        return True
    e = item.entity
    if e.dxftype() == "LWPOLYLINE":
        pts = [tuple(p) for p in e.get_points("xy")]
    elif e.dxftype() == "POLYLINE":
        pts = [(v.x, v.y) for v in e.points()]
    else:
        return False
    return len(pts) > 3 and math.dist(pts[0], pts[-1]) * unit <= JOIN


def room_outlines(
    items: list[Item], unit: float, xy: Callable[[tuple[float, float]], tuple[float, float]]
) -> Outlines:
    """The outlines drawn on room layers: closed polylines as they are, other pieces
    joined where they meet. ``xy`` takes drawing units to plan metres."""
    out = Outlines([], [])
    pieces: list[tuple[Item, list[tuple[float, float]]]] = []
    for item in items:
        if item.kind not in ("LWPOLYLINE", "POLYLINE", "LINE", "ARC"):
            continue
        pts = [xy(p) for p in _points(item, unit)]
        if is_closed(item) or (len(pts) > 3 and math.dist(pts[0], pts[-1]) <= JOIN):
            if len(pts) > 1 and math.dist(pts[0], pts[-1]) <= JOIN:
                pts = pts[:-1]
            out.found.append(Outline(item, pts))
        elif len(pts) >= 2:
            pieces.append((item, pts))
    if pieces:
        _join(pieces, out)
    return out


def _join(pieces: list[tuple[Item, list[tuple[float, float]]]], out: Outlines) -> None:
    """Outlines from pieces that meet end to end; the pieces that close none are open."""
    lines = [LineString(a) for a in _snapped([pts for _, pts in pieces])]
    # the union nodes the pieces and merges an edge two rooms both draw; snap rounding to
    # the plan's resolution merges copies that differ in the last bits (map coordinates)
    noded = shapely.union_all(lines, grid_size=GRID)
    faces, cuts, dangles, invalid = shapely.polygonize_full(shapely.get_parts(noded))
    # a face thinner than JOIN is a sliver between two drawings of one wall
    faces = [f for f in shapely.get_parts(faces) if f.area > JOIN * f.length / 2]
    tree = STRtree(lines)
    named = []
    for face in faces:
        # the first piece lying wholly on the face's edge names it and places it in
        # drawing order (a piece of a neighbour's longer wall lies only partly on it)
        edge = face.exterior.buffer(JOIN)
        i = min((int(k) for k in tree.query(edge, predicate="contains")), default=0)
        coords = [(float(x), float(y)) for x, y in face.exterior.coords[:-1]]
        named.append((i, coords))
    for i, coords in sorted(named, key=lambda n: n[0]):
        out.found.append(Outline(pieces[i][0], coords, from_pieces=True))
    loose = [g for part in (cuts, dangles, invalid) for g in shapely.get_parts(part)]
    seen: set[int] = set()
    for g in loose:
        for i in tree.query(g, predicate="intersects").tolist():
            if i not in seen and lines[i].intersection(g).length > 0:
                seen.add(i)
    for i in sorted(seen):
        x, y = pieces[i][1][0]
        out.open.append((pieces[i][0], (round(x, 2), round(y, 2))))


def _snapped(pieces: list[list[tuple[float, float]]]) -> list[np.ndarray]:
    """The pieces with ends closer than :data:`JOIN` moved onto one another (the first
    seen), so ends that meet in CAD meet exactly; the rest of each piece as drawn."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    arrays = [np.asarray(pts, dtype=float) for pts in pieces]
    ends = np.array([a[k] for a in arrays for k in (0, -1)])
    pairs = cKDTree(ends).query_pairs(JOIN, output_type="ndarray")
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), (len(ends),) * 2)
    _, group = connected_components(graph, directed=False)
    first: dict[int, int] = {}
    for i, g in enumerate(group.tolist()):
        first.setdefault(g, i)
    for j, a in enumerate(arrays):
        a[0] = ends[first[int(group[2 * j])]]
        a[-1] = ends[first[int(group[2 * j + 1])]]
    return arrays


def polygons(outlines: list[Outline]) -> list[Polygon]:
    return [Polygon(o.points) for o in outlines]
