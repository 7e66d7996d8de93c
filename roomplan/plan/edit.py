"""Edits a manager makes to a plan: each takes a plan and returns a new, checked plan.

Every edit either gives a consistent plan or raises :class:`EditError` naming what and how to
fix it; the plan it started from is never changed (plans are immutable values).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import shapely
from shapely.geometry import LineString, Point, box

from roomplan.i18n import DEFAULT_LANG, t
from roomplan.plan.checks import check_plan
from roomplan.plan.model import ROOM_KINDS, Desk, PartitionRating, Plan, Rating, Room, room_pair

NEW_WALL_RW = 48.0
"""R'w of a new partition [dB]: insulated steel stud, double gypsum on one side, 51 dB in the
laboratory ([TYPICAL] in docs/references.md) less 3 dB in the field."""


class EditError(ValueError):
    """An edit that cannot be made: ``key`` and ``params`` give the words (``edit.error.*``)."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(self.message(DEFAULT_LANG))

    def message(self, lang: str | None = None) -> str:
        return t(f"edit.error.{self.key}", lang, **self.params)


def _checked(plan: Plan) -> Plan:
    problems = check_plan(plan)
    if problems:
        raise EditError("inconsistent", problems="; ".join(p.line() for p in problems[:3]))
    return plan


def _room(plan: Plan, room_id: str) -> Room:
    try:
        return plan.room(room_id)
    except KeyError:
        raise EditError("unknown_room", room=room_id) from None


# -- simple edits -----------------------------------------------------------------------
def set_kind(plan: Plan, room_id: str, kind: str) -> Plan:
    """``room_id`` used as another kind of room. An office becomes an interview room only
    once nobody sits in it (move the staff first)."""
    room = _room(plan, room_id)
    if kind not in ROOM_KINDS:
        raise EditError("unknown_kind", kind=kind, allowed=", ".join(ROOM_KINDS))
    seated = [s.id for d in plan.desks_in(room_id) if (s := plan.occupants.get(d.id))]
    if kind != "office" and seated:
        raise EditError("room_occupied", room=room_id, staff=", ".join(seated))
    desks = plan.desks if kind == "office" else tuple(d for d in plan.desks if d.room != room_id)
    return _checked(plan.replace(desks=desks).with_room(room.replace(kind=kind)))


def set_masking(plan: Plan, room_id: str, dba: float | None) -> Plan:
    """Sound masking of ``dba`` [dB(A)] in ``room_id`` (None: none)."""
    room = _room(plan, room_id)
    if dba is not None and not 20 <= dba <= 55:
        raise EditError("bad_masking", value=dba)
    return plan.with_room(room.replace(masking_dba=dba))


def _rating(rw: float, construction: str, measured: bool) -> Rating:
    source = t("edit.measured_source" if measured else "edit.source")
    return Rating(float(rw), construction, source, measured=measured)


def set_door(
    plan: Plan,
    door_id: str,
    rw: float,
    construction: str = "",
    *,
    measured: bool = False,
    **changes,
) -> Plan:
    """Door ``door_id`` rated ``rw`` [dB] (closed unless ``is_open`` is given); measured: the
    rating is a field measurement (ISO 16283-1), no longer an assumption."""
    try:
        door = plan.door(door_id)
    except KeyError:
        raise EditError("unknown_door", door=door_id) from None
    if not 10 <= rw <= 60:
        raise EditError("bad_rating", what=door_id, value=rw)
    rating = _rating(rw, construction or door.rating.construction, measured)
    return plan.with_door(door.replace(rating=rating, **changes))


def set_wall(
    plan: Plan, a: str, b: str, rw: float, construction: str = "", *, measured: bool = False
) -> Plan:
    """The partition between rooms ``a`` and ``b`` rated ``rw`` [dB]; measured: as for
    :func:`set_door`."""
    part = plan.partition(a, b)
    if part is None:
        raise EditError("no_wall", a=a, b=b)
    if not 20 <= rw <= 75:
        raise EditError("bad_rating", what=f"{a}|{b}", value=rw)
    rating = _rating(rw, construction or part.rating.construction, measured)
    return plan.with_partition_rating(a, b, rating)


def set_noise(plan: Plan, room_id: str, dba: float, *, measured: bool = False) -> Plan:
    """Background noise of ``dba`` [dB(A)] in ``room_id`` without masking; measured: an
    L_Aeq measured in the room in use, no longer an assumption."""
    room = _room(plan, room_id)
    if not 0 <= dba <= 120:
        raise EditError("bad_noise", room=room_id, value=dba)
    return plan.with_room(room.replace(noise_dba=float(dba), noise_measured=measured))


def add_need_to_know(plan: Plan, staff_ids: Iterable[str], group: str) -> Plan:
    """Staff ``staff_ids`` share the need-to-know ``group`` (they may hear each other's cases)."""
    ids = list(staff_ids)
    known = {s.id for s in plan.staff}
    unknown = [s for s in ids if s not in known]
    if unknown or len(ids) < 2 or not group.strip():
        raise EditError("bad_group", staff=", ".join(unknown or ids))
    staff = tuple(
        s.replace(need_to_know=tuple(sorted({*s.need_to_know, group}))) if s.id in ids else s
        for s in plan.staff
    )
    return plan.replace(staff=staff)


def assign_desk(plan: Plan, desk_id: str, staff_id: str | None) -> Plan:
    """``staff_id`` sits at ``desk_id`` (None: the desk is empty); whoever sat there before
    loses the desk, and ``staff_id`` leaves their old one."""
    if desk_id not in {d.id for d in plan.desks}:
        raise EditError("unknown_desk", desk=desk_id)
    if staff_id is not None and staff_id not in {s.id for s in plan.staff}:
        raise EditError("unknown_staff", staff=staff_id)
    staff = []
    for s in plan.staff:
        if s.id == staff_id:
            s = s.replace(desk=desk_id)
        elif s.desk == desk_id:
            s = s.replace(desk=None)
        staff.append(s)
    return plan.replace(staff=tuple(staff))


def remove_screen(plan: Plan, screen_id: str) -> Plan:
    return plan.replace(screens=tuple(s for s in plan.screens if s.id != screen_id))


def set_screen_height(plan: Plan, screen_id: str, height: float) -> Plan:
    if not 0.5 <= height <= 2.5:
        raise EditError("bad_screen", screen=screen_id, value=height)
    return plan.replace(
        screens=tuple(s.replace(height=height) if s.id == screen_id else s for s in plan.screens)
    )


def move_staff(plan: Plan, staff_id: str, room_id: str) -> Plan:
    """``staff_id`` gets a new desk in office ``room_id`` (with a citizen's chair if they hold
    interviews), and their old desk is removed."""
    room = _room(plan, room_id)
    try:
        member = plan.member(staff_id)
    except KeyError:
        raise EditError("unknown_staff", staff=staff_id) from None
    taken = [d.seat for d in plan.desks_in(room_id)]
    spot = _free_spot(room, taken)
    if spot is None:
        raise EditError("room_full", room=room_id)
    desk_id = _fresh(f"{room_id}-{staff_id}", {d.id for d in plan.desks})
    chair = None
    if member.holds_interviews:
        c = room.polygon.centroid
        dx, dy = c.x - spot[0], c.y - spot[1]
        norm = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        chair = (round(spot[0] + dx / norm, 4), round(spot[1] + dy / norm, 4))
        if not room.polygon.buffer(-0.2).contains(Point(chair)):
            chair = None
    desks = tuple(d for d in plan.desks if d.id != member.desk) + (
        Desk(desk_id, room_id, spot, chair),
    )
    staff = tuple(s.replace(desk=desk_id) if s.id == staff_id else s for s in plan.staff)
    new = plan.replace(desks=desks, staff=staff)
    if room.kind != "office":
        new = new.with_room(room.replace(kind="office"))
    return _checked(new)


def _free_spot(room: Room, taken: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    inner = room.polygon.buffer(-0.8)
    if inner.is_empty:
        return None
    x0, y0, x1, y1 = inner.bounds
    best, best_d = None, 1.5  # at least 1.5 m from the other seats
    for i in range(9):
        for j in range(9):
            p = Point(x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * j / 8)
            if not inner.contains(p) and not inner.touches(p):
                continue
            d = min((p.distance(Point(s)) for s in taken), default=10.0)
            if d > best_d:
                best, best_d = (round(p.x, 4), round(p.y, 4)), d
    return best


def _fresh(base: str, used: set[str]) -> str:
    if base not in used:
        return base
    k = 2
    while f"{base}-{k}" in used:
        k += 1
    return f"{base}-{k}"


# -- an acoustic booth ----------------------------------------------------------------------
BOOTH_SIZE = (2.2, 2.0)
"""Floor of a two-person interview booth [m] (width, depth): a table, two chairs, the door."""

BOOTH_RW = 30.0
"""Sound reduction of a closed booth, its door included [dB]: office pods are sold with a speech
level reduction D_S,A of 25-35 dB measured to ISO 23351-1 ([ISO-23351-1] in docs/references.md);
the middle is assumed until the chosen product's figure is entered."""


def add_booth(
    plan: Plan, host_id: str, rw: float = BOOTH_RW, size: tuple[float, float] = BOOTH_SIZE
) -> Plan:
    """A closed acoustic booth in a corner of room ``host_id``: a new windowless interview
    room of ``size`` [m] whose walls to the host are rated ``rw`` [dB] (door included). It
    stands clear of the host's doors and desks; where it meets the host's outer walls those
    keep their rating (no credit for the booth's own panel behind them)."""
    host = _room(plan, host_id)
    if host.kind not in ("office", "interview", "waiting", "staff", "other"):
        raise EditError("cannot_booth", room=host_id)
    if not 20 <= rw <= 60:
        raise EditError("bad_rating", what=host_id, value=rw)
    spot = _booth_spot(plan, host, size)
    if spot is None:
        raise EditError("cannot_booth", room=host_id)
    booth_id = _fresh(f"{host_id}-B", {r.id for r in plan.rooms})
    booth = Room(booth_id, t("edit.booth"), "interview", spot, min(host.ceiling_height, 2.4), False)
    rest = shapely.set_precision(host.polygon.difference(spot), 1e-4)
    ratings = list(plan.partition_ratings)
    for part in plan.partitions:
        if host_id in part.rooms and spot.distance(part.geometry) < 0.05:
            other = part.rooms[1] if part.rooms[0] == host_id else part.rooms[0]
            ratings.append(PartitionRating(room_pair(booth_id, other), part.rating))
    own = Rating(float(rw), t("edit.booth_wall"), t("edit.booth_source"))
    ratings.append(PartitionRating(room_pair(booth_id, host_id), own))
    out = plan.replace(
        rooms=tuple(r.replace(polygon=rest) if r.id == host_id else r for r in plan.rooms)
        + (booth,),
        partition_ratings=tuple(ratings),
    )
    return _checked(out)


def _booth_spot(plan: Plan, host: Room, size: tuple[float, float]):
    """The first corner of ``host``'s bounding box (in a fixed order) where a booth of
    ``size`` fits inside the room, 1 m clear of its doors, windows and desks and leaving 4 m²."""
    x0, y0, x1, y1 = host.polygon.bounds
    w, d = size
    openings = [*plan.doors, *plan.windows]
    clear = [LineString(o.segment) for o in openings if host.id in o.rooms]
    clear += [Point(desk.seat) for desk in plan.desks_in(host.id)]
    for bw, bd in ((w, d), (d, w)):
        for cx, cy in ((x0, y0), (x1 - bw, y0), (x0, y1 - bd), (x1 - bw, y1 - bd)):
            spot = box(cx, cy, cx + bw, cy + bd)
            if not host.polygon.buffer(1e-6).contains(spot):
                continue
            if any(spot.distance(g) < 1.0 for g in clear):
                continue
            if host.polygon.area - spot.area < 4.0:
                continue
            return spot
    return None


# -- splitting an office ------------------------------------------------------------------
def split_office(
    plan: Plan, room_id: str, parts: int | None = None, wall_rw: float = NEW_WALL_RW
) -> Plan:
    """Office ``room_id`` split into ``parts`` single offices (default: one per desk) by new
    partitions of ``wall_rw`` [dB], cut parallel to the wall with the door so each new office
    keeps a share of it and gets a door of its own like the old one. Each desk goes to one of
    the new offices (moved inside it if needed); screens in the old room go, the walls replace
    them."""
    room = _room(plan, room_id)
    desks = sorted(plan.desks_in(room_id), key=lambda d: d.seat)
    n = parts or len(desks)
    if room.kind != "office" or n < 2:
        raise EditError("cannot_split", room=room_id)
    if len(desks) > n:
        raise EditError("too_many_desks", room=room_id, desks=len(desks), parts=n)
    doors = [d for d in plan.doors if room_id in d.rooms]
    along_x = _split_along_x(room, doors)
    x0, y0, x1, y1 = room.polygon.bounds
    pieces = []
    for i in range(n):
        if along_x:
            cut = box(x0 + (x1 - x0) * i / n, y0, x0 + (x1 - x0) * (i + 1) / n, y1)
        else:
            cut = box(x0, y0 + (y1 - y0) * i / n, x1, y0 + (y1 - y0) * (i + 1) / n)
        piece = shapely.set_precision(room.polygon.intersection(cut), 1e-4)
        if piece.geom_type != "Polygon" or piece.area < 4.0:
            raise EditError("cannot_split", room=room_id)
        pieces.append(piece)
    ids = [
        _fresh(f"{room_id}{string.ascii_lowercase[i]}", {r.id for r in plan.rooms})
        for i in range(n)
    ]
    new_desks = _share_desks(desks, pieces, ids, along_x)
    new_doors = _share_openings(plan.doors, room_id, pieces, ids, copy_to_all=True)
    new_windows = _share_openings(plan.windows, room_id, pieces, ids, copy_to_all=False)
    # daylight from windows in the facade; without facade windows drawn, the old room's word
    outside = [w for w in plan.windows if room_id in w.rooms and None in w.rooms]
    lit = {rid for w in new_windows if None in w.rooms for rid in w.rooms if rid in ids}
    rooms = []
    for rid, piece in zip(ids, pieces, strict=True):
        rooms.append(
            room.replace(
                id=rid,
                name=t("edit.single_office"),
                polygon=piece,
                windows=(rid in lit) if outside else room.windows,
            )
        )
    wall = Rating(float(wall_rw), t("edit.new_wall"), t("edit.new_wall_source"))
    ratings = [p for p in plan.partition_ratings if room_id not in p.rooms]
    for p in plan.partition_ratings:
        if room_id in p.rooms:
            other = p.rooms[1] if p.rooms[0] == room_id else p.rooms[0]
            for rid, piece in zip(ids, pieces, strict=True):
                if piece.distance(plan.room(other).polygon) < 0.05:
                    ratings.append(PartitionRating(room_pair(rid, other), p.rating))
    ratings += [PartitionRating((a, b), wall) for a, b in zip(ids, ids[1:], strict=False)]
    out = plan.replace(
        rooms=tuple(r for r in plan.rooms if r.id != room_id) + tuple(rooms),
        desks=tuple(d for d in plan.desks if d.room != room_id) + tuple(new_desks),
        doors=new_doors,
        windows=new_windows,
        screens=tuple(s for s in plan.screens if s.room != room_id),
        devices=tuple(_moved(d, room_id, pieces, ids) for d in plan.devices),
        partition_ratings=tuple(ratings),
    )
    return _checked(out)


def _moved(device, room_id: str, pieces, ids: list[str]):
    """A device in the split room, now in the new room it stands in."""
    if device.room != room_id:
        return device
    here = Point(device.position)
    nearest = min(range(len(pieces)), key=lambda i: pieces[i].distance(here))
    return device.replace(room=ids[nearest])


def _split_along_x(room: Room, doors) -> bool:
    """Cut so that every new office keeps a share of the wall with the (first) door."""
    for door in doors:
        (ax, ay), (bx, by) = door.segment
        return abs(by - ay) < abs(bx - ax)  # a door in a horizontal wall: cut along x
    x0, y0, x1, y1 = room.polygon.bounds
    return (x1 - x0) >= (y1 - y0)


def _share_desks(desks: list[Desk], pieces, ids: list[str], along_x: bool) -> list[Desk]:
    axis = 0 if along_x else 1
    ordered = sorted(desks, key=lambda d: d.seat[axis])
    out = []
    for desk, piece, rid in zip(ordered, pieces, ids, strict=False):
        seat, chair = desk.seat, desk.chair
        inner = piece.buffer(-0.4)
        if not inner.contains(Point(seat)):
            c = piece.centroid
            moved = list(seat)
            moved[axis] = c.x if axis == 0 else c.y
            shift = moved[axis] - seat[axis]
            seat = (round(moved[0], 4), round(moved[1], 4))
            if chair is not None:
                shifted = list(chair)
                shifted[axis] += shift
                chair = (round(shifted[0], 4), round(shifted[1], 4))
        if chair is not None and not piece.buffer(-0.2).contains(Point(chair)):
            c = piece.centroid
            chair = (round((seat[0] + c.x) / 2, 4), round((seat[1] + c.y) / 2, 4))
            if not piece.buffer(-0.2).contains(Point(chair)):
                chair = None
        out.append(desk.replace(room=rid, seat=seat, chair=chair))
    return out


def _share_openings(openings, room_id: str, pieces, ids: list[str], copy_to_all: bool):
    """Openings of the old room handed to the new rooms: each piece of an opening that lies on
    a new room's wall goes to it; with ``copy_to_all`` (doors), a new room without one gets a
    copy in its share of the same wall."""
    out = [o for o in openings if room_id not in o.rooms]
    mine = [o for o in openings if room_id in o.rooms]
    served = set()
    for o in mine:
        for rid, piece in zip(ids, pieces, strict=True):
            # the piece's grid is 0.1 mm: drop it before widening, or the buffer comes out empty
            part = o.line.intersection(shapely.set_precision(piece, 0).buffer(1e-6))
            if part.is_empty or part.length < 0.3:
                continue
            coords = list(part.coords) if part.geom_type == "LineString" else None
            if not coords:
                continue
            rooms = tuple(rid if r == room_id else r for r in o.rooms)
            oid = (
                o.id
                if o.id not in {x.id for x in out}
                else _fresh(f"{o.id}{rid[-1]}", {x.id for x in out})
            )
            seg = (tuple(round(v, 4) for v in coords[0]), tuple(round(v, 4) for v in coords[-1]))
            out.append(o.replace(id=oid, rooms=rooms, segment=seg))
            served.add((o.id, rid))
    if copy_to_all:
        for o in mine:
            for rid, piece in zip(ids, pieces, strict=True):
                if any((x.id, rid) in served for x in mine):
                    continue
                wall = _wall_share(piece, o.line)
                if wall is None or wall.length < o.width + 0.2:
                    continue
                mid = wall.interpolate(0.5, normalized=True)
                half = o.width / 2
                (ax, ay), (bx, by) = wall.coords[0], wall.coords[-1]
                ux, uy = (bx - ax) / wall.length, (by - ay) / wall.length
                seg = (
                    (round(mid.x - ux * half, 4), round(mid.y - uy * half, 4)),
                    (round(mid.x + ux * half, 4), round(mid.y + uy * half, 4)),
                )
                rooms = tuple(rid if r == room_id else r for r in o.rooms)
                oid = _fresh(f"{o.id}{rid[-1]}", {x.id for x in out})
                out.append(o.replace(id=oid, rooms=rooms, segment=seg))
                served.add((o.id, rid))
    return tuple(out)


def _wall_share(piece, line: LineString) -> LineString | None:
    """The stretch of ``piece``'s boundary on the same straight wall as ``line``."""
    (ax, ay), (bx, by) = line.coords[0], line.coords[-1]
    dx, dy = bx - ax, by - ay
    length = (dx * dx + dy * dy) ** 0.5
    far = 1000.0 / max(length, 1e-9)
    extended = LineString([(ax - dx * far, ay - dy * far), (bx + dx * far, by + dy * far)])
    shared = piece.boundary.intersection(extended.buffer(1e-6))
    if shared.is_empty:
        return None
    if shared.geom_type == "LineString":
        return shared
    parts = [g for g in getattr(shared, "geoms", []) if g.geom_type == "LineString"]
    return max(parts, key=lambda g: g.length) if parts else None


# -- the side table -----------------------------------------------------------------------
def apply_rows(plan: Plan, room_id: str, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> Plan:
    """The room's side tables applied: ``doors`` rows (id, rw, open, measured), ``walls`` rows
    (room, rw, measured), ``desks`` rows (id, staff), ``screens`` rows (id, height, remove).
    Only values that differ from the plan change anything."""
    new = plan
    for row in tables.get("doors", ()):
        door = new.door(row["id"])
        rw, is_open = float(row["rw"]), bool(row.get("open", door.is_open))
        measured = bool(row.get("measured", door.rating.measured))
        if (rw, is_open, measured) != (door.rating.rw, door.is_open, door.rating.measured):
            new = set_door(new, door.id, rw, is_open=is_open, measured=measured)
    for row in tables.get("walls", ()):
        part = new.partition(room_id, row["room"])
        if part is None:
            continue
        measured = bool(row.get("measured", part.rating.measured))
        if (float(row["rw"]), measured) != (part.rating.rw, part.rating.measured):
            new = set_wall(new, room_id, row["room"], float(row["rw"]), measured=measured)
    cleared = set()
    for row in tables.get("desks", ()):
        staff = row.get("staff")
        staff = staff if isinstance(staff, str) and staff else None  # a table's empty cell
        current = new.occupants.get(row["id"])
        if staff != (current.id if current else None):
            if staff is None and current is not None:
                cleared.add(current.id)  # asked for: this person leaves the desk
            new = assign_desk(new, row["id"], staff)
    had = {s.id for s in plan.staff if s.desk is not None}
    lost = sorted(s.id for s in new.staff if s.desk is None and s.id in had - cleared)
    if lost:
        raise EditError("desk_taken", staff=", ".join(lost))
    for row in tables.get("screens", ()):
        if row.get("remove"):
            new = remove_screen(new, row["id"])
        else:
            screen = next(s for s in new.screens if s.id == row["id"])
            if float(row["height"]) != screen.height:
                new = set_screen_height(new, row["id"], float(row["height"]))
    return new if new is plan else _checked(new)


def room_tables(plan: Plan, room_id: str) -> dict[str, list[dict[str, Any]]]:
    """The rows :func:`apply_rows` takes, as the plan has them now."""
    doors = [
        {
            "id": d.id,
            "to": next((r for r in d.rooms if r != room_id), None) or "-",
            "rw": d.rating.rw,
            "open": d.is_open,
            "measured": d.rating.measured,
        }
        for d in plan.doors
        if room_id in d.rooms
    ]
    walls = [
        {
            "room": p.rooms[1] if p.rooms[0] == room_id else p.rooms[0],
            "rw": p.rating.rw,
            "measured": p.rating.measured,
            "length": round(p.length, 2),
        }
        for p in plan.partitions
        if room_id in p.rooms
    ]
    desks = [
        {
            "id": d.id,
            "staff": (plan.occupants[d.id].id if d.id in plan.occupants else None),
            "chair": d.chair is not None,
        }
        for d in plan.desks_in(room_id)
    ]
    screens = [
        {"id": s.id, "height": s.height, "remove": False} for s in plan.screens if s.room == room_id
    ]
    return {"doors": doors, "walls": walls, "desks": desks, "screens": screens}
