"""DXF import and export: the repo's DXF against its JSON, units, layer roles, errors."""

import io
import re

import ezdxf
import pytest

from roomplan import PlanError, load_plan
from roomplan.plan.dxf import dxf_layers, dxf_units, layer_role, room_kind, split_label, write_dxf
from tests.conftest import SLAGELSE, SLAGELSE_DXF


def dxf_bytes(doc) -> bytes:
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode()


def edited(plan, change) -> bytes:
    doc = ezdxf.read(io.StringIO(write_dxf(plan).decode()))
    change(doc)
    return dxf_bytes(doc)


def problems(data: bytes, **options):
    with pytest.raises(PlanError) as info:
        load_plan(data, format="dxf", **options)
    return info.value.problems


def test_repo_dxf_gives_the_same_rooms_as_the_json(slagelse):
    imported = load_plan(SLAGELSE_DXF)
    assert [r.id for r in imported.rooms] == [r.id for r in slagelse.rooms]
    for room in slagelse.rooms:
        other = imported.room(room.id)
        assert other.kind == room.kind
        assert other.name == room.name
        assert other.area == pytest.approx(room.area, rel=0.01)
        assert other.windows == room.windows

    def sides(doors):
        return {d.id: (frozenset(d.rooms)) for d in doors}

    assert sides(imported.doors) == sides(slagelse.doors)
    assert {d.id: d.rating.rw for d in imported.doors} == {
        d.id: d.rating.rw for d in slagelse.doors
    }
    assert {d.id: (d.room, d.chair is not None) for d in imported.desks} == {
        d.id: (d.room, d.chair is not None) for d in slagelse.desks
    }
    seated = {s.id: (s.desk, s.holds_interviews) for s in slagelse.staff if s.desk}
    assert {s.id: (s.desk, s.holds_interviews) for s in imported.staff} == seated
    assert len(imported.screens) == len(slagelse.screens)
    assert imported.screens[0].height == pytest.approx(1.4)


def test_repo_dxf_is_made_from_the_json(slagelse):
    """The committed DXF matches what tools/make_dxf.py writes from the JSON now."""
    fresh = load_plan(write_dxf(slagelse), format="dxf")
    committed = load_plan(SLAGELSE_DXF)
    assert fresh.rooms == committed.rooms
    assert fresh.doors == committed.doors and fresh.desks == committed.desks


def test_units_come_from_insunits(slagelse):
    assert dxf_units(SLAGELSE_DXF.read_bytes()) == 0.001
    metres = load_plan(write_dxf(slagelse, units="m"), format="dxf")
    assert metres.room("1.01").area == pytest.approx(27.5)


def test_missing_units_is_an_error_that_says_how_to_give_the_scale(slagelse):
    data = edited(slagelse, lambda doc: doc.header.__setitem__("$INSUNITS", 0))
    (p,) = problems(data)
    assert p.code == "dxf_no_units"
    assert "--dxf-scale" in p.fix("en") and "0.001" in p.fix("en")
    assert "--dxf-scale" in p.fix("da")
    plan = load_plan(data, format="dxf", scale=0.001)
    assert plan.room("1.01").area == pytest.approx(27.5)


@pytest.mark.parametrize("scale", [0, -1, float("nan")])
def test_bad_scale(scale):
    (p,) = problems(SLAGELSE_DXF.read_bytes(), scale=scale)
    assert p.code == "dxf_bad_scale"


def rename_layer(old, new):
    def change(doc):
        for e in doc.modelspace():
            if e.dxf.layer == old:
                e.dxf.layer = new

    return change


def test_layer_roles_can_be_given_by_the_caller(slagelse):
    data = edited(slagelse, rename_layer("rum", "POLY-OMR-3"))
    (p,) = problems(data)
    assert p.code == "dxf_no_rooms" and "POLY-OMR-3" in p.fix("en")
    plan = load_plan(data, format="dxf", layer_map={"POLY-OMR-3": "room"})
    assert len(plan.rooms) == len(slagelse.rooms)


def test_unknown_role_in_layer_map():
    (p,) = problems(SLAGELSE_DXF.read_bytes(), layer_map={"rum": "walls"})
    assert p.code == "dxf_bad_layer_map" and "walls" in p.message("en")


def test_open_outline_names_its_handle(slagelse):
    def open_first(doc):
        first = next(e for e in doc.modelspace() if e.dxftype() == "LWPOLYLINE")
        first.closed = False

    data = edited(slagelse, open_first)
    found = problems(data)
    outline = [p for p in found if p.code == "dxf_open_outline"]
    assert len(outline) == 1 and "DXF handle" in outline[0].feature and "rum" in outline[0].feature


def test_a_door_off_every_wall_is_told_where_it_is_and_what_is_near(slagelse):
    # issue 14: "door not on a wall" named only a DXF handle, not the place or the cause
    at = []

    def moved_door(doc):
        inserts = (e for e in doc.modelspace() if e.dxftype() == "INSERT")
        first = next(e for e in inserts if e.dxf.layer == "dør")
        x, y = first.dxf.insert[0] + 20_000, first.dxf.insert[1] + 20_000  # 20 m off [mm]
        first.dxf.insert = (x, y)
        at.append((x / 1000, y / 1000))

    found = [p for p in problems(edited(slagelse, moved_door)) if p.code == "dxf_door_rooms"]
    assert len(found) == 1
    en, da = found[0].message("en"), found[0].message("da")
    (x, y) = at[0]
    # the place to a decimetre, in each language's number form
    shown_en = re.search(r"\((-?[\d.]+), (-?[\d.]+)\)", en).groups()
    shown_da = re.search(r"\((-?[\d,]+); (-?[\d,]+)\)", da).groups()
    assert [float(v) for v in shown_en] == pytest.approx([x, y], abs=0.051)
    assert [float(v.replace(",", ".")) for v in shown_da] == [float(v) for v in shown_en]
    assert "nearest room" in en and " m away" in en and "{" not in en + da
    # the real cause: walls are at most 0.35 m thick, the opening is the block's x extent
    assert "0.35 m" in found[0].fix("en") and "basispunktet" in found[0].fix("da")


def test_room_kinds_from_labels_and_caller_mapping():
    assert room_kind("Kontor (2 pers.)") == "office"
    assert room_kind("Lille samtalerum A") == "interview"
    assert room_kind("Venteværelse") == "waiting"
    assert room_kind("Gang") == "corridor"
    assert room_kind("Meeting room") == "other"
    assert room_kind("Mødelokale 2", {"mødelokale": "interview"}) == "interview"
    plan = load_plan(SLAGELSE_DXF, kinds={"Frokoststue": "waiting"})
    assert plan.room("1.15").kind == "waiting"


def test_labels_and_layer_roles():
    assert split_label("1.02  Kontor (3 pers.)") == ("1.02", "Kontor (3 pers.)")
    assert split_label("Venteværelse") == (None, "Venteværelse")
    assert layer_role("Dør") == "door" and layer_role("A-DOOR") == "door"
    assert layer_role("door-leaves") == "door" and layer_role("vinduer") == "window"
    assert layer_role("A-DOOR", {"a-door": "door"}) == "door"
    layers = {name: role for name, role, _n in dxf_layers(SLAGELSE_DXF.read_bytes())}
    assert layers["rum"] == "room" and layers["dør"] == "door" and layers["bord"] == "desk"


@pytest.mark.parametrize("data", [b"", b"0\nSECTION\n2\nGARBAGE", b"\x00\x01\x02 not a drawing"])
def test_unreadable_dxf(data):
    found = problems(data)
    assert found[0].code in ("unreadable", "dxf_no_units", "dxf_no_rooms")
    assert found[0].fix("da")


def test_json_and_dxf_share_the_validation(slagelse):
    """A DXF whose door is off every wall gets the same problem a JSON plan would."""

    def move_door(doc):
        door = next(e for e in doc.modelspace() if e.dxf.layer == "dør")
        door.dxf.insert = (door.dxf.insert[0], door.dxf.insert[1] - 2000)

    (p,) = problems(edited(slagelse, move_door))
    assert p.code == "dxf_door_rooms" and "DXF handle" in p.feature and "dør" in p.feature


def test_load_by_suffix_and_by_content(tmp_path):
    data = SLAGELSE_DXF.read_bytes()
    path = tmp_path / "noext"
    path.write_bytes(data)
    assert len(load_plan(path).rooms) == 16
    assert len(load_plan(data).rooms) == 16
    assert load_plan(SLAGELSE).name != load_plan(SLAGELSE_DXF).name  # DXF names come from the file


def test_each_chair_goes_to_the_nearest_free_desk_of_its_own_room():
    # counted by hand: two rooms of 4 x 4 m side by side, desks A and C in the left, B in
    # the right just across the wall
    from shapely import box

    from roomplan.plan.dxf.read import _attach_chairs

    rooms = [("left", box(0, 0, 4, 4)), ("right", box(4, 0, 8, 4))]
    desks = [("A", (2.5, 2.0)), ("B", (4.5, 2.0)), ("C", (1.0, 2.0))]
    features = [{"id": d, "properties": {"feature": "desk"}} for d, _ in desks]
    space = ezdxf.new().modelspace()
    chairs = [
        space.add_point((3.95, 2.0)),  # B is nearer (0.55 m), but A (1.45 m) is in its room
        space.add_point((2.6, 2.2)),  # A is taken: the next free desk of the room, C
        space.add_point((7.9, 3.9)),  # B is 3.6 m away, beyond reach: no desk
        space.add_circle((4.6, 2.4), 0.2),  # a chair drawn as a circle, by B
    ]
    _attach_chairs(chairs, desks, features, rooms, lambda v: (float(v[0]), float(v[1])))
    got = {f["id"]: f["properties"].get("chair") for f in features}
    assert got == {"A": [3.95, 2.0], "B": [4.6, 2.4], "C": [2.6, 2.2]}


# -- how the drawing is read: fast when it is sound, recovered when it is not --------------
def _rooms_of(data: bytes):
    return {(r.id, r.name, r.kind) for r in load_plan(data, format="dxf").rooms}


def test_an_r2000_drawing_in_windows_1252_keeps_its_danish_letters(slagelse):
    doc = ezdxf.read(io.StringIO(write_dxf(slagelse).decode()))
    doc.dxfversion = "AC1015"  # before R2007 the text is in the header's code page
    stream = io.StringIO()
    doc.write(stream)
    data = stream.getvalue().encode("cp1252")
    assert "Venteværelse".encode("cp1252") in data
    assert _rooms_of(data) == {(r.id, r.name, r.kind) for r in slagelse.rooms}


def test_letters_written_as_unicode_escapes_are_read_as_letters(slagelse):
    # older CAD exports write æ as \U+00E6; only ezdxf's recovering reader decodes it
    text = write_dxf(slagelse).decode().replace("Venteværelse", "Ventev\\U+00E6relse")
    assert "\\U+00E6" in text
    assert _rooms_of(text.encode()) == {(r.id, r.name, r.kind) for r in slagelse.rooms}


def test_a_sound_drawing_is_read_by_the_fast_strict_reader(slagelse):
    from roomplan.plan.dxf.drawing import _read_strict

    assert _read_strict(write_dxf(slagelse)) is not None
    assert _read_strict(b"0\nSECTION\nnot a drawing") is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.replace("\n", "\r\n"),  # saved on Windows
        lambda text: text[: text.rindex("  0\nEOF")],  # cut off before its end marker
        lambda text: text.replace("SECTION", "section"),  # a sloppy exporter
    ],
)
def test_a_damaged_or_windows_drawing_reads_like_the_sound_one(slagelse, damage):
    sound = write_dxf(slagelse)
    assert _rooms_of(damage(sound.decode()).encode()) == _rooms_of(sound)


def _ends_meet(doc):
    """Each room polyline left open, its first point repeated at its end (CAD exports)."""
    for e in doc.modelspace().query("LWPOLYLINE"):
        points = list(e.get_points("xy"))
        e.set_points([*points, points[0]], format="xy")
        e.closed = False


@pytest.mark.parametrize("drawn", ["closed", "ends_meet"])
def test_too_many_rooms_are_refused_before_their_outlines_are_built(slagelse, monkeypatch, drawn):
    from roomplan.plan.dxf import read

    def build(*args, **kwargs):
        raise AssertionError("the outlines were built before the limit was checked")

    data = write_dxf(slagelse) if drawn == "closed" else edited(slagelse, _ends_meet)
    assert load_plan(data, format="dxf").rooms  # the drawing reads under the real limit
    monkeypatch.setattr(read, "MAX_ROOMS", len(slagelse.rooms) - 1)
    monkeypatch.setattr(read, "room_outlines", build)
    (p,) = problems(data)
    assert p.code == "too_many_rooms" and str(len(slagelse.rooms)) in p.message("en")
