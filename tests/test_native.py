"""The native file: round trips, the schema, and one broken plan per validation rule."""

import json
from pathlib import Path

import jsonschema
import pytest
from shapely import box

from roomplan import PlanError, load_plan, save_plan, validate
from roomplan.plan import Room, native
from roomplan.plan.native import read_native, to_geojson, write_native
from tests.conftest import SLAGELSE, SLAGELSE_SPLIT, room

SCHEMA = json.loads((Path(native.__file__).parent / "schema.json").read_text(encoding="utf-8"))


def problems_of(doc_or_bytes):
    data = doc_or_bytes if isinstance(doc_or_bytes, bytes) else json.dumps(doc_or_bytes).encode()
    with pytest.raises(PlanError) as info:
        load_plan(data, format="json")
    return info.value.problems


def assert_named(problem, feature: str):
    """The problem names the feature, and says what is wrong and how to fix it, in both
    languages, with every placeholder filled."""
    assert feature in problem.feature
    for lang in ("da", "en"):
        message, fix = problem.message(lang), problem.fix(lang)
        assert message and fix and message != fix
        assert not message.startswith("problem.") and not fix.startswith("fix.")
        assert "{" not in message and "{" not in fix


@pytest.mark.parametrize("path", [SLAGELSE, SLAGELSE_SPLIT])
def test_round_trip_gives_the_same_plan(path, tmp_path):
    plan = load_plan(path)
    out = save_plan(plan, tmp_path / "copy.json")
    again = load_plan(out)
    assert again == plan
    assert write_native(again) == out.read_bytes() == path.read_bytes()


def test_small_plan_round_trip(doc, tmp_path):
    plan = read_native(doc)
    assert plan.desk("K1-A").room == "K1"  # placed from its position
    assert plan.devices[0].room == "G"
    assert plan.door("D1").rating.rw == 20 and plan.door("D2").rating.rw == plan.defaults.door.rw
    assert read_native(json.loads(write_native(plan))) == plan


@pytest.mark.parametrize("path", [SLAGELSE, SLAGELSE_SPLIT])
def test_bundled_and_written_plans_follow_the_schema(path, doc):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert not list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
    assert not list(validator.iter_errors(to_geojson(read_native(doc))))


def test_unreadable_file():
    (p,) = problems_of(b"{not json")
    assert p.code == "unreadable" and "line 1" in p.message("en")
    (p,) = problems_of(b"\xff\xfe{}")
    assert p.code == "unreadable"
    assert_named(p, "")


def test_missing_file(tmp_path):
    with pytest.raises(PlanError) as info:
        load_plan(tmp_path / "nope.json")
    assert info.value.problems[0].code == "unreadable"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d.update(type="Feature"), "not_feature_collection"),
        (lambda d: d.pop("roomplan"), "missing_version"),
        (lambda d: d.update(roomplan=2), "wrong_version"),
        (lambda d: d.update(roomplan=True), "wrong_version"),
    ],
)
def test_wrong_format_or_version(doc, change, code):
    change(doc)
    (p,) = problems_of(doc)
    assert p.code == code
    assert_named(p, "")


def set_ring(doc, fid, ring):
    feature = next(f for f in doc["features"] if f["id"] == fid)
    feature["geometry"]["coordinates"] = [ring]


def test_polygon_with_fewer_than_three_points(doc):
    set_ring(doc, "K1", [[0, 0], [4, 0], [0, 0]])
    (p,) = problems_of(doc)
    assert p.code == "too_few_points"
    assert_named(p, "K1")


def test_self_intersecting_polygon(doc):
    set_ring(doc, "K1", [[0, 0], [4, 5], [4, 0], [0, 5], [0, 0]])
    (p,) = problems_of(doc)
    # the crossing named in metres, not in the geometry library's words
    assert p.code == "self_intersecting" and "(2, 2.5)" in p.message("en")
    assert "(2; 2,5)" in p.message("da") and "Self-intersection" not in p.message("en")
    assert_named(p, "K1")


def test_a_hole_outside_its_room_is_named_where_it_is(doc):
    ring = [[0, 0], [4, 0], [4, 5], [0, 5], [0, 0]]
    doc["features"][0]["geometry"]["coordinates"] = [ring, [[7, 7], [8, 7], [8, 8], [7, 7]]]
    (p,) = problems_of(doc)
    assert p.code == "bad_hole" and "(7, 7)" in p.message("en")
    assert_named(p, "K1")


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_or_inf_coordinates(doc, bad):
    text = json.dumps(doc).replace("[6, 2]", f"[6, {bad}]")
    (p,) = problems_of(text.encode())
    assert p.code == "non_finite"
    assert_named(p, "K2-A")


def test_overlapping_rooms(doc):
    set_ring(doc, "K2", [[3, 0], [8, 0], [8, 5], [3, 5], [3, 0]])
    problems = problems_of(doc)
    overlaps = [p for p in problems if p.code == "overlapping_rooms"]
    assert len(overlaps) == 1
    assert_named(overlaps[0], "K2")
    assert "K1" in overlaps[0].message("en") and "5 m²" in overlaps[0].message("en")


def test_desk_outside_every_room(doc):
    desk = next(f for f in doc["features"] if f["id"] == "K1-A")
    desk["geometry"]["coordinates"] = [20, 20]
    desk["properties"]["chair"] = None
    (p,) = problems_of(doc)
    assert p.code == "outside_rooms"
    assert_named(p, "K1-A")


def test_device_outside_every_room(doc):
    cam = next(f for f in doc["features"] if f["id"] == "CAM")
    cam["geometry"]["coordinates"] = [-3, 6]
    (p,) = problems_of(doc)
    assert p.code == "outside_rooms"
    assert_named(p, "CAM")


def test_desk_in_another_room_than_it_says(doc):
    desk = next(f for f in doc["features"] if f["id"] == "K2-A")
    desk["properties"]["room"] = "K1"
    (p,) = problems_of(doc)
    assert p.code == "room_mismatch" and "K2" in p.fix("en")
    assert_named(p, "K2-A")


def test_door_not_on_the_partition_it_names(doc):
    door = next(f for f in doc["features"] if f["id"] == "D1")
    door["geometry"]["coordinates"] = [[1, 0], [1.9, 0]]  # on the facade, not the corridor wall
    (p,) = problems_of(doc)
    assert p.code == "opening_not_on_partition"
    assert_named(p, "D1")


def test_door_between_rooms_that_share_no_wall(doc):
    door = next(f for f in doc["features"] if f["id"] == "D1")
    door["properties"]["rooms"] = ["K1", "K1x"]
    (p,) = problems_of(doc)
    assert p.code == "unknown_room"
    assert_named(p, "D1")


def test_unknown_room_kind(doc):
    doc["features"][0]["properties"]["kind"] = "kontor"
    (p,) = problems_of(doc)
    assert p.code == "unknown_room_kind" and "office" in p.fix("da")
    assert_named(p, "K1")


def test_duplicate_ids(doc):
    doc["features"][1]["id"] = "K1"
    problems = problems_of(doc)
    dup = [p for p in problems if p.code == "duplicate_id"]
    assert len(dup) == 1
    assert_named(dup[0], "K1")


def test_duplicate_staff_ids(doc):
    doc["properties"]["staff"][1]["id"] = "S1"
    (p,) = problems_of(doc)
    assert p.code == "duplicate_id"
    assert_named(p, "S1")


def test_staff_pointing_at_a_missing_desk(doc):
    doc["properties"]["staff"][0]["desk"] = "NOPE"
    (p,) = problems_of(doc)
    assert p.code == "staff_missing_desk" and "NOPE" in p.message("en")
    assert_named(p, "S1")


def test_more_features_than_the_limit(doc, monkeypatch):
    monkeypatch.setattr(native, "MAX_FEATURES", 5)
    (p,) = problems_of(doc)
    assert p.code == "too_many_features" and "5" in p.message("en")
    assert_named(p, "")


def test_more_bytes_than_the_limit(doc, monkeypatch, tmp_path):
    monkeypatch.setattr(native, "MAX_BYTES", 100)
    (p,) = problems_of(doc)
    assert p.code == "too_large"
    from roomplan.plan import files

    monkeypatch.setattr(files, "MAX_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc))
    (p,) = validate(path)
    assert p.code == "too_large" and p.feature == "big.json"


def test_every_problem_is_reported_not_just_the_first(doc):
    doc["features"][0]["properties"]["kind"] = "kontor"
    set_ring(doc, "K2", [[4, 0], [8, 5], [8, 0], [4, 5], [4, 0]])
    doc["properties"]["staff"][0]["desk"] = "NOPE"
    doc["features"][3]["properties"]["rw"] = "twenty"
    codes = {p.code for p in problems_of(doc)}
    assert {"unknown_room_kind", "self_intersecting", "staff_missing_desk", "bad_type"} <= codes


def test_a_window_in_a_room_without_windows(doc):
    doc["features"].append(
        {
            "type": "Feature",
            "id": "W1",
            "geometry": {"type": "LineString", "coordinates": [[1, 0], [2, 0]]},
            "properties": {"feature": "window", "rooms": ["K1", None]},
        }
    )
    (p,) = problems_of(doc)
    assert p.code == "window_in_windowless"
    assert_named(p, "W1")
    doc["features"][0]["properties"]["windows"] = True
    assert read_native(doc).windows[0].rooms == ("K1", None)


def test_nothing_is_written_when_the_plan_is_invalid(doc, tmp_path):
    plan = read_native(doc)
    broken = plan.with_room(plan.room("K2").replace(polygon=box(3, 0, 8, 5)))
    target = tmp_path / "plan.json"
    target.write_text("previous")
    with pytest.raises(PlanError):
        save_plan(broken, target)
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_plans_built_in_code_are_checked_on_save(tmp_path):
    from roomplan.plan import Plan

    plan = Plan(
        name="x",
        rooms=(
            Room("A", "A", "office", box(0, 0, 1, 1)),
            Room("A", "B", "office", box(1, 0, 2, 1)),
        ),
    )
    with pytest.raises(PlanError) as info:
        save_plan(plan, tmp_path / "x.json")
    assert info.value.problems[0].code == "duplicate_id"
    assert not (tmp_path / "x.json").exists()


def test_doc_with_extra_rooms_reads(doc):
    doc["features"].append(room("K3", 8, 0, 12, 5))
    assert len(read_native(doc).rooms) == 4


def test_the_example_in_the_format_docs_reads():
    text = (Path(__file__).resolve().parents[1] / "docs" / "plan-format.md").read_text(
        encoding="utf-8"
    )
    example = text.split("```json", 1)[1].split("```", 1)[0]
    plan = load_plan(example.encode(), format="json")
    assert [r.id for r in plan.rooms] == ["K1", "K2", "G"]
    assert plan.door("D2").rating.rw == 30 and plan.door("D1").rating.rw == 20
    assert plan.partition("K1", "G").rating.rw == 42 and plan.partition("K1", "K2").rating.rw == 37
    assert not list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(json.loads(example)))


# -- numbers no file may hold (issue: hostile input) ------------------------------------------
HUGE = "1" + "0" * 400  # overflows a float


def test_a_400_digit_number_is_refused_by_name(doc):
    text = json.dumps(doc).replace('"rw": 20', f'"rw": {HUGE}')
    (p,) = problems_of(text.encode())
    assert p.code == "out_of_range" and p.field == "properties.rw"
    assert_named(p, "D1")


def test_a_400_digit_coordinate_is_refused_by_name(doc):
    text = json.dumps(doc).replace("[6, 2]", f"[6, {HUGE}]")
    (p,) = problems_of(text.encode())
    assert p.code == "out_of_range"
    assert_named(p, "K2-A")


def test_a_5000_digit_number_is_refused_by_name(doc):
    # beyond Python's limit on converting digits to an integer
    text = json.dumps(doc).replace('"rw": 20', f'"rw": {"9" * 5000}')
    (p,) = problems_of(text.encode())
    assert p.code == "out_of_range" and p.field == "properties.rw"
    assert_named(p, "D1")
    assert len(p.message("en")) < 300  # the digits are not repeated back


@pytest.mark.parametrize("cap", [10**30, 10_000])
def test_a_weekly_cap_beyond_any_week_is_refused(doc, cap):
    doc["properties"]["staff"][0]["max_interviews"] = cap
    (p,) = problems_of(doc)
    assert p.code == "out_of_range" and p.field == "max_interviews"
    assert_named(p, "S1")


def test_a_retention_of_10_to_the_30_days_is_refused(doc):
    doc["features"][-1]["properties"]["retention_days"] = 10**30
    (p,) = problems_of(doc)
    assert p.code == "out_of_range" and p.field == "properties.retention_days"
    assert_named(p, "CAM")


def test_a_plan_without_rooms_is_refused(doc):
    doc["features"] = []
    p = problems_of(doc)[0]  # first; the staff's missing desks follow
    assert p.code == "no_rooms"
    for lang in ("da", "en"):
        assert p.message(lang) and p.fix(lang) and "{" not in p.message(lang)


def test_a_plan_drawn_in_millimetres_is_refused_with_a_hint_about_units(slagelse):
    # issue 14: Slagelse scaled x1000 (millimetres read as metres) was accepted and the privacy
    # analysis then ran out of memory; every room is now far beyond any real room
    scaled = json.loads(json.dumps(to_geojson(slagelse)))

    def scale(c):
        return [scale(x) for x in c] if isinstance(c[0], list) else [v * 1000 for v in c]

    for f in scaled["features"]:
        f["geometry"]["coordinates"] = scale(f["geometry"]["coordinates"])
        if f["properties"].get("chair"):
            f["properties"]["chair"] = scale(f["properties"]["chair"])
    found = problems_of(scaled)
    big = {p.feature: p for p in found if p.code == "room_too_large"}
    # the rectangles drawn along the axes: their length read from their corners
    for r in slagelse.rooms:
        x0, y0, x1, y1 = r.polygon.bounds
        if abs((x1 - x0) * (y1 - y0) - r.area) > 1e-6:
            continue
        side = max(x1 - x0, y1 - y0)
        assert r.id in big, r.id
        assert f" {side:.1f} m langt".replace(".", ",").replace(",0 m", " m") in big[r.id].fix("da")
    first = next(iter(big.values()))
    assert "millimetres" in first.fix("en") and "{" not in first.message("en")


def test_a_room_too_narrow_to_sit_in_is_refused(doc):
    doc["features"][1] = room("K2", 4, 0, 4.001, 5, kind="interview")
    doc["features"][4]["geometry"]["coordinates"] = [4.0005, 2]  # the desk, still inside
    doc["features"][4]["properties"]["chair"] = [4.0005, 3]
    found = [p for p in problems_of(doc) if p.code == "room_too_narrow"]
    assert len(found) == 1 and found[0].feature == "K2"
    assert "0,001" in found[0].message("da") and "{" not in found[0].fix("en")


@pytest.mark.parametrize(
    ("field", "most"),
    [("max_interviews", native.MAX_CAP), ("retention_days", native.MAX_RETENTION_DAYS)],
)
def test_the_reader_keeps_the_schemas_range(doc, field, most):
    # one source of truth: what the schema allows the reader reads, one more it refuses
    for value, ok in ((most, True), (most + 1, False)):
        if field == "max_interviews":
            doc["properties"]["staff"][0][field] = value
        else:
            doc["features"][-1]["properties"][field] = value
        valid = not list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc))
        assert valid == ok
        assert (validate(json.dumps(doc).encode(), format="json") == ()) == ok


def test_a_plan_in_map_coordinates_is_refused_once_with_the_offset(doc):
    # issue 14: a plan exported at UTM coordinates gave one range problem per coordinate; the
    # plan itself is fine, only its origin is 6,150 km away
    def moved(c):
        if isinstance(c[0], list):
            return [moved(v) for v in c]
        return [c[0] + 680_000, c[1] + 6_150_000]

    for f in doc["features"]:
        f["geometry"]["coordinates"] = moved(f["geometry"]["coordinates"])
        if f["properties"].get("chair"):
            f["properties"]["chair"] = moved(f["properties"]["chair"])
    (p,) = problems_of(doc)
    assert p.code == "map_coordinates"
    for lang in ("da", "en"):
        assert "680000" in p.fix(lang) and "6150000" in p.fix(lang), p.fix(lang)
        assert "{" not in p.message(lang) + p.fix(lang)


def test_one_far_coordinate_is_still_named_where_it_is(doc):
    doc["features"][1]["geometry"]["coordinates"][0][2] = [6, 6_150_000]
    found = problems_of(doc)
    assert found[0].code == "out_of_range" and found[0].feature == "K2"


def test_the_room_limit_is_the_schemas_and_refused_by_count(doc, monkeypatch):
    # issue 14: 6,400 rooms (within the feature limit) took the capacity bounds past 1 GB
    assert SCHEMA["properties"]["features"]["maxContains"] == native.MAX_ROOMS
    rooms = sum(f["properties"]["feature"] == "room" for f in doc["features"])
    monkeypatch.setattr(native, "MAX_ROOMS", rooms - 1)
    (p,) = problems_of(doc)
    assert p.code == "too_many_rooms" and str(rooms) in p.message("da")
    monkeypatch.setattr(native, "MAX_ROOMS", rooms)
    assert load_plan(json.dumps(doc).encode(), format="json").rooms


@pytest.mark.parametrize(
    ("change", "danish"),
    [
        (lambda d: d["features"][0]["properties"].update(ceiling_height="høj"), "et tal"),
        (lambda d: d["features"][0]["properties"].update(name=3), "tekst"),
        (lambda d: d["features"][0]["properties"].update(windows="ja"), "true eller false"),
        (lambda d: d["properties"]["staff"][0].update(max_interviews=2.5), "helt tal"),
        (lambda d: d["properties"].update(notes="x"), "liste af tekster"),
    ],
)
def test_a_wrong_type_is_named_in_the_users_language(doc, change, danish):
    # found by tests/mutate.py: the Danish message said "Forventede number"
    change(doc)
    (p,) = [p for p in problems_of(doc) if p.code == "bad_type"]
    assert danish in p.message("da") and danish in p.fix("da"), p.message("da")
    for english in ("number", "text", "true/false", "whole number", "list of text"):
        assert f"Forventede {english}" not in p.message("da")


def test_one_stray_coordinate_is_not_taken_for_map_coordinates(doc):
    # the plan lies 10 m up, one corner typed 100,005 m: the spread is under 100 km, but
    # only that corner is far
    def moved(c):
        return [moved(v) for v in c] if isinstance(c[0], list) else [c[0], c[1] + 10]

    for f in doc["features"]:
        f["geometry"]["coordinates"] = moved(f["geometry"]["coordinates"])
        if f["properties"].get("chair"):
            f["properties"]["chair"] = moved(f["properties"]["chair"])
    doc["features"][0]["geometry"]["coordinates"][0][2] = [4, 100_005]
    found = problems_of(doc)
    assert "map_coordinates" not in {p.code for p in found}
    assert any(p.code == "out_of_range" and p.feature == "K1" for p in found)


def test_an_outline_of_more_points_than_the_schema_allows_is_refused(doc, monkeypatch):
    # found by tests/mutate.py: a room drawn with 360,000 points took a minute to check
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    limit = SCHEMA["$defs"]["room"]["properties"]["geometry"]["properties"]["coordinates"]
    assert limit["items"]["maxItems"] == native.MAX_POINTS
    monkeypatch.setattr(native, "MAX_POINTS", len(ring) - 1)
    p = problems_of(doc)[0]  # the features in and beside the room follow
    assert p.code == "too_many_points" and p.feature == doc["features"][0]["id"]
    assert str(len(ring)) in p.message("da") and "{" not in p.fix("en")


def test_coordinates_written_as_text_are_named_as_such_not_as_map_coordinates(doc):
    # an export at UTM that wrote every number as text: the text is what to fix
    def text(c):
        return [text(v) for v in c] if isinstance(c[0], list) else [str(c[0] + 680_000), str(c[1])]

    for f in doc["features"]:
        f["geometry"]["coordinates"] = text(f["geometry"]["coordinates"])
    found = problems_of(doc)
    assert "map_coordinates" not in {p.code for p in found}
    assert "bad_coordinate" in {p.code for p in found}


def test_one_long_text_among_many_coordinates_is_named_without_widening_them_all(doc):
    # found by make fuzz (issue 14): one 20,000-character text in an outline of 8,000
    # points made numpy hold every coordinate as 20,000-character text, 1.2 GB
    import tracemalloc

    ring = doc["features"][1]["geometry"]["coordinates"][0]
    (x0, y0), (x1, y1) = ring[0], ring[1]
    ring[1:1] = [[x0 + (x1 - x0) * i / 8000, y0 + (y1 - y0) * i / 8000] for i in range(1, 8000)]
    ring[4000][1] = "x" * 20_000
    tracemalloc.start()
    try:
        found = problems_of(doc)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "bad_coordinate" in {p.code for p in found}
    assert peak < 100 * 2**20, f"{peak / 2**20:.0f} MB to read a 1 MB plan"
