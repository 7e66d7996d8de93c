"""Cameras and microphones: what they see through walls and openings, and the rules they break."""

import json

import pytest

from roomplan import load_plan
from roomplan.cli import main
from roomplan.devices import MAX_RETENTION_DAYS, audit_devices, field_of_view
from roomplan.plan.model import Rating
from tests.conftest import FLOORPLANS, room

# An entrance hall H (0-5 m) with the front door, an office K (5-12 m) with two desks behind a
# solid wall at x = 5, and an interview room S (12-15 m).
HALL_CAMERA = {"id": "C", "room": "H", "at": [4.6, 2.5], "direction_deg": 0.0}


def plan_with(device: dict, window: bool = False, extra: tuple = ()):
    features = [
        room("H", 0, 0, 5, 5, kind="corridor"),
        room("K", 5, 0, 12, 5),
        room("S", 12, 0, 15, 5, kind="interview", windows=False),
        _line("D0", "door", ["H", None], [[2, 0], [3, 0]]),
        _line("D1", "door", ["K", "H"], [[5, 4], [5, 4.9]]),
        _line("D2", "door", ["S", "K"], [[12, 4], [12, 4.9]]),
        _point("K-A", {"feature": "desk", "room": "K"}, [7, 1.5]),
        _point("K-B", {"feature": "desk", "room": "K", "chair": [9, 2.5]}, [9, 1.5]),
    ]
    if window:
        features.append(_line("V1", "window", ["H", "K"], [[5, 1], [5, 3.5]]))
    props = {
        "feature": "device",
        "kind": device.get("kind", "camera"),
        "room": device["room"],
        "direction_deg": device.get("direction_deg", 0.0),
        "fov_deg": device.get("fov_deg", 90.0),
        "range_m": device.get("range_m", 10.0),
        "recording": device.get("recording", False),
        "retention_days": device.get("retention_days"),
        "signage": device.get("signage", False),
    }
    features.append(_point(device["id"], props, device["at"]))
    features += list(extra)
    doc = {
        "type": "FeatureCollection",
        "roomplan": 1,
        "properties": {
            "name": "devices",
            "units": "m",
            "staff": [{"id": "E1", "desk": "K-A"}, {"id": "E2", "desk": "K-B"}],
        },
        "features": features,
    }
    return load_plan(json.dumps(doc).encode())


def _line(fid, feature, rooms, coords):
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": {"feature": feature, "rooms": rooms},
    }


def _point(fid, props, xy):
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "Point", "coordinates": xy},
        "properties": props,
    }


def test_a_camera_facing_desks_is_employee_surveillance():
    plan = plan_with({"id": "C", "room": "K", "at": [11.5, 2.5], "direction_deg": 180.0})
    found = audit_devices(plan)
    assert "employee_surveillance" in found.rules("C")
    finding = next(f for f in found if f.rule == "employee_surveillance")
    assert set(finding.covers) == {"K-A", "K-B"}
    assert finding.severity == "high"
    assert "E1" in finding.message("en") and "K-A" in finding.message("da")
    # the citizen's chair at K-B: an interview position watched as well
    assert "confidential_view" in found.rules("C")


def test_the_same_camera_turned_to_the_entrance_with_signage_has_no_finding():
    plan = plan_with(
        {"id": "C", "room": "H", "at": [2.5, 4.5], "direction_deg": 270.0, "signage": True}
    )
    assert audit_devices(plan).findings == ()
    unsigned = plan_with({"id": "C", "room": "H", "at": [2.5, 4.5], "direction_deg": 270.0})
    assert audit_devices(unsigned).rules("C") == {"signage"}


def test_a_camera_behind_a_solid_wall_sees_nothing_beyond_it():
    plan = plan_with({**HALL_CAMERA, "signage": True})
    view = field_of_view(plan, plan.devices[0])
    assert view.intersection(plan.room("K").polygon).area < 1e-6
    assert audit_devices(plan).findings == ()


def test_the_same_camera_behind_a_glazed_wall_sees_the_desks():
    plan = plan_with({**HALL_CAMERA, "signage": True}, window=True)
    view = field_of_view(plan, plan.devices[0])
    assert view.intersection(plan.room("K").polygon).area > 1.0
    assert "employee_surveillance" in audit_devices(plan).rules("C")


def test_a_glazed_partition_counts_like_a_window():
    plan = plan_with({**HALL_CAMERA, "signage": True})
    glazed = plan.with_partition_rating("H", "K", Rating(30.0, "Glasvæg", "test"))
    assert audit_devices(plan).findings == ()
    assert "employee_surveillance" in audit_devices(glazed).rules("C")


def test_an_open_door_lets_the_camera_see_through_it_only_within_its_cone():
    plan = plan_with({**HALL_CAMERA, "at": [4.6, 4.45], "signage": True})
    closed = field_of_view(plan, plan.devices[0])
    door = plan.door("D1")
    opened = plan.replace(
        doors=tuple(d.replace(is_open=True) if d is door else d for d in plan.doors)
    )
    view = field_of_view(opened, opened.devices[0])
    beyond = view.intersection(opened.room("K").polygon)
    assert closed.intersection(plan.room("K").polygon).area < 1e-6
    assert beyond.area > 0.5
    # the strip seen through a 0.9 m door does not reach the desks at y = 1.5
    assert beyond.bounds[1] > 1.5 or beyond.distance(opened.desk("K-A").point) > 0.3


def test_a_microphone_in_an_interview_room_is_a_finding():
    plan = plan_with({"id": "M", "kind": "microphone", "room": "S", "at": [13.5, 1.0]})
    found = audit_devices(plan)
    assert found.rules("M") == {"overhears_interview"}
    finding = found.of("M")[0]
    assert "room:S" in finding.covers and finding.severity == "high"


def test_a_microphone_far_away_behind_walls_hears_nothing():
    plan = plan_with({"id": "M", "kind": "smart_speaker", "room": "H", "at": [0.5, 0.5]})
    assert "room:S" not in {c for f in audit_devices(plan).of("M") for c in f.covers}


@pytest.mark.parametrize("days, finding", [(MAX_RETENTION_DAYS, False), (31, True)])
def test_retention_over_30_days_is_a_finding(days, finding):
    device = {**HALL_CAMERA, "signage": True, "recording": True, "retention_days": days}
    found = audit_devices(plan_with(device))
    assert ("retention" in found.rules("C")) is finding
    if finding:
        assert "31" in found.of("C")[0].message("en")


def test_recording_without_a_stated_retention_is_a_low_finding():
    found = audit_devices(plan_with({**HALL_CAMERA, "signage": True, "recording": True}))
    assert [(f.rule, f.severity) for f in found] == [("retention_unknown", "low")]


def test_the_aalborg_example_reports_the_webcam_on_the_desks(capsys):
    path = FLOORPLANS / "aalborg-it-2020.json"
    assert main(["devices", str(path)]) == 0
    out = capsys.readouterr().out
    assert "W1" in out and "medarbejderovervågning" in out
    assert main(["--lang", "en", "devices", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rules = {(f["device"], f["rule"]) for f in data["findings"]}
    assert ("W1", "employee_surveillance") in rules
    assert ("W2", "employee_surveillance") not in rules


def test_devices_on_a_broken_plan_exit_2_without_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["devices", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err
