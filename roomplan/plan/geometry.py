"""Derived geometry of a plan: the spatial index of rooms and the partitions.

Rooms in the native format share their edges exactly; rooms traced from CAD usually sit
on the inner faces of walls, a wall thickness apart. Both become partitions: a stretch
of one room's outline that runs parallel to another room's outline no further than
:data:`MAX_WALL_THICKNESS` away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from shapely import LineString, MultiLineString, Polygon, STRtree

from roomplan.plan.model import Plan, Rating, Room, room_pair

MAX_WALL_THICKNESS = 0.35
"""Room outlines at most this far apart [m] are separated by one partition."""

MIN_PARTITION_LENGTH = 0.3
"""Shared stretches shorter than this [m] are corners, not partitions."""

_PARALLEL = 0.05  # |sin(angle)| below which two edges count as parallel
_COLLINEAR = 1e-4  # [m] vertices this close to the line of their neighbours are merged


@dataclass(frozen=True)
class Partition:
    """The wall between two rooms, with the doors and glazing set into it.

    rooms: the two room ids in sorted order; kind: their kinds joined by ``/``
    (``"corridor/office"``); geometry: the shared stretch of wall [m];
    height: the lower of the two ceilings [m]; rating: the wall itself, without openings.
    """

    rooms: tuple[str, str]
    kind: str
    geometry: LineString | MultiLineString
    height: float
    rating: Rating
    doors: tuple[str, ...] = ()
    windows: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return "|".join(self.rooms)

    @property
    def length(self) -> float:
        """Length of the shared wall [m]."""
        return float(self.geometry.length)

    @property
    def area(self) -> float:
        """Area of the shared wall including its openings [m²]."""
        return self.length * self.height

    def other(self, room_id: str) -> str:
        """The room on the other side from ``room_id``."""
        return self.rooms[1] if self.rooms[0] == room_id else self.rooms[0]


class RoomIndex:
    """An STRtree over room polygons for point and neighbour look-ups."""

    def __init__(self, rooms: Sequence[Room]):
        self.ids = np.array([r.id for r in rooms], dtype=object)
        self.polygons = np.array([r.polygon for r in rooms], dtype=object)
        self.tree = STRtree(self.polygons)

    def rooms_at(self, xy: np.ndarray) -> np.ndarray:
        """Room id containing each point of ``xy`` (shape (n, 2)) [m]; None outside.

        A point on a shared edge belongs to the first room in plan order."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        out = np.full(len(xy), None, dtype=object)
        if len(xy) == 0 or len(self.ids) == 0:
            return out
        points = shapely.points(xy)
        point_idx, room_idx = self.tree.query(points, predicate="intersects")
        order = np.lexsort((room_idx, point_idx))
        point_idx, room_idx = point_idx[order], room_idx[order]
        first = np.unique(point_idx, return_index=True)[1]
        out[point_idx[first]] = self.ids[room_idx[first]]
        return out

    def room_at(self, xy: tuple[float, float]) -> str | None:
        """Room id containing the point ``xy`` [m], or None."""
        return self.rooms_at(np.array([xy]))[0]

    def nearby_pairs(self, distance: float) -> list[tuple[int, int]]:
        """Index pairs (i < j) of rooms no more than ``distance`` [m] apart."""
        return _nearby_pairs(self.tree, self.polygons, distance)


def _nearby_pairs(tree: STRtree, polygons: np.ndarray, distance: float) -> list[tuple[int, int]]:
    left, right = tree.query(polygons, predicate="dwithin", distance=distance)
    keep = left < right
    return list(zip(left[keep].tolist(), right[keep].tolist(), strict=True))


def _edges(polygon: Polygon) -> np.ndarray:
    """The outline's edges as an array (n, 2, 2) [m]."""
    ring = np.asarray(polygon.exterior.coords)
    return np.stack([ring[:-1], ring[1:]], axis=1)


def shared_wall(a: Polygon, b: Polygon, tol: float = MAX_WALL_THICKNESS) -> LineString | None:
    """The stretch of ``a``'s outline that faces ``b`` across a wall no thicker than
    ``tol`` [m], or None. Only edges parallel to a nearby edge of ``b`` count, so two
    rooms meeting at a corner share no wall."""
    # collinear vertices (a wall drawn in thousands of pieces) merged first: the pairs within
    # reach then grow with the wall's length, not with how finely it was drawn
    edges_a = _edges(shapely.simplify(a, _COLLINEAR, preserve_topology=True))
    edges_b = _edges(shapely.simplify(b, _COLLINEAR, preserve_topology=True))
    da = edges_a[:, 1] - edges_a[:, 0]
    db = edges_b[:, 1] - edges_b[:, 0]
    la = np.hypot(da[:, 0], da[:, 1])
    lb = np.hypot(db[:, 0], db[:, 1])
    ok_a, ok_b = la > 1e-9, lb > 1e-9
    ua = da[ok_a] / la[ok_a, None]
    ub = db[ok_b] / lb[ok_b, None]
    lines_a = shapely.linestrings(edges_a[ok_a])
    lines_b = shapely.linestrings(edges_b[ok_b])
    if len(lines_a) == 0 or len(lines_b) == 0:
        return None
    # only edge pairs within reach: an STRtree, not every edge against every edge
    i, j = STRtree(lines_b).query(lines_a, predicate="dwithin", distance=tol)
    sin = np.abs(ua[i, 0] * ub[j, 1] - ua[i, 1] * ub[j, 0])
    i, j = i[sin < _PARALLEL], j[sin < _PARALLEL]
    if len(i) == 0:
        return None
    clips = shapely.intersection(lines_a[i], shapely.buffer(lines_b[j], tol, cap_style="flat"))
    pieces = clips[~shapely.is_empty(clips) & (shapely.length(clips) > 0)]
    if len(pieces) == 0:
        return None
    merged = shapely.line_merge(shapely.union_all(pieces))
    if merged.is_empty or merged.length < MIN_PARTITION_LENGTH:
        return None
    return merged


def partition_kind(kind_a: str, kind_b: str) -> str:
    """The kind of a partition between rooms of these kinds: ``"corridor/office"``."""
    return "/".join(sorted((kind_a, kind_b)))


def _openings_on(openings: Iterable, key: tuple[str, str]) -> tuple[str, ...]:
    return tuple(o.id for o in openings if o.rooms[1] is not None and room_pair(*o.rooms) == key)


@lru_cache(maxsize=32)
def _shared_walls(polygons: tuple[Polygon, ...]) -> tuple[tuple[int, int, Any], ...]:
    """(i, j, wall) for every pair of room outlines sharing a wall. Kept for the last plans
    seen: an edit that leaves the rooms as they are (a door, a rating, a desk) reuses it."""
    out = []
    array = np.array(polygons, dtype=object)
    for i, j in _nearby_pairs(STRtree(array), array, MAX_WALL_THICKNESS):
        wall = shared_wall(polygons[i], polygons[j])
        if wall is not None:
            out.append((i, j, wall))
    return tuple(out)


def derive_partitions(plan: Plan) -> tuple[Partition, ...]:
    """All partitions of ``plan``, from its rooms' shared walls.

    Each wall's rating is the plan's rating for that pair of rooms if it has one,
    else the default for the partition's kind."""
    rooms = plan.rooms
    overrides = {room_pair(*p.rooms): p.rating for p in plan.partition_ratings}
    out = []
    for i, j, wall in _shared_walls(tuple(r.polygon for r in rooms)):
        a, b = rooms[i], rooms[j]
        key = room_pair(a.id, b.id)
        kind = partition_kind(a.kind, b.kind)
        out.append(
            Partition(
                rooms=key,
                kind=kind,
                geometry=wall,
                height=min(a.ceiling_height, b.ceiling_height),
                rating=overrides.get(key) or plan.defaults.partition_rating(kind),
                doors=_openings_on(plan.doors, key),
                windows=_openings_on(plan.windows, key),
            )
        )
    out.sort(key=lambda p: p.rooms)
    return tuple(out)
