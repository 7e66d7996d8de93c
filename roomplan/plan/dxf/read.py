"""DXF drawings from CAD to a plan, with what the import assumed.

Each layer has a role (room, label, door, desk, chair, window, screen, camera,
microphone), found from its name (:mod:`roomplan.plan.dxf.conventions`) or given by the
caller. The import builds a native plan document and reads it with
:func:`roomplan.plan.native.read_native`, so a DXF plan is checked exactly like a JSON
one; problems name the DXF handle, the layer and the place in metres.

Conventions (``docs/plan-format.md``): a room is a closed outline on a room layer with a
label inside it (a TEXT/MTEXT "1.02 Kontor", or a room stamp with RUMNR/RUMNAVN
attributes); a door, window, desk, chair or camera is a block INSERT. A door's opening is
the extent of its block along the block's x axis, on the line through its base point: a
block drawn centred on the opening and one drawn from the hinge (the common convention)
both give the opening where it is drawn.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely import Point, Polygon, STRtree

from roomplan.plan.dxf.conventions import (
    ROLES,
    is_wall_layer,
    label_parts,
    layer_role,
    room_kind,
    stamp_text,
)
from roomplan.plan.dxf.drawing import (
    INSUNITS_METRES,
    UNIT_NAMES,
    Item,
    attributes,
    drawing_unit,
    open_drawing,
    walk,
)
from roomplan.plan.dxf.outlines import Outline, ends_meet, room_outlines
from roomplan.plan.model import KINDS_IN_WORDS, ROOM_KINDS, Defaults, Plan
from roomplan.plan.native import FORMAT_VERSION, MAX_ROOMS, read_native
from roomplan.plan.problems import Notice, PlanError, Problem

DOOR_WIDTH = 0.9
"""Door width [m] when neither the block nor a WIDTH attribute gives one."""

CHAIR_REACH = 2.0
"""A chair belongs to the nearest desk in its room within this distance [m]."""

OPENING_REACH = 0.4
"""Rooms within this distance [m] of a door or window's centre are the rooms it joins."""

FAR_ORIGIN = 10_000.0
"""A drawing whose rooms lie this far [m] from its origin (map coordinates such as UTM)
is moved to start near (0, 0); the import says by how much."""

ROOM_SIDE = (0.5, 80.0)
"""Plausible median room size [m], the square root of the area: outside it the drawing's
unit is wrong, and the import suggests the unit that fits."""


@dataclass(frozen=True)
class DxfImport:
    """A plan read from DXF and what the import assumed (units, layers, defaults)."""

    plan: Plan
    notices: tuple[Notice, ...]


def read_dxf(
    data: bytes,
    *,
    scale: float | None = None,
    layer_map: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    defaults: Defaults | None = None,
    name: str = "",
) -> Plan:
    """A plan from DXF bytes; PlanError lists every problem.

    scale: metres per drawing unit, required when the drawing's $INSUNITS is unset
    (and overriding it when given); layer_map: layer name -> role, overriding the
    defaults; kinds: label or word -> room kind."""
    found = import_dxf(
        data, scale=scale, layer_map=layer_map, kinds=kinds, defaults=defaults, name=name
    )
    return found.plan


def import_dxf(
    data: bytes,
    *,
    scale: float | None = None,
    layer_map: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    defaults: Defaults | None = None,
    name: str = "",
) -> DxfImport:
    """:func:`read_dxf`, with the notices of what the import assumed."""
    problems = _option_problems(scale, layer_map, kinds)
    if problems:
        raise PlanError(problems)
    doc = open_drawing(data)
    walked = walk(doc, layer_map)
    r = _Reading(doc, walked.items, layer_map)
    r.set_unit(scale)
    _read_rooms(r, kinds)
    _read_openings(r)
    desks = _read_desks(r)
    _attach_chairs([i.entity for i in r.by_role["chair"]], desks, r.features, r.rooms, r.xy)
    _read_screens(r)
    _read_devices(r)
    plan_name = name or str(doc.header.get("$PROJECTNAME", "") or "").strip()
    native = _native(r, plan_name, defaults or Defaults())
    if r.problems:
        try:
            read_native(native)
        except PlanError as exc:
            r.problems += list(exc.problems)
        raise PlanError(r.problems)
    plan = read_native(native)
    notices = _notices(r, walked.exploded, plan, scale)
    return DxfImport(plan, tuple(notices))


def dxf_layers(data: bytes) -> list[tuple[str, str | None, int]]:
    """(layer, default role, number of entities) for each layer with entities, those
    inside exploded blocks too: what a layer-mapping form shows before import."""
    from roomplan.plan.dxf.drawing import layers_of

    counts = layers_of(open_drawing(data))
    return [(layer, layer_role(layer), n) for layer, n in counts.items()]


def dxf_units(data: bytes) -> float | None:
    """Metres per drawing unit from $INSUNITS, or None when the drawing does not say."""
    return drawing_unit(open_drawing(data))


def _number(text: str | None) -> float | None:
    try:
        value = float(str(text).replace(",", "."))
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _whole(value: float) -> float | int:
    """A whole number as int (the plan's fields for counts take no 36.0)."""
    return int(value) if value.is_integer() else value


def _yes(text: str | None) -> bool:
    return str(text).strip().lower() in ("1", "ja", "yes", "true", "j", "y")


def _option_problems(scale, layer_map, kinds) -> list[Problem]:
    """What is wrong with the caller's scale, layer roles and room kinds."""
    problems = [
        Problem(
            "dxf_bad_layer_map",
            str(layer),
            "layer_map",
            {"layer": layer, "value": role, "allowed": ", ".join(ROLES)},
        )
        for layer, role in (layer_map or {}).items()
        if role not in ROLES
    ]
    problems += [
        Problem("unknown_room_kind", str(key), "kinds", {"value": kind, "allowed": KINDS_IN_WORDS})
        for key, kind in (kinds or {}).items()
        if kind not in ROOM_KINDS
    ]
    if scale is not None and (
        not isinstance(scale, int | float) or not math.isfinite(scale) or scale <= 0
    ):
        problems.append(Problem("dxf_bad_scale", "", "scale", {"value": scale}))
    return problems


class _Reading:
    """One drawing being read: its entities by role, the unit and origin, what was found."""

    def __init__(self, doc, items: list[Item], layer_map):
        self.doc, self.layer_map = doc, layer_map
        self.by_role: dict[str, list[Item]] = {r: [] for r in ROLES}
        self.unread: dict[str, int] = {}
        for item in items:
            role = layer_role(item.layer, layer_map)
            if role is not None:
                self.by_role[role].append(item)
            elif item.kind == "INSERT" and stamp_text(attributes(item.entity)) is not None:
                self.by_role["label"].append(item)
            else:
                self.unread[item.layer] = self.unread.get(item.layer, 0) + 1
        self.unit = 1.0
        self.origin = (0.0, 0.0)  # [m], subtracted from every point
        self.problems: list[Problem] = []
        self.features: list[dict] = []
        self.rooms: list[tuple[str, Polygon]] = []
        self.outlines: list[Outline] = []
        self.staff: list[dict] = []
        self.labels_unread: list[str] = []
        self.stamps = 0

    def xy(self, v) -> tuple[float, float]:
        """A point in drawing units -> plan metres."""
        return (
            float(v[0]) * self.unit - self.origin[0],
            float(v[1]) * self.unit - self.origin[1],
        )

    def inserts(self, role: str):
        """The block references of a role's layers, with their attributes."""
        for item in self.by_role[role]:
            if item.kind == "INSERT":
                yield item, attributes(item.entity)

    def set_unit(self, scale: float | None) -> None:
        """The unit from the caller or $INSUNITS, checked against the rooms' sizes; the
        origin moved near the rooms when they lie far from it."""
        unit = scale or drawing_unit(self.doc)
        sides = _room_sides(self.by_role["room"])
        params: dict[str, Any] = {"guess": _unit_guess(sides) or "-"}
        if unit is None:
            raise PlanError([Problem("dxf_no_units", "", "$INSUNITS", params)])
        self.unit = unit
        side = statistics.median(sides) * unit if sides else None
        if side is not None and not ROOM_SIDE[0] <= side <= ROOM_SIDE[1]:
            params.update(side=round(side, 3), unit=UNIT_NAMES.get(unit, f"{unit} m"))
            raise PlanError([Problem("dxf_scale_suspect", "", "$INSUNITS", params)])
        corner = _lowest_corner(self.by_role["room"])
        if corner is not None and max(abs(corner[0]), abs(corner[1])) * unit > FAR_ORIGIN:
            self.origin = (math.floor(corner[0] * unit), math.floor(corner[1] * unit))


def _room_corners(items: list[Item]) -> np.ndarray:
    """Vertices of the room layers' polylines and lines [drawing units], for the scale
    and origin checks before any outline is built."""
    pts: list[tuple[float, float]] = []
    for item in items:
        e = item.entity
        if item.kind == "LWPOLYLINE":
            pts.extend((float(x), float(y)) for x, y in e.get_points("xy"))
        elif item.kind == "POLYLINE":
            pts.extend((float(v[0]), float(v[1])) for v in e.points())
        elif item.kind == "LINE":
            pts.extend([(e.dxf.start[0], e.dxf.start[1]), (e.dxf.end[0], e.dxf.end[1])])
    return np.asarray(pts, dtype=float).reshape(-1, 2)


def _room_sides(items: list[Item]) -> list[float]:
    """Square root of the bounding-box area of each closed polyline on the room layers
    [drawing units]: a room's size before the unit is known."""
    out = []
    for item in items:
        if item.kind in ("LWPOLYLINE", "POLYLINE"):
            pts = _room_corners([item])
            if len(pts) >= 3:
                w, h = pts.max(axis=0) - pts.min(axis=0)
                if w > 0 and h > 0:
                    out.append(math.sqrt(w * h))
    return out


def _unit_guess(sides: list[float]) -> str | None:
    """The unit in which the rooms' median size is nearest 4 m, as "mm (0.001)"."""
    if not sides:
        return None
    median = statistics.median(sides)
    best = min(INSUNITS_METRES.values(), key=lambda u: abs(math.log(median * u / 4.0)))
    return f"{UNIT_NAMES[best]} ({best:g})"


def _lowest_corner(items: list[Item]) -> tuple[float, float] | None:
    pts = _room_corners(items)
    if not len(pts):
        return None
    low = pts.min(axis=0)
    return float(low[0]), float(low[1])


def _native(r: _Reading, name: str, defaults: Defaults) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "roomplan": FORMAT_VERSION,
        "properties": {
            "name": name,
            "units": "m",
            "staff": r.staff,
            "defaults": _defaults_doc(defaults),
        },
        "features": r.features,
    }


def _labels(r: _Reading) -> list[tuple[tuple[float, float], str]]:
    """(point [m], text) of every label: texts on room and label layers, room stamps."""
    out = []
    for item in r.by_role["room"] + r.by_role["label"]:
        e = item.entity
        if item.kind == "TEXT":
            out.append((r.xy(e.dxf.insert), e.dxf.text))
        elif item.kind == "MTEXT":
            out.append((r.xy(e.dxf.insert), e.plain_text()))
        elif item.kind == "INSERT":
            text = stamp_text(attributes(e))
            if text is not None:
                r.stamps += 1
                out.append((r.xy(e.dxf.insert), text))
    return out


def _labels_in(
    polys: list[Polygon], labels: list[tuple[tuple[float, float], str]]
) -> tuple[list[list[str]], list[int]]:
    """For each outline the texts of the labels inside it, in drawing order, and the
    labels in no outline (an STRtree of the label points)."""
    points = [Point(p) for p, _ in labels]
    tree = STRtree(points)
    out: list[list[str]] = []
    used: set[int] = set()
    for poly in polys:
        hits = tree.query(poly, predicate="contains") if poly.is_valid and points else []
        inside = sorted(int(i) for i in hits)
        used.update(inside)
        out.append([labels[i][1] for i in inside])
    return out, [i for i in range(len(labels)) if i not in used]


def _read_rooms(r: _Reading, kinds) -> None:
    """Rooms: outlines on room layers and the labels inside them."""
    # the limit counted before the outlines are built: 25,000 rooms are refused in seconds
    closed = sum(ends_meet(item, r.unit) for item in r.by_role["room"])
    if closed > MAX_ROOMS:
        raise PlanError([Problem("too_many_rooms", params={"n": closed, "limit": MAX_ROOMS})])
    found = room_outlines(r.by_role["room"], r.unit, r.xy)
    for item, (x, y) in found.open:
        params = {"layer": item.layer, "x": x, "y": y}
        r.problems.append(Problem("dxf_open_outline", item.where, "closed", params))
    if len(found.found) > MAX_ROOMS:
        params = {"n": len(found.found), "limit": MAX_ROOMS}
        raise PlanError([Problem("too_many_rooms", params=params)])
    if not found.found and not r.problems:
        room_layers = [
            layer for layer in _all_layers(r) if layer_role(layer, r.layer_map) == "room"
        ]
        # without rooms every other feature would be reported as outside them
        params = {"layers": ", ".join(room_layers) or "-", "found": ", ".join(_all_layers(r))}
        raise PlanError([Problem("dxf_no_rooms", "", "layers", params)])
    r.outlines = found.found
    polys = [Polygon(o.points) for o in found.found]
    labels = _labels(r)
    inside_each, loose = _labels_in(polys, labels)
    r.labels_unread = [labels[i][1].replace("\n", " ") for i in loose]
    for outline, poly, inside in zip(found.found, polys, inside_each, strict=True):
        _add_room(r, outline, poly, inside, kinds)


def _add_room(r: _Reading, outline: Outline, poly: Polygon, inside: list[str], kinds) -> None:
    numbers, rname = label_parts(inside)
    if len(numbers) > 1:
        params = {"labels": " / ".join(t.replace("\n", " ") for t in inside)}
        r.problems.append(Problem("dxf_two_labels", outline.item.where, "label", params))
    rid = numbers[0] if numbers else f"R-{outline.item.handle}"
    rname = rname or rid
    r.rooms.append((rid, poly))
    pts = outline.points
    ring = [[list(p) for p in pts + pts[:1]]]
    props = {"feature": "room", "name": rname, "kind": room_kind(rname, kinds)}
    r.features.append(_feature(rid, "Polygon", ring, outline.item, **props))


def _all_layers(r: _Reading) -> list[str]:
    layers = {i.layer for items in r.by_role.values() for i in items} | set(r.unread)
    return sorted(layers)


def _read_openings(r: _Reading) -> None:
    """Doors and windows: each on the wall of one room or between two; windowed rooms."""
    rooms_near, nearest = _near(r.rooms), _nearest(r.rooms)
    extents: dict[str, tuple[float, float] | None] = {}
    windowed: set[str] = set()
    for role in ("door", "window"):
        for item in r.by_role[role]:
            seg = _opening_segment(item.entity, r, extents)
            if seg is None:
                continue
            centre = ((seg[0][0] + seg[1][0]) / 2, (seg[0][1] + seg[1][1]) / 2)
            near = rooms_near(centre)
            if len(near) not in (1, 2):
                rid, gap = nearest(centre)
                place = {"x": round(centre[0], 1), "y": round(centre[1], 1)}
                params = {"n": len(near), "tol": OPENING_REACH, "what": role, **place}
                params.update(room=rid, gap=round(gap, 2) if math.isfinite(gap) else "-")
                r.problems.append(Problem("dxf_door_rooms", item.where, "position", params))
                continue
            attrs = attributes(item.entity) if item.kind == "INSERT" else {}
            props = _opening_props(role, near, attrs)
            if role == "window" and len(near) == 1:
                windowed.add(near[0])
            fid = attrs.get("ID") or f"{role[0].upper()}-{item.handle}"
            line = [list(seg[0]), list(seg[1])]
            r.features.append(_feature(fid, "LineString", line, item, **props))
    for f in r.features:
        if f["properties"]["feature"] == "room":
            f["properties"]["windows"] = f["id"] in windowed


def _opening_props(role: str, near: list[str], attrs: Mapping[str, str]) -> dict[str, Any]:
    props: dict[str, Any] = {
        "feature": role,
        "rooms": [near[0], near[1] if len(near) > 1 else None],
    }
    rw = _number(attrs.get("RW"))
    if rw is not None:
        props.update(
            rw=rw, construction=attrs.get("CONSTRUCTION", ""), source=attrs.get("SOURCE", "")
        )
    if role == "door":
        props["open"] = _yes(attrs.get("OPEN"))
    return props


def _block_extent(doc, name: str) -> tuple[float, float] | None:
    """A door or window symbol's extent along its block's x axis [block units]: the
    leaf, frame and swing (the arc reaches as far as the leaf is wide); texts and
    attribute definitions are labels, not part of the opening."""
    from ezdxf import bbox

    block = doc.blocks.get(name)
    if block is None:
        return None
    shapes = ("LINE", "LWPOLYLINE", "ARC", "POLYLINE", "SPLINE", "ELLIPSE")
    box = bbox.extents(e for e in block if e.dxftype() in shapes)
    if not box.has_data or box.size.x <= 0:
        return None
    return float(box.extmin.x), float(box.extmax.x)


def _opening_segment(e, r: _Reading, extents: dict[str, tuple[float, float] | None]):
    """The opening of a door or window [m]: a LINE as drawn, or a block's extent along
    its x axis on the line through the block's base point, as inserted (rotated,
    scaled, mirrored); a WIDTH attribute [drawing units] sets the width."""
    if e.dxftype() == "LINE":
        return (r.xy(e.dxf.start), r.xy(e.dxf.end))
    if e.dxftype() != "INSERT":
        return None
    name = e.dxf.name
    if name not in extents:
        extents[name] = _block_extent(r.doc, name)
    extent = extents[name]
    m = e.matrix44()
    base = e.block().block.dxf.base_point if e.block() is not None else (0.0, 0.0, 0.0)
    along = m.transform_direction((1.0, 0.0, 0.0))
    along = along.normalize() if along.magnitude > 0 else along
    if extent is None:
        centre = m.transform((base[0], base[1], 0.0))
        half = DOOR_WIDTH / r.unit / 2
    else:
        ends = [m.transform((x, base[1], 0.0)) for x in extent]
        centre = (ends[0] + ends[1]) / 2
        half = (ends[1] - ends[0]).magnitude / 2
    width = _number(attributes(e).get("WIDTH")) or _number(attributes(e).get("BREDDE"))
    if width is not None and width > 0:
        half = width / 2
    a, b = centre - along * half, centre + along * half
    return (r.xy(a), r.xy(b))


def _near(rooms: list[tuple[str, Polygon]]) -> Callable[[tuple[float, float]], list[str]]:
    """A function giving the rooms whose outline is within :data:`OPENING_REACH` of a point,
    nearest first (an STRtree of the outlines)."""
    valid = [(rid, poly) for rid, poly in rooms if poly.is_valid]
    tree = STRtree([poly for _, poly in valid])

    def near(p: tuple[float, float]) -> list[str]:
        point = Point(p)
        hits = tree.query(point, predicate="dwithin", distance=OPENING_REACH) if valid else []
        found = sorted((valid[i][1].exterior.distance(point), valid[i][0]) for i in hits)
        return [rid for d, rid in found if d <= OPENING_REACH]

    return near


def _nearest(
    rooms: list[tuple[str, Polygon]],
) -> Callable[[tuple[float, float]], tuple[str, float]]:
    """A function giving the room whose outline is nearest a point, and how far [m]."""
    valid = [(rid, poly) for rid, poly in rooms if poly.is_valid]
    rings = [poly.exterior for _, poly in valid]
    tree = STRtree(rings)

    def nearest(p: tuple[float, float]) -> tuple[str, float]:
        if not valid:
            return "-", math.inf
        i = int(tree.query_nearest(Point(p))[0])
        return valid[i][0], float(rings[i].distance(Point(p)))

    return nearest


def _read_desks(r: _Reading) -> list[tuple[str, tuple[float, float]]]:
    """Desks (block references), and the caseworker of each from its attributes."""
    desks = []
    for item, attrs in r.inserts("desk"):
        fid = attrs.get("ID") or f"D-{item.handle}"
        at = r.xy(item.entity.dxf.insert)
        desks.append((fid, at))
        r.features.append(_feature(fid, "Point", list(at), item, feature="desk"))
        if attrs.get("STAFF"):
            cap = _number(attrs.get("INTERVIEWS"))
            r.staff.append(
                {
                    "id": attrs["STAFF"],
                    "role": attrs.get("ROLE", "sagsbehandler"),
                    "desk": fid,
                    "holds_interviews": cap is None or cap > 0,
                    "max_interviews": 36 if cap is None else _whole(cap),
                    "need_to_know": [
                        g.strip() for g in attrs.get("NTK", "").split(",") if g.strip()
                    ],
                }
            )
    return desks


def _read_screens(r: _Reading) -> None:
    """Screens between desks: lines, their height the line's thickness (1.4 m if none)."""
    for item in r.by_role["screen"]:
        e = item.entity
        if item.kind != "LINE":
            continue
        height = float(e.dxf.get("thickness", 0.0)) * r.unit
        line = [list(r.xy(e.dxf.start)), list(r.xy(e.dxf.end))]
        props = {"feature": "screen", "height": height if height > 0 else 1.4}
        r.features.append(_feature(f"S-{item.handle}", "LineString", line, item, **props))


def _read_devices(r: _Reading) -> None:
    """Cameras and microphones: block references, their direction the rotation."""
    for role in ("camera", "microphone"):
        for item, attrs in r.inserts(role):
            e = item.entity
            kind = attrs.get("KIND", "webcam" if role == "camera" else "microphone").lower()
            props = {
                "feature": "device",
                "kind": kind,
                "direction_deg": float(e.dxf.get("rotation", 0.0)),
                "recording": _yes(attrs.get("RECORDING")),
                "signage": _yes(attrs.get("SIGNAGE")),
            }
            for key, attr in (("fov_deg", "FOV"), ("range_m", "RANGE")):
                if _number(attrs.get(attr)) is not None:
                    props[key] = _number(attrs.get(attr))
            retention = _number(attrs.get("RETENTION"))
            if retention is not None:
                props["retention_days"] = _whole(retention)
            fid = attrs.get("ID") or f"C-{item.handle}"
            at = r.xy(e.dxf.insert)
            r.features.append(_feature(fid, "Point", list(at), item, **props))


def _defaults_doc(d: Defaults) -> dict:
    def rating(r):
        return {"rw": r.rw, "construction": r.construction, "source": r.source}

    return {
        "ceiling_height": d.ceiling_height,
        "door_height": d.door_height,
        "noise_dba": dict(d.noise_dba),
        "rt60": dict(d.rt60),
        "partitions": {k: rating(v) for k, v in d.partitions.items()},
        "door": rating(d.door),
        "window": rating(d.window),
    }


def _feature(fid: str, gtype: str, coords: Any, item: Item, **props: Any) -> dict:
    props["dxf"] = item.where
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": gtype, "coordinates": coords},
        "properties": props,
    }


def _room_of(points: list[tuple[float, float]], rooms) -> list[str | None]:
    """The room each point lies in (the first in ``rooms`` order where outlines overlap),
    or None; one STRtree query for all points."""
    if not points:
        return []
    valid = [(rid, poly) for rid, poly in rooms if poly.is_valid]
    out: list[str | None] = [None] * len(points)
    if not valid:
        return out
    tree = STRtree([poly for _, poly in valid])
    first: dict[int, int] = {}
    for i, r in zip(
        *tree.query(shapely.points(np.asarray(points)), predicate="within"), strict=True
    ):
        if int(i) not in first or r < first[int(i)]:
            first[int(i)] = int(r)
    for i, r in first.items():
        out[i] = valid[r][0]
    return out


def _attach_chairs(chairs, desks, features, rooms, xy) -> None:
    """Give each chair to the nearest desk in the same room that has none yet."""
    if not desks:
        return
    from scipy.spatial import cKDTree

    by_id = {f["id"]: f for f in features if f["properties"]["feature"] == "desk"}
    room_of = dict(
        zip((fid for fid, _ in desks), _room_of([p for _, p in desks], rooms), strict=True)
    )
    where = {"INSERT": "insert", "CIRCLE": "center", "POINT": "location"}
    seats = [xy(e.dxf.get(where[e.dxftype()])) for e in chairs if e.dxftype() in where]
    pos = np.array([p for _, p in desks])
    tree = cKDTree(pos)
    for c, c_room in zip(seats, _room_of(seats, rooms), strict=True):
        reach = tree.query_ball_point(c, CHAIR_REACH)
        dist = np.hypot(pos[reach, 0] - c[0], pos[reach, 1] - c[1])
        for _, k in sorted(zip(dist.tolist(), reach, strict=True)):
            fid = desks[k][0]
            if room_of[fid] == c_room and "chair" not in by_id[fid]["properties"]:
                by_id[fid]["properties"]["chair"] = list(c)
                break


def _notices(r: _Reading, exploded: Mapping[str, int], plan: Plan, scale) -> list[Notice]:
    """What the import assumed or did, in the order a reader checks it."""
    unit = UNIT_NAMES.get(r.unit, f"{r.unit:g} m")
    out = [Notice("dxf_units" if scale is None else "dxf_scale", {"unit": unit, "scale": r.unit})]
    if r.origin != (0.0, 0.0):
        out.append(Notice("dxf_origin", {"x": r.origin[0], "y": r.origin[1]}))
    read = [
        f"{item.layer} ({role})"
        for role in ROLES
        for item in {i.layer: i for i in r.by_role[role]}.values()
    ]
    out.append(Notice("dxf_layers_read", {"layers": ", ".join(sorted(set(read)))}))
    walls = [layer for layer in r.unread if is_wall_layer(layer)]
    others = [f"{layer} ({n})" for layer, n in r.unread.items() if layer not in walls]
    if walls:
        out.append(Notice("dxf_walls", {"layers": ", ".join(sorted(walls))}))
    if others:
        out.append(Notice("dxf_layers_unread", {"layers": ", ".join(sorted(others))}))
    if exploded:
        blocks = ", ".join(f"{name} × {n}" for name, n in sorted(exploded.items()))
        out.append(Notice("dxf_exploded", {"blocks": blocks}))
    pieces = sum(o.from_pieces for o in r.outlines)
    if pieces:
        out.append(Notice("dxf_line_rooms", {"n": pieces}))
    if r.stamps:
        out.append(Notice("dxf_stamps", {"n": r.stamps}))
    out += _room_notices(r, plan)
    return out


def _room_notices(r: _Reading, plan: Plan) -> list[Notice]:
    """Rooms without a label or a kind, labels in no room, ratings left at defaults."""
    out = []
    unlabelled = [room.id for room in plan.rooms if room.id.startswith("R-")]
    if unlabelled:
        out.append(Notice("dxf_unlabelled", {"n": len(unlabelled), "ids": _few(unlabelled)}))
    if r.labels_unread:
        params = {"n": len(r.labels_unread), "labels": _few(r.labels_unread)}
        out.append(Notice("dxf_labels_unread", params))
    other = [f"{room.id} {room.name}" for room in plan.rooms if room.kind == "other"]
    if other:
        out.append(Notice("dxf_kind_other", {"n": len(other), "rooms": _few(other)}))
    bare = {
        role: sum(
            1
            for f in r.features
            if f["properties"]["feature"] == role and "rw" not in f["properties"]
        )
        for role in ("door", "window")
    }
    d = plan.defaults
    params = {
        "doors": bare["door"],
        "windows": bare["window"],
        "door_rw": d.door.rw,
        "window_rw": d.window.rw,
        "wall_rw": d.partition_rating("default").rw,
    }
    code = "dxf_default_ratings" if bare["door"] or bare["window"] else "dxf_default_walls"
    out.append(Notice(code, params))
    return out


def _few(names: list[str], n: int = 5) -> str:
    """The first ``n`` names, and how many more."""
    shown = ", ".join(names[:n])
    return shown + (f" (+{len(names) - n})" if len(names) > n else "")
