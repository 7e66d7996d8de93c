"""Where people talk and listen: the positions the privacy engine evaluates.

Talkers: every interview position, that is each desk with a citizen's chair (two mouths:
the caseworker's seat and the citizen's chair) and each interview room without such a desk
(one mouth at the room's centre, the interview table).

Listeners (the documented rule):

- every desk seat (``desk``) and every citizen chair (``chair``);
- the table of each interview room without desks (``room``);
- waiting rooms: a grid with :data:`WAITING_SPACING` between seats, kept
  :data:`WALL_CLEARANCE` from the walls (``waiting``);
- corridors: a grid with :data:`CORRIDOR_SPACING` (``corridor``);
- staff rooms (lunch room, kitchen): the centre (``staff``); other rooms (archives,
  toilets): the centre (``other``);
- in a corridor, waiting room or other room: a point :data:`DOOR_OFFSET` in front of each
  door, where a passer-by or a waiting citizen stands closest (kind of that room).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from roomplan.plan.model import Plan

WAITING_SPACING = 1.5
"""Distance between listening seats in a waiting room [m]."""

CORRIDOR_SPACING = 2.0
"""Distance between listening points along a corridor [m]."""

WALL_CLEARANCE = 0.5
"""Grid points keep this far from the walls [m]."""

DOOR_OFFSET = 0.5
"""A listening point stands this far in front of a door on the public side [m]."""

PUBLIC_KINDS = ("waiting", "corridor", "staff", "other")


@dataclass(frozen=True)
class Positions:
    """Positions as parallel arrays: ``ids`` ("desk:1.02-B"), ``kind``, ``room`` (id),
    ``xy`` [m] (n, 2) and ``desk`` (desk id or None)."""

    ids: np.ndarray
    kind: np.ndarray
    room: np.ndarray
    xy: np.ndarray
    desk: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def index(self) -> dict[str, int]:
        return {pid: i for i, pid in enumerate(self.ids.tolist())}


@dataclass(frozen=True)
class Talkers:
    """Interview positions and their mouths. ``ids``/``room``/``desk`` per position;
    ``mouth_xy`` (m, 2) and ``mouth_of`` (m,) map each mouth to its position."""

    ids: np.ndarray
    room: np.ndarray
    desk: np.ndarray
    mouth_xy: np.ndarray
    mouth_of: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def in_room(self, room_id: str) -> Talkers:
        """The positions in room ``room_id`` and their mouths, in the same order."""
        keep = np.flatnonzero(self.room == room_id)
        mouths = np.flatnonzero(np.isin(self.mouth_of, keep))
        return Talkers(
            ids=self.ids[keep],
            room=self.room[keep],
            desk=self.desk[keep],
            mouth_xy=self.mouth_xy[mouths],
            mouth_of=np.searchsorted(keep, self.mouth_of[mouths]),
        )


def _grid(polygon, spacing: float, clearance: float) -> list[tuple[float, float]]:
    inner = polygon.buffer(-clearance)
    if inner.is_empty:
        inner = polygon
    x0, y0, x1, y1 = inner.bounds
    xs = np.arange(x0, x1 + 1e-9, spacing) + ((x1 - x0) % spacing) / 2
    ys = np.arange(y0, y1 + 1e-9, spacing) + ((y1 - y0) % spacing) / 2
    gx, gy = np.meshgrid(xs, ys)
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    inside = shapely.contains_xy(inner, pts[:, 0], pts[:, 1]) if len(pts) else np.zeros(0, bool)
    out = [tuple(p) for p in pts[inside]]
    if not out:
        p = polygon.representative_point()
        out = [(p.x, p.y)]
    return out


def listener_positions(plan: Plan) -> Positions:
    """The listening positions of ``plan`` (the rule in the module docstring)."""
    ids: list[str] = []
    kinds: list[str] = []
    rooms: list[str] = []
    xys: list[tuple[float, float]] = []
    desks: list[str | None] = []

    def add(pid: str, kind: str, room: str, xy: tuple[float, float], desk: str | None = None):
        ids.append(pid)
        kinds.append(kind)
        rooms.append(room)
        xys.append(xy)
        desks.append(desk)

    for d in plan.desks:
        add(f"desk:{d.id}", "desk", d.room, d.seat, d.id)
        if d.chair is not None:
            add(f"chair:{d.id}", "chair", d.room, d.chair, d.id)
    talking_rooms = {r for r, _ in _room_tables(plan)}
    for room in plan.rooms:
        if room.id in talking_rooms:
            p = room.polygon.representative_point()
            add(f"room:{room.id}", "room", room.id, (p.x, p.y))
        elif room.kind == "waiting":
            for i, xy in enumerate(_grid(room.polygon, WAITING_SPACING, WALL_CLEARANCE)):
                add(f"waiting:{room.id}#{i + 1}", "waiting", room.id, xy)
        elif room.kind == "corridor":
            for i, xy in enumerate(_grid(room.polygon, CORRIDOR_SPACING, min(WALL_CLEARANCE, 0.3))):
                add(f"corridor:{room.id}#{i + 1}", "corridor", room.id, xy)
        elif room.kind in ("staff", "other"):
            p = room.polygon.representative_point()
            add(f"{room.kind}:{room.id}", room.kind, room.id, (p.x, p.y))
    kind_of = {r.id: r.kind for r in plan.rooms}
    for door in plan.doors:
        for side in door.rooms:
            if side is None or kind_of[side] not in PUBLIC_KINDS:
                continue
            front = _in_front(plan, door, side)
            if front is not None:
                add(f"door:{door.id}@{side}", kind_of[side], side, front)
    return Positions(
        ids=np.array(ids, dtype=object),
        kind=np.array(kinds, dtype=object),
        room=np.array(rooms, dtype=object),
        xy=np.array(xys, dtype=float).reshape(-1, 2),
        desk=np.array(desks, dtype=object),
    )


def _in_front(plan: Plan, door, room_id: str) -> tuple[float, float] | None:
    """The point DOOR_OFFSET in front of the door's middle, on ``room_id``'s side."""
    (x0, y0), (x1, y1) = door.segment
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    nx, ny = -(y1 - y0), x1 - x0
    norm = float(np.hypot(nx, ny))
    polygon = plan.room(room_id).polygon
    for sign in (1, -1):
        px, py = mx + sign * nx / norm * DOOR_OFFSET, my + sign * ny / norm * DOOR_OFFSET
        if polygon.contains(shapely.Point(px, py)):
            return (px, py)
    return None


def _room_tables(plan: Plan) -> list[tuple[str, tuple[float, float]]]:
    """Interview rooms where no desk has a chair: (room id, table position)."""
    with_chairs = {d.room for d in plan.desks if d.chair is not None}
    out = []
    for room in plan.rooms:
        if room.kind == "interview" and room.id not in with_chairs:
            p = room.polygon.representative_point()
            out.append((room.id, (p.x, p.y)))
    return out


def talker_positions(plan: Plan) -> Talkers:
    """Every interview position of ``plan``: desks with a chair in offices and interview
    rooms, and interview rooms without such desks."""
    ids: list[str] = []
    rooms: list[str] = []
    desks: list[str | None] = []
    mouths: list[tuple[float, float]] = []
    mouth_of: list[int] = []
    kind_of = {r.id: r.kind for r in plan.rooms}
    for d in plan.desks:
        if d.chair is None or kind_of[d.room] not in ("office", "interview"):
            continue
        mouth_of += [len(ids), len(ids)]
        mouths += [d.seat, d.chair]
        ids.append(f"desk:{d.id}")
        rooms.append(d.room)
        desks.append(d.id)
    for room_id, xy in _room_tables(plan):
        mouth_of.append(len(ids))
        mouths.append(xy)
        ids.append(f"room:{room_id}")
        rooms.append(room_id)
        desks.append(None)
    return Talkers(
        ids=np.array(ids, dtype=object),
        room=np.array(rooms, dtype=object),
        desk=np.array(desks, dtype=object),
        mouth_xy=np.array(mouths, dtype=float).reshape(-1, 2),
        mouth_of=np.array(mouth_of, dtype=int),
    )
