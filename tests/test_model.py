"""The plan model: the bundled Slagelse plan, derived partitions, immutable edits."""

import dataclasses

import numpy as np
import pytest
from shapely import box

from roomplan.plan import Rating, Room
from roomplan.plan.geometry import shared_wall


def test_slagelse_matches_the_memo(slagelse):
    s = slagelse.summary()
    assert s["kinds"]["office"] == 5
    assert s["office_sizes"] == [3, 3, 2, 2, 2]
    assert s["kinds"]["interview"] == 5
    assert s["interview_rooms_windowless"] == 3
    large = [r for r in slagelse.rooms_of_kind("interview") if r.windows]
    small = [r for r in slagelse.rooms_of_kind("interview") if not r.windows]
    assert len(large) == 2 and min(r.area for r in large) > max(r.area for r in small)
    assert s["kinds"]["waiting"] == 1
    assert s["desks"] == 12
    assert s["staff"] == 13 and s["interviewing"] == 10
    assert all(m.max_interviews == 36 for m in slagelse.staff if m.holds_interviews)
    assert [m.id for m in slagelse.staff if m.desk is None] == ["S13"]
    assert any("S13" in note for note in slagelse.notes), "the plan says where the 13th sits"
    assert {s.room for s in slagelse.screens} <= {r.id for r in slagelse.rooms_of_kind("office")}
    assert slagelse.screens


def test_every_rating_in_slagelse_has_a_source(slagelse):
    ratings = [p.rating for p in slagelse.partitions] + [d.rating for d in slagelse.doors]
    ratings += [w.rating for w in slagelse.windows]
    assert ratings
    for rating in ratings:
        assert rating.source and rating.construction


def test_split_variant_gives_every_desk_its_own_office(slagelse_split):
    offices = slagelse_split.rooms_of_kind("office")
    assert len(offices) == 12
    assert all(len(slagelse_split.desks_in(r.id)) == 1 for r in offices)
    assert slagelse_split.summary()["interview_rooms_windowless"] == 3
    assert len(slagelse_split.rooms_of_kind("interview")) == 3


def test_partitions_come_from_shared_edges(slagelse):
    p = slagelse.partition("1.01", "1.02")
    assert p is not None and p.kind == "office/office"
    assert p.length == pytest.approx(5.5)
    assert p.area == pytest.approx(5.5 * 2.7)
    assert slagelse.partition("1.01", "1.03") is None  # not neighbours
    corridor = slagelse.partition("1.00", "1.06")
    assert corridor.doors == ("D1.06",) and corridor.rating.rw == 42
    assert slagelse.partition("1.01", "1.00").rating.construction.startswith("Murværk")


def test_rooms_meeting_at_a_corner_share_no_wall():
    assert shared_wall(box(0, 0, 2, 2), box(2, 2, 4, 4)) is None
    assert shared_wall(box(0, 0, 2, 2), box(2, 0, 4, 2)).length == pytest.approx(2)


def test_rooms_across_a_thick_wall_share_a_partition():
    wall = shared_wall(box(0, 0, 3, 4), box(3.2, 1, 6, 5))
    assert wall is not None and wall.length == pytest.approx(3.0)


def test_partition_rating_override_and_immutability(slagelse):
    upgraded = slagelse.with_partition_rating("1.02", "1.01", Rating(52, "acoustic wall"))
    assert upgraded.partition("1.01", "1.02").rating.rw == 52
    assert slagelse.partition("1.01", "1.02").rating.rw == 37  # the original is unchanged
    with pytest.raises(dataclasses.FrozenInstanceError):
        slagelse.name = "x"


def test_room_index_finds_rooms_for_points(slagelse):
    ids = slagelse.index.rooms_at(np.array([[1, 1], [14, 6.5], [-5, -5]]))
    assert list(ids) == ["1.01", "1.00", None]
    assert slagelse.index.room_at((7.0, 9.0)) == "1.11"


def test_room_values_have_units(slagelse):
    r = slagelse.room("1.11")
    assert isinstance(r, Room)
    assert r.area == pytest.approx(7.2)
    assert r.volume == pytest.approx(7.2 * 2.7)
    assert r.replace(name="x").name == "x" and r.name != "x"


def test_a_wall_drawn_with_thousands_of_collinear_vertices_is_one_partition(doc):
    """Issue 14: a shared wall of 5,000 collinear vertices took over a minute (every edge
    against every edge); edges are now paired through an STRtree, so it is read at once."""
    import json

    from roomplan import load_plan

    n = 5000
    ys = np.linspace(0.0, 5.0, n)
    k1 = doc["features"][0]["geometry"]["coordinates"][0]
    k2 = doc["features"][1]["geometry"]["coordinates"][0]
    # K1 is 0-4 x 0-5, K2 is 4-8 x 0-5: both draw their shared edge x = 4 with n vertices
    k1[:] = [[0, 0], [4, 0], *[[4, float(y)] for y in ys[1:-1]], [4, 5], [0, 5], [0, 0]]
    k2[:] = [[4, 0], [8, 0], [8, 5], [4, 5], *[[4, float(y)] for y in ys[-2:0:-1]], [4, 0]]
    plan = load_plan(json.dumps(doc).encode())
    part = plan.partition("K1", "K2")
    assert part is not None and part.length == pytest.approx(5.0)
    assert shared_wall(plan.room("K1").polygon, plan.room("K2").polygon).length == pytest.approx(
        5.0
    )
