"""DXF drawings from CAD: import to a plan, and export a plan for CAD.

Each layer has a role (room, label, door, desk, chair, window, screen, camera,
microphone), found from its name by the Danish and English defaults in
:data:`DEFAULT_LAYER_ROLES` or given by the caller. The import builds a native plan
document and reads it with :func:`roomplan.plan.native.read_native`, so a DXF plan is
checked exactly like a JSON one; problems name the DXF handle and layer.

Conventions (``docs/plan-format.md``): a room is a closed polyline on a room layer with
a TEXT/MTEXT label inside it ("1.02 Kontor": id, then name); a door, window, desk, chair
or camera is a block INSERT at its centre, its x axis along the wall or the way it
faces, with attributes (ID, RW, STAFF, ...) for what geometry cannot say.
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import shapely
from shapely import Point, Polygon, STRtree

from roomplan.plan.model import KINDS_IN_WORDS, ROOM_KINDS, Defaults, Plan
from roomplan.plan.native import FORMAT_VERSION, read_native
from roomplan.plan.problems import MAX_BYTES, PlanError, Problem

ROLES = ("room", "label", "door", "desk", "chair", "window", "screen", "camera", "microphone")

DEFAULT_LAYER_ROLES: Mapping[str, tuple[str, ...]] = {
    "room": ("rum", "room", "rooms", "space", "spaces", "lokale", "lokaler"),
    "label": ("rumtekst", "rumnavn", "tekst", "text", "label", "labels", "room-names"),
    "door": ("dør", "døre", "door", "doors"),
    "desk": ("bord", "borde", "arbejdsplads", "desk", "desks", "workstation"),
    "chair": ("stol", "stole", "borgerstol", "chair", "chairs"),
    "window": ("vindue", "vinduer", "window", "windows"),
    "screen": ("skærm", "skærme", "afskærmning", "screen", "screens"),
    "camera": ("kamera", "kameraer", "camera", "cameras", "webcam"),
    "microphone": ("mikrofon", "microphone", "mic"),
}
"""Layer names (lower case) that take each role. A layer also takes a role when the
first word of its name does, so "rum-omrids" and "A-DOOR" are found too."""

KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("interview", ("samtale", "interview", "consult")),
    ("waiting", ("vente", "waiting", "reception")),
    ("office", ("kontor", "office")),
    ("corridor", ("gang", "korridor", "corridor", "hall", "passage")),
    ("staff", ("frokost", "personale", "kantine", "køkken", "lunch", "kitchen", "staff")),
)
"""Words in a room's label that give its kind, in order of precedence."""

INSUNITS_METRES = {1: 0.0254, 2: 0.3048, 4: 0.001, 5: 0.01, 6: 1.0, 14: 0.1}
"""$INSUNITS code -> metres per drawing unit (inches, feet, mm, cm, m, dm)."""

DOOR_WIDTH = 0.9
"""Door width [m] when neither the block nor a WIDTH attribute gives one."""

CHAIR_REACH = 2.0
"""A chair belongs to the nearest desk in its room within this distance [m]."""

OPENING_REACH = 0.4
"""Rooms within this distance [m] of a door or window's centre are the rooms it joins."""


def parse_mapping(text: str | None) -> dict[str, str]:
    """ "A-AREA=room, A-DOOR=door" (commas or semicolons) -> {"A-AREA": "room", ...}, for
    layer roles and room kinds as people type them. ValueError carries the item that is not
    NAME=VALUE."""
    out: dict[str, str] = {}
    for item in (text or "").replace(";", ",").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(item.strip())
        out[key.strip()] = value.strip()
    return out


def layer_role(layer: str, layer_map: Mapping[str, str] | None = None) -> str | None:
    """The role of ``layer``: the caller's mapping first, then the defaults."""
    if layer_map:
        for name, role in layer_map.items():
            if name.lower() == layer.lower():
                return role
    name = layer.lower()
    first = re.split(r"[-_ .]", name, maxsplit=1)[0]
    for role, names in DEFAULT_LAYER_ROLES.items():
        if name in names or first in names:
            return role
    return None


def room_kind(name: str, kinds: Mapping[str, str] | None = None) -> str:
    """The room kind for a label: the caller's mapping (by whole name, then by word),
    then the words in :data:`KIND_WORDS`; "other" when nothing matches."""
    low = name.lower()
    if kinds:
        for key, kind in kinds.items():
            if key.lower() == low:
                return kind
        for key, kind in kinds.items():
            if key.lower() in low:
                return kind
    for kind, words in KIND_WORDS:
        if any(w in low for w in words):
            return kind
    return "other"


def _labels_in(
    polys: list[Polygon], labels: list[tuple[tuple[float, float], str]]
) -> list[list[str]]:
    """For each outline the texts of the labels inside it, in drawing order (an STRtree of
    the label points: a drawing of thousands of rooms is read in seconds)."""
    points = [Point(p) for p, _ in labels]
    tree = STRtree(points)
    out: list[list[str]] = []
    for poly in polys:
        hits = tree.query(poly, predicate="contains") if poly.is_valid and points else []
        out.append([labels[i][1] for i in sorted(int(i) for i in hits)])
    return out


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


def split_label(text: str) -> tuple[str | None, str]:
    """ "1.02 Kontor" -> ("1.02", "Kontor"); a label without a number has no id."""
    text = " ".join(text.split())
    head, _, rest = text.partition(" ")
    if re.search(r"\d", head):
        return head, rest or head
    return None, text


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
    doc = _dxf_to_native(
        data, scale=scale, layer_map=layer_map, kinds=kinds, defaults=defaults, name=name
    )
    return read_native(doc)


def dxf_layers(data: bytes) -> list[tuple[str, str | None, int]]:
    """(layer, default role, number of entities) for each layer with entities:
    what a layer-mapping form shows before import."""
    doc = _open(data)
    counts: dict[str, int] = {}
    for e in doc.modelspace():
        counts[e.dxf.layer] = counts.get(e.dxf.layer, 0) + 1
    return [(layer, layer_role(layer), n) for layer, n in sorted(counts.items())]


def dxf_units(data: bytes) -> float | None:
    """Metres per drawing unit from $INSUNITS, or None when the drawing does not say."""
    return INSUNITS_METRES.get(_open(data).header.get("$INSUNITS", 0))


def _open(data: bytes | bytearray | memoryview):
    return _open_bytes(bytes(data))


@functools.lru_cache(maxsize=2)
def _open_bytes(data: bytes):
    """The drawing, read once for the layers, the units and the plan of one upload (the
    document is only read, never changed)."""
    if len(data) > MAX_BYTES:
        raise PlanError([Problem("too_large", params={"size": len(data), "limit": MAX_BYTES})])
    from ezdxf import recover

    try:
        doc, _auditor = recover.read(io.BytesIO(data))
    except Exception as exc:  # ezdxf raises many types on damaged input
        reason = str(exc).strip() or type(exc).__name__
        raise PlanError(
            [Problem("unreadable", params={"reason": f"not a DXF drawing ({reason[:80]})"})]
        ) from None
    return doc


def _where(entity) -> str:
    return f"DXF handle {entity.dxf.handle}, layer {entity.dxf.layer}"


def _attribs(insert) -> dict[str, str]:
    return {a.dxf.tag.upper(): a.dxf.text.strip() for a in insert.attribs}


def _number(text: str | None) -> float | None:
    try:
        value = float(str(text).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


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
    """One drawing being read: its entities by role, the unit, what was found so far."""

    def __init__(self, doc, unit: float, layer_map):
        self.doc, self.unit, self.layer_map = doc, unit, layer_map
        self.by_role: dict[str, list] = {r: [] for r in ROLES}
        for e in doc.modelspace():
            role = layer_role(e.dxf.layer, layer_map)
            if role is not None:
                self.by_role[role].append(e)
        self.problems: list[Problem] = []
        self.features: list[dict] = []
        self.rooms: list[tuple[str, Polygon]] = []
        self.staff: list[dict] = []

    def xy(self, v) -> tuple[float, float]:
        return (float(v[0]) * self.unit, float(v[1]) * self.unit)

    def attribs(self, role: str):
        """The block references of a role's layers, with their attributes."""
        for e in self.by_role[role]:
            if e.dxftype() == "INSERT":
                yield e, _attribs(e)


def _dxf_to_native(data, *, scale, layer_map, kinds, defaults, name) -> dict[str, Any]:
    problems = _option_problems(scale, layer_map, kinds)
    if problems:
        raise PlanError(problems)
    doc = _open(data)
    unit = scale or INSUNITS_METRES.get(doc.header.get("$INSUNITS", 0))
    if unit is None:
        raise PlanError([Problem("dxf_no_units", "", "$INSUNITS")])
    r = _Reading(doc, unit, layer_map)
    _read_rooms(r, kinds)
    _read_openings(r)
    desks = _read_desks(r)
    _attach_chairs(r.by_role["chair"], desks, r.features, r.rooms, r.xy)
    _read_screens(r)
    _read_devices(r)
    doc_native = {
        "type": "FeatureCollection",
        "roomplan": FORMAT_VERSION,
        "properties": {
            "name": name,
            "units": "m",
            "staff": r.staff,
            "defaults": _defaults_doc(defaults or Defaults()),
        },
        "features": r.features,
    }
    if r.problems:
        try:
            read_native(doc_native)
        except PlanError as exc:
            r.problems += list(exc.problems)
        raise PlanError(r.problems)
    return doc_native


def _read_rooms(r: _Reading, kinds) -> None:
    """Rooms: closed outlines on room layers and the labels inside them."""
    outlines = []
    for e in r.by_role["room"]:
        if e.dxftype() not in ("LWPOLYLINE", "POLYLINE"):
            continue
        pts = _outline(e)
        if pts is None:
            r.problems.append(
                Problem("dxf_open_outline", _where(e), "closed", {"layer": e.dxf.layer})
            )
            continue
        outlines.append((e, [r.xy(p) for p in pts]))
    labels = []
    for e in r.by_role["room"] + r.by_role["label"]:
        if e.dxftype() == "TEXT":
            labels.append((r.xy(e.dxf.insert), e.dxf.text))
        elif e.dxftype() == "MTEXT":
            labels.append((r.xy(e.dxf.insert), e.plain_text()))
    if not outlines and not r.problems:
        found = sorted({e.dxf.layer for e in r.doc.modelspace()})
        room_layers = [layer for layer in found if layer_role(layer, r.layer_map) == "room"]
        # without rooms every other feature would be reported as outside them
        params = {"layers": ", ".join(room_layers) or "-", "found": ", ".join(found) or "-"}
        raise PlanError([Problem("dxf_no_rooms", "", "layers", params)])
    polys = [Polygon(pts) for _, pts in outlines]
    for (e, pts), poly, inside in zip(outlines, polys, _labels_in(polys, labels), strict=True):
        if len(inside) > 1:
            r.problems.append(
                Problem("dxf_two_labels", _where(e), "label", {"labels": " / ".join(inside)})
            )
        rid, rname = split_label(inside[0]) if inside else (None, "")
        rid = rid or f"R-{e.dxf.handle}"
        rname = rname or rid
        r.rooms.append((rid, poly))
        ring = [[list(p) for p in pts + pts[:1]]]
        props = {"feature": "room", "name": rname, "kind": room_kind(rname, kinds)}
        r.features.append(_feature(rid, "Polygon", ring, e, **props))


def _read_openings(r: _Reading) -> None:
    """Doors and windows: each on the wall of one room or between two; windowed rooms."""
    rooms_near, nearest = _near(r.rooms), _nearest(r.rooms)
    block_width = _block_widths(r.doc)
    windowed: set[str] = set()
    for role in ("door", "window"):
        for e in r.by_role[role]:
            seg = _opening_segment(e, r.unit, block_width)
            if seg is None:
                continue
            centre = ((seg[0][0] + seg[1][0]) / 2, (seg[0][1] + seg[1][1]) / 2)
            near = rooms_near(centre)
            if len(near) not in (1, 2):
                rid, gap = nearest(centre)
                place = {"x": round(centre[0], 1), "y": round(centre[1], 1)}
                params = {"n": len(near), "tol": OPENING_REACH, "what": role, **place}
                params.update(room=rid, gap=round(gap, 2) if math.isfinite(gap) else "-")
                r.problems.append(Problem("dxf_door_rooms", _where(e), "position", params))
                continue
            attrs = _attribs(e) if e.dxftype() == "INSERT" else {}
            props = _opening_props(role, near, attrs)
            if role == "window" and len(near) == 1:
                windowed.add(near[0])
            fid = attrs.get("ID") or f"{role[0].upper()}-{e.dxf.handle}"
            r.features.append(_feature(fid, "LineString", [list(seg[0]), list(seg[1])], e, **props))
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


def _read_desks(r: _Reading) -> list[tuple[str, tuple[float, float]]]:
    """Desks (block references), and the caseworker of each from its attributes."""
    desks = []
    for e, attrs in r.attribs("desk"):
        fid = attrs.get("ID") or f"D-{e.dxf.handle}"
        desks.append((fid, r.xy(e.dxf.insert)))
        r.features.append(_feature(fid, "Point", list(r.xy(e.dxf.insert)), e, feature="desk"))
        if attrs.get("STAFF"):
            cap = _number(attrs.get("INTERVIEWS"))
            r.staff.append(
                {
                    "id": attrs["STAFF"],
                    "role": attrs.get("ROLE", "sagsbehandler"),
                    "desk": fid,
                    "holds_interviews": cap is None or cap > 0,
                    "max_interviews": 36 if cap is None else int(cap),
                    "need_to_know": [
                        g.strip() for g in attrs.get("NTK", "").split(",") if g.strip()
                    ],
                }
            )
    return desks


def _read_screens(r: _Reading) -> None:
    """Screens between desks: lines, their height the line's thickness (1.4 m if none)."""
    for e in r.by_role["screen"]:
        if e.dxftype() != "LINE":
            continue
        height = float(e.dxf.get("thickness", 0.0)) * r.unit
        line = [list(r.xy(e.dxf.start)), list(r.xy(e.dxf.end))]
        props = {"feature": "screen", "height": height if height > 0 else 1.4}
        r.features.append(_feature(f"S-{e.dxf.handle}", "LineString", line, e, **props))


def _read_devices(r: _Reading) -> None:
    """Cameras and microphones: block references, their direction the rotation."""
    for role in ("camera", "microphone"):
        for e, attrs in r.attribs(role):
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
                props["retention_days"] = int(retention)
            fid = attrs.get("ID") or f"C-{e.dxf.handle}"
            r.features.append(_feature(fid, "Point", list(r.xy(e.dxf.insert)), e, **props))


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


def _feature(fid: str, gtype: str, coords: Any, entity, **props: Any) -> dict:
    props["dxf"] = _where(entity)
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": gtype, "coordinates": coords},
        "properties": props,
    }


def _outline(e) -> list[tuple[float, float]] | None:
    """Corner points of a closed polyline (arcs flattened to 5 cm), or None if open."""
    from ezdxf import path

    p = path.make_path(e)
    pts = [(v.x, v.y) for v in p.flattening(distance=0.05)]
    closed = e.closed if e.dxftype() == "LWPOLYLINE" else e.is_closed
    if not closed and (len(pts) < 2 or math.dist(pts[0], pts[-1]) > 1e-6):
        return None
    if len(pts) > 1 and math.dist(pts[0], pts[-1]) <= 1e-9:
        pts = pts[:-1]
    return pts


def _block_widths(doc) -> dict[str, float]:
    """Block name -> extent along its x axis [drawing units], for door and window symbols."""
    from ezdxf import bbox

    out = {}
    for block in doc.blocks:
        if block.name.startswith("*"):
            continue
        # attribute definitions are labels, not part of the opening
        box = bbox.extents(
            e for e in block if e.dxftype() in ("LINE", "LWPOLYLINE", "ARC", "POLYLINE")
        )
        if box.has_data:
            out[block.name] = float(box.size.x)
    return out


def _opening_segment(e, unit: float, widths: Mapping[str, float]):
    if e.dxftype() == "LINE":
        s, t = e.dxf.start, e.dxf.end
        return ((s[0] * unit, s[1] * unit), (t[0] * unit, t[1] * unit))
    if e.dxftype() != "INSERT":
        return None
    attrs = _attribs(e)
    width = _number(attrs.get("WIDTH")) or _number(attrs.get("BREDDE"))
    if width is not None:
        width *= unit
    elif widths.get(e.dxf.name):
        width = widths[e.dxf.name] * abs(e.dxf.get("xscale", 1.0)) * unit
    else:
        width = DOOR_WIDTH
    angle = math.radians(e.dxf.get("rotation", 0.0))
    cx, cy = e.dxf.insert[0] * unit, e.dxf.insert[1] * unit
    dx, dy = math.cos(angle) * width / 2, math.sin(angle) * width / 2
    return ((cx - dx, cy - dy), (cx + dx, cy + dy))


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


# -- export ------------------------------------------------------------------------
def write_dxf(plan: Plan, *, units: str = "mm") -> bytes:
    """A DXF drawing of ``plan`` in the conventions :func:`read_dxf` reads, with
    Danish layer names. ``units``: "mm" (the CAD default) or "m"."""
    w = _Writer({"mm": 1000.0, "m": 1.0}[units])
    w.doc.header["$INSUNITS"] = 4 if units == "mm" else 6
    w.rooms(plan)
    w.openings(plan)
    w.desks(plan)
    w.screens(plan)
    w.devices(plan)
    stream = io.StringIO()
    w.doc.write(stream)
    return stream.getvalue().encode("utf-8")


class _Writer:
    """A new drawing with roomplan's layers and blocks, ``factor`` drawing units a metre."""

    LAYERS = (
        ("rum", 7),
        ("rumtekst", 3),
        ("dør", 1),
        ("vindue", 5),
        ("bord", 2),
        ("stol", 6),
        ("skærm", 4),
        ("kamera", 1),
    )

    def __init__(self, factor: float):
        import ezdxf

        self.factor = factor
        self.doc = ezdxf.new("R2010", setup=False)
        for layer, colour in self.LAYERS:
            self.doc.layers.add(layer, color=colour)
        half = DOOR_WIDTH * factor / 2
        self.block("DOOR", half, ("ID", "RW", "CONSTRUCTION", "SOURCE", "OPEN"))
        self.block("WINDOW", half, ("ID", "RW", "CONSTRUCTION", "SOURCE"))
        self.block("DESK", 0.3 * factor, ("ID", "STAFF", "ROLE", "INTERVIEWS", "NTK"))
        self.block("CHAIR", 0.2 * factor, ())
        camera = ("ID", "KIND", "FOV", "RANGE", "RECORDING", "RETENTION", "SIGNAGE")
        self.block("CAMERA", 0.1 * factor, camera)
        self.msp = self.doc.modelspace()

    def block(self, name: str, half: float, attrs: tuple[str, ...]) -> None:
        b = self.doc.blocks.new(name)
        b.add_line((-half, 0), (half, 0))
        height = {"height": 0.05 * self.factor}
        for i, tag in enumerate(attrs):
            b.add_attdef(tag, (0, -0.1 * self.factor * (i + 1)), dxfattribs=height)

    def s(self, p) -> tuple[float, float]:
        return (p[0] * self.factor, p[1] * self.factor)

    def insert(self, name, layer, at, rotation=0.0, xscale=1.0, values=None) -> None:
        attribs = {"layer": layer, "rotation": rotation, "xscale": xscale}
        ref = self.msp.add_blockref(name, self.s(at), dxfattribs=attribs)
        ref.add_auto_attribs({k: str(v) for k, v in (values or {}).items()})

    def rooms(self, plan: Plan) -> None:
        for room in plan.rooms:
            self.msp.add_lwpolyline(
                [self.s(c) for c in room.polygon.exterior.coords[:-1]],
                close=True,
                dxfattribs={"layer": "rum"},
            )
            at = room.polygon.representative_point()
            self.msp.add_text(
                f"{room.id} {room.name}",
                height=0.25 * self.factor,
                dxfattribs={"layer": "rumtekst", "insert": self.s((at.x, at.y))},
            )

    def openings(self, plan: Plan) -> None:
        for layer, block_name, openings in (
            ("dør", "DOOR", plan.doors),
            ("vindue", "WINDOW", plan.windows),
        ):
            for o in openings:
                (x0, y0), (x1, y1) = o.segment
                angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
                values = {
                    "ID": o.id,
                    "RW": o.rating.rw,
                    "CONSTRUCTION": o.rating.construction,
                    "SOURCE": o.rating.source,
                }
                if block_name == "DOOR":
                    values["OPEN"] = "ja" if o.is_open else "nej"
                middle = ((x0 + x1) / 2, (y0 + y1) / 2)
                self.insert(block_name, layer, middle, angle, o.width / DOOR_WIDTH, values)

    def desks(self, plan: Plan) -> None:
        for desk in plan.desks:
            member = plan.occupants.get(desk.id)
            values: dict[str, Any] = {"ID": desk.id}
            if member is not None:
                values.update(
                    STAFF=member.id,
                    ROLE=member.role,
                    INTERVIEWS=member.max_interviews if member.holds_interviews else 0,
                    NTK=",".join(member.need_to_know),
                )
            self.insert("DESK", "bord", desk.seat, values=values)
            if desk.chair is not None:
                self.insert("CHAIR", "stol", desk.chair)

    def screens(self, plan: Plan) -> None:
        for screen in plan.screens:
            self.msp.add_line(
                self.s(screen.segment[0]),
                self.s(screen.segment[1]),
                dxfattribs={"layer": "skærm", "thickness": screen.height * self.factor},
            )

    def devices(self, plan: Plan) -> None:
        for dev in plan.devices:
            values = {
                "ID": dev.id,
                "KIND": dev.kind,
                "FOV": dev.fov_deg,
                "RANGE": dev.range_m,
                "RECORDING": "ja" if dev.recording else "nej",
                "RETENTION": "" if dev.retention_days is None else dev.retention_days,
                "SIGNAGE": "ja" if dev.signage else "nej",
            }
            self.insert("CAMERA", "kamera", dev.position, dev.direction_deg, values=values)
