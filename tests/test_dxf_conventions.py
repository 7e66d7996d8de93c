"""Drawings as architects make them (issue 14): each imports to the rooms, doors, labels
and desks it was drawn from, or is refused with a message naming the cause.

The drawings are written by ``tests/architect.py`` from the Slagelse plan, in the
conventions CAD offices use and in combinations, rotated and offset like map (UTM)
coordinates; what each must give is the plan it was drawn from."""

import io
import math

import ezdxf
import pytest
from shapely import LineString, Point

from roomplan import PlanError, load_plan
from roomplan.plan.files import import_plan
from tests.architect import Style, drawing, inner_area
from tests.conftest import SLAGELSE

UTM = (686_250.0, 6_141_830.0)  # east, north [m]: Slagelse in UTM zone 32

CORPUS = {
    "plain-layers": Style(),
    "A-DØR-hinged-doors": Style(layers="danish", doors="hinge"),
    "A-DOER-A-VAEG-mirrored-doors-walls": Style(layers="ascii", doors="mirrored", wall=0.1),
    "AIA-name-first-labels-rotated-UTM": Style(
        layers="aia", labels="name_first", doors="hinge", rotation=30, offset=UTM
    ),
    "room-stamps-dynamic-doors-cm": Style(
        layers="danish", units="cm", labels="stamp", doors="dynamic"
    ),
    "rooms-as-lines-metres": Style(units="m", rooms="lines"),
    "lines-thick-walls-rotated": Style(
        layers="danish", rooms="lines", wall=0.2, labels="name_first", doors="hinge", rotation=-12.5
    ),
    "floor-block-two-texts-UTM": Style(layers="aia", labels="two_texts", nesting=1, offset=UTM),
    "nested-blocks-stamps-hinged-90": Style(
        layers="danish", nesting=2, labels="stamp", doors="hinge", rotation=90
    ),
    "floor-block-rotated-UTM-cm": Style(
        layers="ascii", units="cm", nesting=1, rotation=45, offset=UTM, doors="dynamic", wall=0.15
    ),
    "mirrored-two-texts-180": Style(doors="mirrored", labels="two_texts", rotation=180),
    "AIA-lines-stamps-UTM-metres": Style(
        layers="aia", units="m", rooms="lines", labels="stamp", doors="mirrored", offset=UTM
    ),
    "dynamic-doors-thick-walls": Style(
        layers="danish", labels="name_first", doors="dynamic", wall=0.3
    ),
    "nested-lines-rotated-UTM": Style(
        layers="ascii", nesting=2, rooms="lines", labels="name_first", rotation=7, offset=UTM
    ),
    "AIA-cm-hinged-270-walls": Style(
        layers="aia", units="cm", doors="hinge", wall=0.1, rotation=270
    ),
    "floor-block-lines-stamps-dynamic": Style(
        rooms="lines", labels="stamp", doors="dynamic", nesting=1, desks=False
    ),
}


@pytest.fixture(scope="module")
def slagelse_plan():
    return load_plan(SLAGELSE)


@pytest.mark.parametrize("name", list(CORPUS))
def test_an_architects_drawing_imports_to_the_plan_it_was_drawn_from(name, slagelse_plan):
    style = CORPUS[name]
    plan, notices = import_plan(drawing(slagelse_plan, style), "dxf")
    want = slagelse_plan
    rooms = {r.id: (r.name, r.kind, r.windows) for r in plan.rooms}
    assert rooms == {r.id: (r.name, r.kind, r.windows) for r in want.rooms}
    for room in want.rooms:
        assert plan.room(room.id).area == pytest.approx(inner_area(room, style), rel=2e-3)
    doors = {d.id: (frozenset(d.rooms), round(d.width, 3)) for d in plan.doors}
    assert doors == {d.id: (frozenset(d.rooms), round(d.width, 3)) for d in want.doors}
    # to the plan's coordinate resolution (COORDINATE_DECIMALS), a rotated corner rounded
    assert _door_places(plan) == pytest.approx(_door_places(want), abs=2e-4)
    if style.desks:
        assert {d.id: d.room for d in plan.desks} == {d.id: d.room for d in want.desks}
        staff = {s.id: (s.desk, s.holds_interviews) for s in plan.staff}
        assert staff == {s.id: (s.desk, s.holds_interviews) for s in want.staff if s.desk}
    # map coordinates are moved near the origin, and the import says so
    xmin, ymin, _, _ = _bounds(plan)
    codes = {n.code for n in notices}
    assert ("dxf_origin" in codes) == (style.offset != (0.0, 0.0))
    assert max(abs(xmin), abs(ymin)) < 1_000
    assert ("dxf_exploded" in codes) == (style.nesting > 0)
    assert ("dxf_stamps" in codes) == (style.labels == "stamp")
    assert ("dxf_line_rooms" in codes) == (style.rooms == "lines")
    assert "dxf_default_ratings" in codes  # the drawings give no RW attributes
    for n in notices:
        assert "{" not in n.message("da") + n.message("en")


def _door_places(plan) -> list[float]:
    """Each door's distance from the middle of the corridor (a rectangle, so the same
    with walls drawn thick) to the door's middle, and its length: the same however the
    drawing was rotated or moved."""
    middle = plan.room("1.00").polygon.centroid
    x0, y0 = middle.x, middle.y
    out = []
    for d in sorted(plan.doors, key=lambda d: d.id):
        (ax, ay), (bx, by) = d.segment
        out += [math.dist((x0, y0), ((ax + bx) / 2, (ay + by) / 2)), math.dist((ax, ay), (bx, by))]
    return out


def _bounds(plan):
    xs = [x for r in plan.rooms for x, _ in r.polygon.exterior.coords]
    ys = [y for r in plan.rooms for _, y in r.polygon.exterior.coords]
    return min(xs), min(ys), max(xs), max(ys)


def test_the_corpus_covers_the_conventions_of_the_issue():
    styles = list(CORPUS.values())
    assert len(styles) >= 15
    assert {s.layers for s in styles} == {"plain", "danish", "ascii", "aia"}
    assert {s.doors for s in styles} == {"centred", "hinge", "mirrored", "dynamic"}
    assert {s.labels for s in styles} == {"id_first", "name_first", "stamp", "two_texts"}
    assert {s.nesting for s in styles} == {0, 1, 2} and {s.units for s in styles} == {
        "mm",
        "cm",
        "m",
    }
    assert sum(s.offset != (0, 0) and s.rotation != 0 for s in styles) >= 3


def _problems(data: bytes, **options):
    with pytest.raises(PlanError) as info:
        load_plan(data, format="dxf", **options)
    return info.value.problems


def _with_header(data: bytes, units: int) -> bytes:
    doc = ezdxf.read(io.StringIO(data.decode()))
    doc.header["$INSUNITS"] = units
    out = io.StringIO()
    doc.write(out)
    return out.getvalue().encode()


def test_a_wrong_unit_is_refused_once_with_the_unit_that_fits(slagelse_plan):
    # issue 14: $INSUNITS saying inches on a drawing in mm gave 27 "0 rooms" errors
    data = _with_header(drawing(slagelse_plan, Style(layers="danish")), 1)
    (p,) = _problems(data)
    assert p.code == "dxf_scale_suspect"
    assert "in" in p.message("en") and "mm (0.001)" in p.fix("en")
    assert "mm (0.001)" in p.fix("da")
    plan = load_plan(data, format="dxf", scale=0.001)
    assert plan.room("1.01").area == pytest.approx(slagelse_plan.room("1.01").area)


def test_a_drawing_without_units_is_told_the_unit_its_rooms_suggest(slagelse_plan):
    data = _with_header(drawing(slagelse_plan, Style(units="cm")), 0)
    (p,) = _problems(data)
    assert p.code == "dxf_no_units" and "cm (0.01)" in p.fix("en")


def test_a_room_drawn_with_a_gap_is_named_with_its_place(slagelse_plan):
    # issue 14: one room drawn as lines with a gap silently disappeared
    data = drawing(slagelse_plan, Style(rooms="lines"))
    doc = ezdxf.read(io.StringIO(data.decode()))
    room = slagelse_plan.room("1.14")
    others = [r.polygon.exterior for r in slagelse_plan.rooms if r.id != room.id]
    corners = list(room.polygon.exterior.coords)
    # an outer wall of the room: no other room draws it, so nothing else closes the room
    (x0, y0), (x1, y1) = next(
        (a, b)
        for a, b in zip(corners, corners[1:], strict=False)
        if all(LineString([a, b]).intersection(o).length < 1e-9 for o in others)
    )
    piece = next(
        e
        for e in doc.modelspace()
        if e.dxftype() == "LINE"
        and math.dist((e.dxf.start.x, e.dxf.start.y), (x0 * 1000, y0 * 1000)) < 1
        and math.dist((e.dxf.end.x, e.dxf.end.y), (x1 * 1000, y1 * 1000)) < 1
    )
    piece.dxf.end = (x0 * 1000 + (x1 - x0) * 500, y0 * 1000 + (y1 - y0) * 500)  # half of it
    out = io.StringIO()
    doc.write(out)
    found = [p for p in _problems(out.getvalue().encode()) if p.code == "dxf_open_outline"]
    assert found
    places = [(float(p.params["x"]), float(p.params["y"])) for p in found]
    assert any(room.polygon.exterior.distance(Point(xy)) < 0.01 for xy in places)
    assert all("{" not in p.message("da") for p in found)


def test_a_plan_in_json_named_dxf_is_read_as_json(tmp_path):
    # issue 14: a JSON file named .dxf was told about $INSUNITS
    path = tmp_path / "plan.dxf"
    path.write_bytes(SLAGELSE.read_bytes())
    assert load_plan(path).rooms == load_plan(SLAGELSE).rooms


def test_a_block_nested_into_millions_of_entities_is_refused_before_it_is_exploded():
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    inner = doc.blocks.new("L0")
    inner.add_lwpolyline([(0, 0), (4000, 0), (4000, 3000), (0, 3000)], close=True)
    for level in range(1, 7):
        block = doc.blocks.new(f"L{level}")
        for k in range(12):
            block.add_blockref(f"L{level - 1}", (k * 5000, 0))
    doc.modelspace().add_blockref("L6", (0, 0), dxfattribs={"layer": "A-RUM"})
    out = io.StringIO()
    doc.write(out)
    (p,) = _problems(out.getvalue().encode())
    assert p.code == "dxf_too_many_entities" and "L6" in p.message("en")
