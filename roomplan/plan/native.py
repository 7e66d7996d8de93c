"""The native plan file: a GeoJSON FeatureCollection in local metres.

Reading collects every problem before giving up: a feature with a broken field is
reported and left out, and the plan-wide checks (:mod:`roomplan.plan.checks`) still run
on the rest. The format is described in ``docs/plan-format.md`` and by the JSON Schema
``roomplan/plan/schema.json``.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from importlib.resources import files
from typing import Any

import numpy as np
from shapely import Polygon, is_valid_reason

from roomplan.plan.checks import check_plan, place_features
from roomplan.plan.model import (
    DEVICE_KINDS,
    KINDS_IN_WORDS,
    ROOM_KINDS,
    Defaults,
    Desk,
    Device,
    Door,
    PartitionRating,
    Plan,
    Rating,
    Room,
    Screen,
    Staff,
    Window,
)
from roomplan.plan.problems import MAX_BYTES, MAX_FEATURES, PlanError, Problem

FORMAT_VERSION = 1
FEATURE_TYPES = ("room", "door", "window", "desk", "screen", "device")

_MISSING = object()


class _Reader:
    """Typed access to untrusted JSON that records a problem instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, code: str, feature: str = "", field: str = "", **params: Any) -> None:
        self.problems.append(Problem(code, feature, field, params))

    def get(self, obj: Mapping, key: str, where: str, prefix: str, default: Any = _MISSING):
        if key in obj and obj[key] is not None:
            return obj[key]
        if default is _MISSING:
            self.problem("missing_field", where, prefix + key)
            return None
        return default

    def number(
        self,
        obj: Mapping,
        key: str,
        where: str,
        prefix: str = "",
        default: Any = _MISSING,
        limits: tuple[float | None, float | None] = (None, None),
    ) -> float | None:
        """``obj[key]`` as a finite number within ``limits`` (low, high; None: no limit), or
        None with the problem noted."""
        low, high = limits
        value = self.get(obj, key, where, prefix, default)
        if value is None or value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem("bad_type", where, prefix + key, expected="number", value=_show(value))
            return None
        if _huge(value):
            self.out_of_range(where, prefix + key, value, low, high)
            return None
        value = float(value)
        if not math.isfinite(value):
            self.problem("non_finite", where, prefix + key, value=_show(value))
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.out_of_range(where, prefix + key, value, low, high)
            return None
        return value

    def out_of_range(
        self, where: str, field: str, value: Any, low: float | None, high: float | None
    ) -> None:
        self.problem(
            "out_of_range",
            where,
            field,
            value=_show_number(value),
            low="-∞" if low is None else low,
            high="∞" if high is None else high,
        )

    def whole(self, obj: Mapping, key: str, where: str, default: Any, high: int) -> int | None:
        """A whole number from 0 to ``high`` (``expected`` words the type problem)."""
        value = obj.get(key, default)
        if _huge(value) or (isinstance(value, int) and value > high):
            self.out_of_range(where, key, value, 0, high)
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            expected = "whole"
            self.problem("bad_type", where, key, expected=expected, value=_show(value))
            return None
        return value

    def text(self, obj: Mapping, key: str, where: str, prefix: str = "", default: Any = _MISSING):
        value = self.get(obj, key, where, prefix, default)
        if value is None or value is default:
            return value
        if not isinstance(value, str):
            self.problem("bad_type", where, prefix + key, expected="text", value=_show(value))
            return None
        return value

    def flag(self, obj: Mapping, key: str, where: str, prefix: str = "", default: Any = _MISSING):
        value = self.get(obj, key, where, prefix, default)
        if value is None or isinstance(value, bool):
            return value
        self.problem("bad_type", where, prefix + key, expected="flag", value=_show(value))
        return None

    def point(self, value: Any, where: str, field: str) -> tuple[float, float] | None:
        if (
            not isinstance(value, list | tuple)
            or len(value) not in (2, 3)
            or any(isinstance(c, bool) or not isinstance(c, int | float) for c in value)
        ):
            self.problem("bad_coordinate", where, field, value=_show(value))
            return None
        far = [c for c in value[:2] if _huge(c) or (math.isfinite(c) and abs(c) > MAX_COORDINATE)]
        if far:
            self.out_of_range(where, field, far[0], -MAX_COORDINATE, MAX_COORDINATE)
            return None
        x, y = float(value[0]), float(value[1])
        if not (math.isfinite(x) and math.isfinite(y)):
            self.problem("non_finite", where, field, value=_show(value))
            return None
        return (_quantise(x), _quantise(y))

    def points(self, value: Any, where: str, field: str) -> list[tuple[float, float]] | None:
        if not isinstance(value, list):
            self.problem("bad_coordinate", where, field, value=_show(value))
            return None
        out = [self.point(v, where, f"{field}[{i}]") for i, v in enumerate(value)]
        return [p for p in out if p is not None] if None not in out else None

    def mapping(self, value: Any, where: str, field: str) -> Mapping:
        if isinstance(value, Mapping):
            return value
        self.problem("bad_type", where, field, expected="object", value=_show(value))
        return {}


MAX_COORDINATE = 100_000.0
"""Largest coordinate a plan may hold [m]: 100 km from its origin."""


_SCHEMA = json.loads(files("roomplan.plan").joinpath("schema.json").read_text("utf-8"))


def _schema_maximum(field: str) -> int:
    """The ``maximum`` the plan schema states for ``field``: the reader and the schema share
    one range."""

    def walk(node: Any) -> int | None:
        if isinstance(node, Mapping):
            if isinstance(node.get(field), Mapping) and "maximum" in node[field]:
                return int(node[field]["maximum"])
            return next((m for v in node.values() if (m := walk(v)) is not None), None)
        if isinstance(node, list):
            return next((m for v in node if (m := walk(v)) is not None), None)
        return None

    found = walk(_SCHEMA)
    assert found is not None, field
    return found


MAX_ROOMS = int(_SCHEMA["properties"]["features"]["maxContains"])
"""Most rooms a plan may have: the capacity program grows with the rooms, and no floor of a
jobcenter has more (a larger site is one plan per floor or building)."""

_ROOM_GEOMETRY = _SCHEMA["$defs"]["room"]["properties"]["geometry"]["properties"]
MAX_POINTS = int(_ROOM_GEOMETRY["coordinates"]["items"]["maxItems"])
"""Most points one outline of a room may have: every check of the plan grows with them."""

MAX_CAP = _schema_maximum("max_interviews")
"""Most interviews a caseworker's weekly cap may say (a week of half hours is 336)."""

MAX_RETENTION_DAYS = _schema_maximum("retention_days")
"""Longest retention a device may state [days]: a hundred years."""

MAX_DIGITS = 30
"""Longest whole number the reader turns into a number: longer ones are out of every range
(and Python refuses to convert more than 4,300 digits)."""


class _Huge(float):
    """A whole number of more than :data:`MAX_DIGITS` digits, kept as its sign's infinity and
    refused by every range check, its first digits kept for the message."""

    digits: str

    def __new__(cls, digits: str) -> _Huge:
        value = super().__new__(cls, "-inf" if digits.startswith("-") else "inf")
        value.digits = digits
        return value


def _parse_int(digits: str) -> int | float:
    return int(digits) if len(digits) <= MAX_DIGITS else _Huge(digits)


def _huge(value: Any) -> bool:
    """Whether ``value`` lies beyond any float a plan field could hold."""
    return isinstance(value, _Huge) or (isinstance(value, int) and abs(value) > 10**300)


def _show_number(value: Any) -> str:
    if isinstance(value, _Huge):
        digits = value.digits
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**12:
        digits = str(value)
    else:
        return str(value)
    return digits if len(digits) <= 16 else f"{digits[:12]}… ({len(digits)} digits)"


COORDINATE_DECIMALS = 4
"""Coordinates are kept to 0.1 mm, so files stay free of floating-point noise."""


def _quantise(value: float) -> float:
    return round(value, COORDINATE_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def _show(value: Any, limit: int = 40) -> str:
    if _huge(value):
        return _show_number(value)
    text = json.dumps(value, ensure_ascii=False, allow_nan=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(feature: Mapping, index: int) -> str:
    """How a problem names a feature: its id, its DXF origin if any, else its position."""
    fid = feature.get("id")
    name = str(fid) if isinstance(fid, str | int) and not isinstance(fid, bool) else ""
    origin = feature.get("properties", {}) if isinstance(feature.get("properties"), Mapping) else {}
    origin = origin.get("dxf")
    if isinstance(origin, str):
        return f"{name} ({origin})" if name else origin
    return name or f"features[{index}]"


# -- bytes -> JSON -------------------------------------------------------------------
def parse_json(data: bytes | str) -> Any:
    """JSON text -> Python, or PlanError naming why it cannot be read."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise PlanError([Problem("too_large", params={"size": size, "limit": MAX_BYTES})])
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        # NaN and Infinity parse to floats so the reader can name the feature they are in
        return json.loads(text, parse_int=_parse_int)
    except UnicodeDecodeError as exc:
        raise PlanError(
            [Problem("unreadable", params={"reason": f"not UTF-8 text ({exc.reason})"})]
        ) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        reason = (
            f"{exc.msg}, line {exc.lineno} column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else "nested too deeply"
        )
        raise PlanError([Problem("unreadable", params={"reason": reason})]) from None


def _feature_type(feature: Mapping) -> Any:
    props = feature.get("properties")
    return props.get("feature") if isinstance(props, Mapping) else None


def _pairs(value: Any) -> Iterator[tuple[float, float]]:
    """The finite [x, y] pairs nested anywhere in ``value``."""
    if isinstance(value, list):
        if len(value) in (2, 3) and all(
            isinstance(c, int | float) and not isinstance(c, bool) and not _huge(c) for c in value
        ):
            x, y = float(value[0]), float(value[1])
            if math.isfinite(x) and math.isfinite(y):
                yield x, y
            return
        for v in value:
            yield from _pairs(v)


def _finite_pairs(coordinates: Any) -> np.ndarray:
    """The finite [x, y] pairs of one geometry's coordinates, shape (n, 2): as one array
    when they are regular numbers (the common case, fast), else pair by pair."""
    try:
        # as objects: one long text would otherwise widen every coordinate to its length
        arr = np.asarray(coordinates, dtype=object)
    except (TypeError, ValueError):
        arr = np.empty(0, dtype=object)
    regular = arr.ndim > 1 and arr.size > 0 and arr.shape[-1] in (2, 3)
    # numbers only: numpy would read "680000" (text) as a number, and true as one
    xy = None
    if regular and set(map(type, arr.ravel().tolist())) <= {int, float}:
        with contextlib.suppress(OverflowError):  # an integer beyond any float
            xy = arr.astype(float).reshape(-1, arr.shape[-1])[:, :2]
    if xy is None:
        xy = np.array(list(_pairs(coordinates)), dtype=float).reshape(-1, 2)
    return xy[np.isfinite(xy).all(axis=1)]


def _refuse_map_coordinates(features: list) -> None:
    """A plan drawn at map coordinates (UTM, a site grid) is refused once, with the offset
    to take away, rather than at each of its coordinates."""
    geometries = [f.get("geometry") for f in features if isinstance(f, Mapping)]
    spots = [g.get("coordinates") for g in geometries if isinstance(g, Mapping)]
    parts = [_finite_pairs(c) for c in spots]
    xy = np.concatenate(parts) if parts else np.empty((0, 2))
    if not len(xy):
        return
    low, high = xy.min(axis=0), xy.max(axis=0)
    far = [bool(v) for v in np.all(np.abs(xy) > MAX_COORDINATE, axis=0)]  # all of it, per axis
    # the offset is rounded to whole km: what is left must lie within the range
    if any(far) and (high - low).max() <= MAX_COORDINATE - 1000:
        x, y = (int(math.floor(low[i] / 1000) * 1000) if far[i] else 0 for i in (0, 1))
        raise PlanError([Problem("map_coordinates", params={"x": x, "y": y})])


# -- JSON -> Plan --------------------------------------------------------------------
def _read_features(
    r: _Reader, features: list, defaults: Defaults
) -> tuple[dict[str, list], dict[str, str], set[str], bool]:
    """Each feature read by its type: the values by type, how problems name each id, the
    ids left out for their own problems, and whether a room was left out."""
    parts: dict[str, list] = {k: [] for k in FEATURE_TYPES}
    names: dict[str, str] = {}
    dropped: set[str] = set()  # ids of features left out for their own problems
    dropped_rooms = False
    for i, feature in enumerate(features):
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            r.problem("not_a_feature", f"features[{i}]")
            continue
        where = _where(feature, i)
        fprops = r.mapping(feature.get("properties"), where, "properties")
        ftype = fprops.get("feature")
        if ftype not in FEATURE_TYPES:
            r.problem(
                "unknown_feature_type",
                where,
                "properties.feature",
                value=_show(ftype),
                allowed=", ".join(FEATURE_TYPES),
            )
            continue
        fid = feature.get("id")
        before = len(r.problems)
        if not isinstance(fid, str) or not fid.strip():
            r.problem("missing_id", where, "id", value=_show(fid))
        else:
            names[fid] = where
            geometry = r.mapping(feature.get("geometry"), where, "geometry")
            value = _READERS[ftype](r, fid, where, fprops, geometry, defaults)
            if value is not None and len(r.problems) == before:
                parts[ftype].append(value)
            else:
                dropped.add(fid)
        if ftype == "room" and len(r.problems) > before:
            dropped_rooms = True
    return parts, names, dropped, dropped_rooms


def read_native(doc: Any) -> Plan:
    """A :class:`Plan` from a parsed native document; PlanError lists every problem."""
    r = _Reader()
    if not isinstance(doc, Mapping) or doc.get("type") != "FeatureCollection":
        raise PlanError([Problem("not_feature_collection")])
    version = doc.get("roomplan", _MISSING)
    if version is _MISSING:
        raise PlanError([Problem("missing_version", params={"expected": FORMAT_VERSION})])
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise PlanError(
            [Problem("wrong_version", params={"found": _show(version), "expected": FORMAT_VERSION})]
        )
    features = doc.get("features")
    if not isinstance(features, list):
        raise PlanError(
            [Problem("bad_type", "", "features", {"expected": "list", "value": _show(features)})]
        )
    props = r.mapping(doc.get("properties", {}), "", "properties")
    staff_raw = props.get("staff", [])
    count = len(features) + (len(staff_raw) if isinstance(staff_raw, list) else 0)
    if count > MAX_FEATURES:
        raise PlanError([Problem("too_many_features", params={"n": count, "limit": MAX_FEATURES})])
    rooms = sum(isinstance(f, Mapping) and _feature_type(f) == "room" for f in features)
    if rooms > MAX_ROOMS:
        raise PlanError([Problem("too_many_rooms", params={"n": rooms, "limit": MAX_ROOMS})])
    _refuse_map_coordinates(features)

    units = props.get("units", "m")
    if units != "m":
        r.problem("bad_units", "", "properties.units", value=_show(units))
    defaults = _read_defaults(r, r.mapping(props.get("defaults", {}), "", "properties.defaults"))

    parts, names, dropped, dropped_rooms = _read_features(r, features, defaults)
    staff = _read_staff(r, staff_raw)
    ratings = _read_partition_ratings(r, props.get("partitions", []))
    notes = props.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        r.problem("bad_type", "", "properties.notes", expected="texts", value=_show(notes))
        notes = []

    name = r.text(props, "name", "", "properties.", default="")
    plan = Plan(
        name=name or "",
        site=r.text(props, "site", "", "properties.", default="") or "",
        description=r.text(props, "description", "", "properties.", default="") or "",
        notes=tuple(notes),
        defaults=defaults,
        rooms=tuple(parts["room"]),
        doors=tuple(parts["door"]),
        windows=tuple(parts["window"]),
        desks=tuple(parts["desk"]),
        screens=tuple(parts["screen"]),
        devices=tuple(parts["device"]),
        staff=staff,
        partition_ratings=ratings,
    )
    plan, placed = place_features(plan, names, rooms_complete=not dropped_rooms)
    dropped |= {p.feature for p in placed}
    problems = r.problems + placed + check_plan(plan, names, dropped)
    if problems:
        raise PlanError(problems)
    return plan


def _read_rating(
    r: _Reader, obj: Any, where: str, field: str, fallback: Rating | None
) -> Rating | None:
    if obj is None:
        return fallback
    obj = r.mapping(obj, where, field)
    rw = r.number(
        obj, "rw", where, field + ".", limits=(0, 90), default=fallback.rw if fallback else _MISSING
    )
    if rw is None:
        return None
    return Rating(
        rw=rw,
        construction=r.text(obj, "construction", where, field + ".", default="") or "",
        source=r.text(obj, "source", where, field + ".", default="") or "",
        measured=r.flag(obj, "measured", where, field + ".", default=False) is True,
    )


def _read_defaults(r: _Reader, obj: Mapping) -> Defaults:
    base = Defaults()
    per_kind = {}
    for key in ("noise_dba", "rt60"):
        table = r.mapping(obj.get(key, {}), "", f"properties.defaults.{key}")
        values = {}
        for kind in table:
            if kind not in ROOM_KINDS:
                r.problem(
                    "unknown_room_kind",
                    "",
                    f"properties.defaults.{key}.{kind}",
                    value=_show(kind),
                    allowed=KINDS_IN_WORDS,
                )
                continue
            n = r.number(
                table,
                kind,
                "",
                f"properties.defaults.{key}.",
                limits=(0 if key == "noise_dba" else 0.05, 120 if key == "noise_dba" else 10),
            )
            if n is not None:
                values[kind] = n
        per_kind[key] = {**getattr(base, key), **values}
    partitions = {}
    table = r.mapping(obj.get("partitions", {}), "", "properties.defaults.partitions")
    for kind, rating in table.items():
        value = _read_rating(r, rating, "", f"properties.defaults.partitions.{kind}", None)
        if value is not None:
            partitions[kind] = value
    return Defaults(
        ceiling_height=r.number(
            obj,
            "ceiling_height",
            "",
            "properties.defaults.",
            default=base.ceiling_height,
            limits=(1.5, 20),
        )
        or base.ceiling_height,
        door_height=r.number(
            obj,
            "door_height",
            "",
            "properties.defaults.",
            default=base.door_height,
            limits=(1.0, 10),
        )
        or base.door_height,
        noise_dba=per_kind["noise_dba"],
        rt60=per_kind["rt60"],
        partitions=partitions,
        door=_read_rating(r, obj.get("door"), "", "properties.defaults.door", base.door)
        or base.door,
        window=_read_rating(r, obj.get("window"), "", "properties.defaults.window", base.window)
        or base.window,
    )


def _geometry(r: _Reader, geometry: Mapping, where: str, expected: str) -> Any:
    gtype = geometry.get("type")
    if gtype != expected:
        r.problem("bad_geometry", where, "geometry.type", value=_show(gtype), expected=expected)
        return None
    coords = geometry.get("coordinates")
    if coords is None:
        r.problem("missing_field", where, "geometry.coordinates")
    return coords


def _read_room(r: _Reader, fid: str, where: str, p: Mapping, geometry: Mapping, d: Defaults):
    coords = _geometry(r, geometry, where, "Polygon")
    kind = r.text(p, "kind", where, "properties.")
    if kind is not None and kind not in ROOM_KINDS:
        r.problem(
            "unknown_room_kind", where, "properties.kind", value=_show(kind), allowed=KINDS_IN_WORDS
        )
        kind = None
    polygon = _polygon(r, coords, where) if coords is not None else None
    name = r.text(p, "name", where, "properties.", default=fid)
    height = r.number(
        p, "ceiling_height", where, "properties.", default=d.ceiling_height, limits=(1.5, 20)
    )
    windows = r.flag(p, "windows", where, "properties.", default=False)
    noise = r.number(
        p,
        "noise_dba",
        where,
        "properties.",
        default=d.noise_dba.get(kind or "", 35.0),
        limits=(0, 120),
    )
    masking = r.number(p, "masking_dba", where, "properties.", default=None, limits=(0, 80))
    noise_measured = r.flag(p, "noise_measured", where, "properties.", default=False)
    rt60 = r.number(
        p, "rt60", where, "properties.", default=d.rt60.get(kind or "", 0.6), limits=(0.05, 10)
    )
    if None in (polygon, kind, name, windows) or height is None or noise is None or rt60 is None:
        return None
    return Room(
        id=fid,
        name=name,
        kind=kind,
        polygon=polygon,
        ceiling_height=height,
        windows=windows,
        noise_dba=noise,
        masking_dba=masking,
        rt60=rt60,
        noise_measured=noise_measured is True,
    )


def _polygon(r: _Reader, coords: Any, where: str) -> Polygon | None:
    if not isinstance(coords, list) or not coords:
        r.problem("bad_coordinate", where, "geometry.coordinates", value=_show(coords))
        return None
    rings = []
    for k, ring in enumerate(coords):
        if isinstance(ring, list) and len(ring) > MAX_POINTS:
            field = f"geometry.coordinates[{k}]"
            r.problem("too_many_points", where, field, n=len(ring), limit=MAX_POINTS)
            return None
        pts = r.points(ring, where, f"geometry.coordinates[{k}]")
        if pts is None:
            return None
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts = pts[:-1]
        if len(set(pts)) < 3:
            r.problem("too_few_points", where, f"geometry.coordinates[{k}]", n=len(set(pts)))
            return None
        rings.append(pts)
    polygon = Polygon(rings[0], rings[1:])
    if not polygon.is_valid:
        code, place = _invalid_at(polygon)
        r.problem(code, where, "geometry.coordinates", x=place[0], y=place[1])
        return None
    if polygon.area <= 1e-6:
        r.problem("zero_area", where, "geometry.coordinates")
        return None
    return polygon


def _invalid_at(polygon: Polygon) -> tuple[str, tuple[float, float]]:
    """Why GEOS finds ``polygon`` invalid, as a problem code and the place [m]: holes that
    lie outside or inside each other, else edges that cross."""
    reason = is_valid_reason(polygon)
    found = re.search(r"\[(\S+) (\S+)\]", reason)
    if found:
        place = (float(found[1]), float(found[2]))
    else:
        place = polygon.representative_point().coords[0]
    code = "bad_hole" if ("Hole" in reason or "disconnected" in reason) else "self_intersecting"
    return code, (round(place[0], 3) + 0.0, round(place[1], 3) + 0.0)


def _segment(r: _Reader, geometry: Mapping, where: str):
    coords = _geometry(r, geometry, where, "LineString")
    if coords is None:
        return None
    pts = r.points(coords, where, "geometry.coordinates")
    if pts is None:
        return None
    if len(pts) != 2 or pts[0] == pts[1]:
        r.problem("bad_segment", where, "geometry.coordinates", n=len(pts))
        return None
    return (pts[0], pts[1])


def _room_ref(r: _Reader, p: Mapping, where: str, key: str = "room") -> str | None:
    return r.text(p, key, where, "properties.", default=None)


def _read_opening(cls, fallback_attr):
    def read(r: _Reader, fid: str, where: str, p: Mapping, geometry: Mapping, d: Defaults):
        segment = _segment(r, geometry, where)
        rooms = p.get("rooms")
        if (
            not isinstance(rooms, list)
            or len(rooms) != 2
            or not isinstance(rooms[0], str)
            or not (rooms[1] is None or isinstance(rooms[1], str))
        ):
            r.problem("bad_rooms", where, "properties.rooms", value=_show(rooms))
            rooms = None
        fallback: Rating = getattr(d, fallback_attr)
        rw = r.number(p, "rw", where, "properties.", default=fallback.rw, limits=(0, 90))
        rating = Rating(
            rw=rw if rw is not None else fallback.rw,
            construction=r.text(
                p,
                "construction",
                where,
                "properties.",
                default=fallback.construction if "rw" not in p else "",
            ),
            source=r.text(
                p, "source", where, "properties.", default=fallback.source if "rw" not in p else ""
            ),
            measured=r.flag(p, "measured", where, "properties.", default=False) is True,
        )
        height = r.number(
            p,
            "height",
            where,
            "properties.",
            default=d.door_height if cls is Door else 1.2,
            limits=(0.1, 10),
        )
        is_open = r.flag(p, "open", where, "properties.", default=False)
        gap = r.number(p, "gap_m2", where, "properties.", default=0.0, limits=(0, 10))
        if rooms is None or rw is None or height is None:
            return None
        if None in (
            segment,
            rating.construction,
            rating.source,
            is_open,
            gap,
        ):
            return None
        return cls(
            id=fid,
            rooms=(rooms[0], rooms[1]),
            segment=segment,
            height=height,
            rating=rating,
            is_open=is_open,
            gap_m2=gap,
        )

    return read


def _read_desk(r: _Reader, fid: str, where: str, p: Mapping, geometry: Mapping, d: Defaults):
    coords = _geometry(r, geometry, where, "Point")
    seat = r.point(coords, where, "geometry.coordinates") if coords is not None else None
    chair = p.get("chair")
    if chair is not None:
        chair = r.point(chair, where, "properties.chair")
        if chair is None:
            return None
    room = _room_ref(r, p, where)
    if seat is None:
        return None
    return Desk(id=fid, room=room or "", seat=seat, chair=chair)


def _read_screen(r: _Reader, fid: str, where: str, p: Mapping, geometry: Mapping, d: Defaults):
    segment = _segment(r, geometry, where)
    height = r.number(p, "height", where, "properties.", default=1.4, limits=(0.1, 10))
    absorbent = r.flag(p, "absorbent", where, "properties.", default=False)
    room = _room_ref(r, p, where)
    if None in (segment, absorbent) or height is None:
        return None
    return Screen(id=fid, room=room or "", segment=segment, height=height, absorbent=absorbent)


def _read_device(r: _Reader, fid: str, where: str, p: Mapping, geometry: Mapping, d: Defaults):
    coords = _geometry(r, geometry, where, "Point")
    position = r.point(coords, where, "geometry.coordinates") if coords is not None else None
    kind = r.text(p, "kind", where, "properties.")
    if kind is not None and kind not in DEVICE_KINDS:
        r.problem(
            "unknown_device_kind",
            where,
            "properties.kind",
            value=_show(kind),
            allowed=", ".join(DEVICE_KINDS),
        )
        kind = None
    retention = p.get("retention_days")
    if _huge(retention) or (isinstance(retention, int) and retention > MAX_RETENTION_DAYS):
        r.out_of_range(where, "properties.retention_days", retention, 0, MAX_RETENTION_DAYS)
        return None
    if retention is not None and (
        isinstance(retention, bool) or not isinstance(retention, int) or retention < 0
    ):
        r.problem(
            "bad_type",
            where,
            "properties.retention_days",
            expected="days",
            value=_show(retention),
        )
        return None
    values = dict(
        direction_deg=r.number(p, "direction_deg", where, "properties.", default=0.0),
        fov_deg=r.number(p, "fov_deg", where, "properties.", default=90.0, limits=(0.1, 360)),
        range_m=r.number(p, "range_m", where, "properties.", default=10.0, limits=(0.1, 1000)),
        recording=r.flag(p, "recording", where, "properties.", default=False),
        signage=r.flag(p, "signage", where, "properties.", default=False),
    )
    room = _room_ref(r, p, where)
    if position is None or kind is None or None in values.values():
        return None
    return Device(
        id=fid, kind=kind, room=room or "", position=position, retention_days=retention, **values
    )


_READERS = {
    "room": _read_room,
    "door": _read_opening(Door, "door"),
    "window": _read_opening(Window, "window"),
    "desk": _read_desk,
    "screen": _read_screen,
    "device": _read_device,
}


def _read_staff(r: _Reader, raw: Any) -> tuple[Staff, ...]:
    if not isinstance(raw, list):
        r.problem("bad_type", "", "properties.staff", expected="list", value=_show(raw))
        return ()
    out = []
    for i, entry in enumerate(raw):
        field = f"properties.staff[{i}]"
        if not isinstance(entry, Mapping):
            r.problem("bad_type", field, "", expected="object", value=_show(entry))
            continue
        sid = entry.get("id")
        if not isinstance(sid, str) or not sid.strip():
            r.problem("missing_id", field, "id", value=_show(sid))
            continue
        groups = entry.get("need_to_know", [])
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            r.problem("bad_type", sid, "need_to_know", expected="texts", value=_show(groups))
            continue
        cap = r.whole(entry, "max_interviews", sid, 36, MAX_CAP)
        if cap is None:
            continue
        role = r.text(entry, "role", sid, "", default="sagsbehandler")
        desk = r.text(entry, "desk", sid, "", default=None)
        holds = r.flag(entry, "holds_interviews", sid, "", default=True)
        if (
            role is None
            or holds is None
            or ("desk" in entry and entry["desk"] is not None and desk is None)
        ):
            continue
        out.append(
            Staff(
                id=sid,
                role=role,
                desk=desk,
                holds_interviews=holds,
                max_interviews=cap,
                need_to_know=tuple(groups),
            )
        )
    return tuple(out)


def _read_partition_ratings(r: _Reader, raw: Any) -> tuple[PartitionRating, ...]:
    if not isinstance(raw, list):
        r.problem("bad_type", "", "properties.partitions", expected="list", value=_show(raw))
        return ()
    out = []
    for i, entry in enumerate(raw):
        field = f"properties.partitions[{i}]"
        entry = r.mapping(entry, field, "")
        rooms = entry.get("rooms")
        if not (
            isinstance(rooms, list) and len(rooms) == 2 and all(isinstance(x, str) for x in rooms)
        ):
            r.problem("bad_rooms", field, "rooms", value=_show(rooms))
            continue
        rating = _read_rating(r, entry, field, "", None)
        if rating is not None:
            out.append(PartitionRating((rooms[0], rooms[1]), rating))
    return tuple(out)


# -- Plan -> JSON --------------------------------------------------------------------
def _xy(p) -> list[float]:
    return [_quantise(p[0]), _quantise(p[1])]


def _rating(rating: Rating) -> dict:
    out: dict = {"rw": rating.rw, "construction": rating.construction, "source": rating.source}
    if rating.measured:
        out["measured"] = True
    return out


def to_geojson(plan: Plan) -> dict:
    """The native document for ``plan`` (reading it back gives an equal plan)."""
    return {
        "type": "FeatureCollection",
        "roomplan": FORMAT_VERSION,
        "properties": _plan_properties(plan),
        "features": _features(plan),
    }


def _features(plan: Plan) -> list[dict]:
    features: list[dict] = []

    def add(fid: str, geometry: dict, **props: Any) -> None:
        features.append({"type": "Feature", "id": fid, "geometry": geometry, "properties": props})

    for room in plan.rooms:
        poly = room.polygon
        rings = [[_xy(c) for c in poly.exterior.coords]] + [
            [_xy(c) for c in ring.coords] for ring in poly.interiors
        ]
        add(
            room.id,
            {"type": "Polygon", "coordinates": rings},
            feature="room",
            name=room.name,
            kind=room.kind,
            ceiling_height=room.ceiling_height,
            windows=room.windows,
            noise_dba=room.noise_dba,
            masking_dba=room.masking_dba,
            rt60=room.rt60,
            **({"noise_measured": True} if room.noise_measured else {}),
        )
    for ftype, openings in (("door", plan.doors), ("window", plan.windows)):
        for o in openings:
            add(
                o.id,
                {"type": "LineString", "coordinates": [_xy(o.segment[0]), _xy(o.segment[1])]},
                feature=ftype,
                rooms=list(o.rooms),
                height=o.height,
                **_rating(o.rating),
                open=o.is_open,
                gap_m2=o.gap_m2,
            )
    for desk in plan.desks:
        add(
            desk.id,
            {"type": "Point", "coordinates": _xy(desk.seat)},
            feature="desk",
            room=desk.room,
            chair=_xy(desk.chair) if desk.chair else None,
        )
    for s in plan.screens:
        add(
            s.id,
            {"type": "LineString", "coordinates": [_xy(s.segment[0]), _xy(s.segment[1])]},
            feature="screen",
            room=s.room,
            height=s.height,
            absorbent=s.absorbent,
        )
    for dev in plan.devices:
        add(
            dev.id,
            {"type": "Point", "coordinates": _xy(dev.position)},
            feature="device",
            kind=dev.kind,
            room=dev.room,
            direction_deg=dev.direction_deg,
            fov_deg=dev.fov_deg,
            range_m=dev.range_m,
            recording=dev.recording,
            retention_days=dev.retention_days,
            signage=dev.signage,
        )
    return features


def _plan_properties(plan: Plan) -> dict:
    d = plan.defaults
    return {
        "name": plan.name,
        "site": plan.site,
        "description": plan.description,
        "units": "m",
        "notes": list(plan.notes),
        "defaults": {
            "ceiling_height": d.ceiling_height,
            "door_height": d.door_height,
            "noise_dba": dict(d.noise_dba),
            "rt60": dict(d.rt60),
            "partitions": {k: _rating(v) for k, v in d.partitions.items()},
            "door": _rating(d.door),
            "window": _rating(d.window),
        },
        "partitions": [
            {"rooms": list(p.rooms), **_rating(p.rating)} for p in plan.partition_ratings
        ],
        "staff": [
            {
                "id": s.id,
                "role": s.role,
                "desk": s.desk,
                "holds_interviews": s.holds_interviews,
                "max_interviews": s.max_interviews,
                "need_to_know": list(s.need_to_know),
            }
            for s in plan.staff
        ],
    }


def write_native(plan: Plan) -> bytes:
    """The native file for ``plan`` as UTF-8 bytes: plan properties indented, one line
    per feature, so a diff shows which features changed."""
    doc = to_geojson(plan)
    features = doc.pop("features")
    head = json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)
    lines = ",\n".join("  " + json.dumps(f, ensure_ascii=False, allow_nan=False) for f in features)
    return (head[:-2] + ',\n "features": [\n' + lines + "\n ]\n}\n").encode()
