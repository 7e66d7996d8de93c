"""Plan-wide checks: what only shows once all features are read.

:func:`place_features` puts desks, screens and devices in the room their position lies
in; :func:`check_plan` finds duplicate ids, overlapping rooms, doors off their
partition, staff at missing desks and the like. Both return problems rather than
raising, so a reader can report everything at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Set
from typing import Any

import numpy as np
import shapely
from shapely import LineString, box
from shapely.geometry.base import BaseGeometry

from roomplan.plan.geometry import MAX_WALL_THICKNESS
from roomplan.plan.model import ROOM_KINDS, Plan
from roomplan.plan.problems import Problem

OVERLAP_TOLERANCE = 0.01
"""Rooms may overlap by at most this area [m²] (drawing noise)."""

MAX_ROOM_SIDE = 200.0
"""No room of a jobcenter is longer than this [m]; a longer one is drawn in other units (and
would make the acoustics work on a scale no building has)."""

MIN_SEAT_WIDTH = 0.8
"""Rooms where people sit (offices, interview, waiting and staff rooms) are at least this
wide [m], as a phone booth is."""

SEATED = ("office", "interview", "waiting", "staff")


def _name(names: Mapping[str, str], fid: str) -> str:
    return names.get(fid, fid)


def place_features(
    plan: Plan, names: Mapping[str, str] | None = None, rooms_complete: bool = True
) -> tuple[Plan, list[Problem]]:
    """Give each desk, screen and device the room its position lies in.

    A feature that names a room must lie in it. When some rooms could not be read
    (``rooms_complete`` False) a feature outside every room is not reported: the
    missing room is the likelier cause."""
    names = names or {}
    problems: list[Problem] = []
    index = plan.index

    def resolve(items, points, kind):
        found = index.rooms_at(np.array(points)) if points else []
        out = []
        for item, room in zip(items, found, strict=True):
            if room is None:
                if rooms_complete:
                    problems.append(
                        Problem("outside_rooms", _name(names, item.id), "geometry", {"what": kind})
                    )
                else:  # kept unplaced: the plan is rejected anyway, references still resolve
                    out.append(item)
                continue
            if item.room and item.room != room:
                problems.append(
                    Problem(
                        "room_mismatch",
                        _name(names, item.id),
                        "properties.room",
                        {"given": item.room, "found": room},
                    )
                )
                continue
            out.append(item.replace(room=room))
        return tuple(out)

    desks = resolve(plan.desks, [d.seat for d in plan.desks], "desk")
    screens = resolve(
        plan.screens,
        [tuple(s.line.interpolate(0.5, normalized=True).coords[0]) for s in plan.screens],
        "screen",
    )
    devices = resolve(plan.devices, [d.position for d in plan.devices], "device")
    for desk in desks:
        if desk.room and desk.chair is not None and index.room_at(desk.chair) != desk.room:
            problems.append(
                Problem(
                    "chair_outside", _name(names, desk.id), "properties.chair", {"room": desk.room}
                )
            )
    return plan.replace(desks=desks, screens=screens, devices=devices), problems


def check_plan(
    plan: Plan, names: Mapping[str, str] | None = None, dropped: Set[str] = frozenset()
) -> list[Problem]:
    """Every plan-wide problem of ``plan`` (empty when it is consistent).

    ``dropped``: ids of features a reader left out for problems of their own; references
    to them are not reported again."""
    names = names or {}
    problems: list[Problem] = []
    if not plan.rooms and not dropped:
        problems.append(Problem("no_rooms"))

    features: list[Any] = [
        *plan.rooms,
        *plan.doors,
        *plan.windows,
        *plan.desks,
        *plan.screens,
        *plan.devices,
    ]
    for fid, n in Counter(f.id for f in features).items():
        if n > 1:
            problems.append(Problem("duplicate_id", _name(names, fid), "id", {"id": fid, "n": n}))
    for sid, n in Counter(s.id for s in plan.staff).items():
        if n > 1:
            problems.append(
                Problem("duplicate_id", sid, "properties.staff.id", {"id": sid, "n": n})
            )

    problems += _sizes(plan, names)
    problems += _overlaps(plan, names)
    room_ids = {r.id for r in plan.rooms}
    problems += _openings(plan, names, room_ids, dropped)

    desk_ids = {d.id for d in plan.desks}
    seated: dict[str, str] = {}
    for s in plan.staff:
        if s.desk is None:
            continue
        if s.desk in dropped:
            continue
        if s.desk not in desk_ids:
            problems.append(Problem("staff_missing_desk", s.id, "desk", {"desk": s.desk}))
        elif s.desk in seated:
            problems.append(
                Problem("desk_shared", s.id, "desk", {"desk": s.desk, "other": seated[s.desk]})
            )
        else:
            seated[s.desk] = s.id

    for i, p in enumerate(plan.partition_ratings):
        field = f"properties.partitions[{i}]"
        if any(x in dropped for x in p.rooms):
            continue
        missing = [x for x in p.rooms if x not in room_ids]
        if missing:
            problems.append(Problem("unknown_room", field, "rooms", {"room": ", ".join(missing)}))
        elif plan.partition(*p.rooms) is None:
            problems.append(
                Problem("no_partition", field, "rooms", {"a": p.rooms[0], "b": p.rooms[1]})
            )

    for key in plan.defaults.partitions:
        parts = key.split("/")
        if key != "default" and (
            len(parts) != 2 or not all(x in ROOM_KINDS for x in parts) or parts != sorted(parts)
        ):
            problems.append(
                Problem(
                    "unknown_partition_kind",
                    "",
                    f"properties.defaults.partitions.{key}",
                    {"value": key},
                )
            )
    return problems


def _sides(plan: Plan) -> np.ndarray:
    """The sides of each room's smallest enclosing rectangle, shorter first [m]."""
    if not plan.rooms:
        return np.zeros((0, 2))
    rects = shapely.minimum_rotated_rectangle([r.polygon for r in plan.rooms])
    corners = shapely.get_coordinates(shapely.get_exterior_ring(rects)).reshape(len(rects), -1, 2)
    a = np.hypot(*(corners[:, 1] - corners[:, 0]).T)
    b = np.hypot(*(corners[:, 2] - corners[:, 1]).T)
    return np.sort(np.stack([a, b], axis=1), axis=1)


def _sizes(plan: Plan, names: Mapping[str, str]) -> list[Problem]:
    """Rooms no building has: longer than :data:`MAX_ROOM_SIDE` (with what they would measure
    in millimetres and centimetres, the usual slip), or too narrow to sit in."""
    out = []
    for r, (short, long) in zip(plan.rooms, _sides(plan), strict=True):
        where = _name(names, r.id)
        if long > MAX_ROOM_SIDE:
            size = {"room": r.id, "size": round(float(long), 1), "limit": MAX_ROOM_SIDE}
            scaled = {"mm": round(float(long) / 1000, 1), "cm": round(float(long) / 100, 1)}
            out.append(Problem("room_too_large", where, "geometry", {**size, **scaled}))
        elif r.kind in SEATED and short < MIN_SEAT_WIDTH:
            width = {"room": r.id, "width": round(float(short), 3), "limit": MIN_SEAT_WIDTH}
            out.append(Problem("room_too_narrow", where, "geometry", {**width, "kind": r.kind}))
    return out


def _overlaps(plan: Plan, names: Mapping[str, str]) -> list[Problem]:
    if len(plan.rooms) < 2:
        return []
    index = plan.index
    left, right = index.tree.query(index.polygons, predicate="intersects")
    out = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        a, b = plan.rooms[i], plan.rooms[j]
        area = a.polygon.intersection(b.polygon).area
        if area > OVERLAP_TOLERANCE:
            out.append(
                Problem(
                    "overlapping_rooms",
                    _name(names, b.id),
                    "geometry",
                    {"other": a.id, "area": round(area, 2)},
                )
            )
    return out


def _on(line: LineString, wall: BaseGeometry) -> bool:
    """Whether ``line`` lies within the wall thickness of ``wall``: only the part of the wall
    near the line is buffered (an outline may have thousands of points)."""
    x0, y0, x1, y1 = line.bounds
    d = 2 * MAX_WALL_THICKNESS
    near = wall.intersection(box(x0 - d, y0 - d, x1 + d, y1 + d))
    return not near.is_empty and line.within(near.buffer(MAX_WALL_THICKNESS))


def _openings(
    plan: Plan, names: Mapping[str, str], room_ids: set[str], dropped: Set[str]
) -> list[Problem]:
    out = []
    for kind, openings in (("door", plan.doors), ("window", plan.windows)):
        for o in openings:
            where = _name(names, o.id)
            a, b = o.rooms
            if a in dropped or b in dropped:
                continue
            missing = [x for x in (a, b) if x is not None and x not in room_ids]
            if missing:
                out.append(
                    Problem("unknown_room", where, "properties.rooms", {"room": ", ".join(missing)})
                )
                continue
            if b is None:
                if not _on(o.line, plan.room(a).polygon.exterior):
                    out.append(
                        Problem("opening_not_on_wall", where, "geometry", {"what": kind, "room": a})
                    )
                elif kind == "window" and not plan.room(a).windows:
                    out.append(
                        Problem("window_in_windowless", where, "properties.rooms", {"room": a})
                    )
                continue
            partition = plan.partition(a, b)
            if partition is None or not _on(o.line, partition.geometry):
                out.append(
                    Problem(
                        "opening_not_on_partition",
                        where,
                        "geometry",
                        {"what": kind, "a": a, "b": b},
                    )
                )
    return out
