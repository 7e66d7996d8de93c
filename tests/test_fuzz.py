"""Malformed plans of every shape: the readers raise PlanError and nothing else."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roomplan import Plan, PlanError, load_plan

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-50, max_value=50),
    st.integers(min_value=-(10**6), max_value=10**6),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=8))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
points = st.one_of(st.lists(numbers, min_size=2, max_size=2), json_values)
rings = st.lists(points, max_size=7)
polygons = st.one_of(
    st.builds(lambda r: {"type": "Polygon", "coordinates": [r]}, rings),
    st.builds(lambda r: {"type": "Polygon", "coordinates": r}, json_values),
)
lines = st.builds(lambda p: {"type": "LineString", "coordinates": p}, st.lists(points, max_size=3))
point_geoms = st.builds(lambda p: {"type": "Point", "coordinates": p}, points)
kinds = st.sampled_from(["office", "interview", "waiting", "corridor", "other", "kontor", 3, None])
ids = st.one_of(st.sampled_from(["A", "B", "C", "D1", "K1-A"]), json_values)


def feature(ftype, geometry, **props):
    return st.builds(
        lambda fid, geom, extra, p: {
            "type": "Feature",
            "id": fid,
            "geometry": geom,
            "properties": {"feature": ftype, **p, **extra},
        },
        ids,
        geometry,
        st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "kind",
                    "rooms",
                    "room",
                    "chair",
                    "rw",
                    "height",
                    "open",
                    "windows",
                    "noise_dba",
                    "rt60",
                    "masking_dba",
                    "ceiling_height",
                    "gap_m2",
                    "retention_days",
                ]
            ),
            json_values,
            max_size=3,
        ),
        st.fixed_dictionaries(props),
    )


features = st.one_of(
    feature("room", polygons, kind=kinds),
    feature("door", lines, rooms=st.lists(st.sampled_from(["A", "B", "C", None]), max_size=3)),
    feature("window", lines, rooms=st.lists(st.sampled_from(["A", "B", None]), max_size=2)),
    feature("desk", point_geoms),
    feature("screen", lines),
    feature("device", point_geoms, kind=st.sampled_from(["camera", "webcam", "toaster"])),
    json_values,
)
staff = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {"id": ids, "desk": ids},
            optional={
                "max_interviews": json_values,
                "need_to_know": json_values,
                "holds_interviews": json_values,
            },
        ),
        json_values,
    ),
    max_size=3,
)
documents = st.builds(
    lambda fs, props, st_, version: {
        "type": "FeatureCollection",
        "roomplan": version,
        "properties": {**props, "staff": st_},
        "features": fs,
    },
    st.lists(features, max_size=6),
    st.dictionaries(
        st.sampled_from(["name", "units", "defaults", "partitions", "notes"]),
        json_values,
        max_size=3,
    ),
    staff,
    st.sampled_from([1, 1, 1, 2, "1", None]),
)


def read(data: bytes, fmt: str = "json") -> None:
    try:
        assert isinstance(load_plan(data, format=fmt), Plan)
    except PlanError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.message("da") and p.fix("en")


@FUZZ
@given(documents)
def test_random_plans_raise_only_plan_error(doc):
    read(json.dumps(doc).encode())


@FUZZ
@given(json_values)
def test_random_json_raises_only_plan_error(value):
    read(json.dumps(value).encode())


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_plan_error(data):
    read(data, "json")
    read(data, "dxf")


boxes = st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(1, 4), st.integers(1, 4))


@FUZZ
@given(
    st.lists(boxes, min_size=1, max_size=6),
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.integers(0, 5),
            st.integers(0, 10),
            st.integers(0, 10),
            st.booleans(),
        ),
        max_size=4,
    ),
)
def test_random_room_layouts_raise_only_plan_error(rects, openings):
    """Grid-aligned rooms that may overlap or touch, with doors here and there: the
    geometry checks (overlaps, partitions, doors on walls) never crash."""
    fs = []
    for i, (x, y, w, h) in enumerate(rects):
        ring = [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]
        fs.append(
            {
                "type": "Feature",
                "id": f"R{i}",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"feature": "room", "kind": "office"},
            }
        )
    for j, (a, b, x, y, vertical) in enumerate(openings):
        seg = (
            [[x / 2, y / 2], [x / 2, y / 2 + 0.9]]
            if vertical
            else [[x / 2, y / 2], [x / 2 + 0.9, y / 2]]
        )
        fs.append(
            {
                "type": "Feature",
                "id": f"D{j}",
                "geometry": {"type": "LineString", "coordinates": seg},
                "properties": {"feature": "door", "rooms": [f"R{a}", f"R{b}" if b % 3 else None]},
            }
        )
    read(json.dumps({"type": "FeatureCollection", "roomplan": 1, "features": fs}).encode())
