"""Shared fixtures: the bundled plans and a small valid plan document to break."""

import copy
import os
from pathlib import Path

import pytest

from roomplan import load_plan

# a page that fails raises in the tests (AppTest, and the apps the tests serve) instead of
# the user's message; see app.py
os.environ.setdefault("ROOMPLAN_RAISE", "1")

ROOT = Path(__file__).resolve().parents[1]
FLOORPLANS = ROOT / "floorplans"
SLAGELSE = FLOORPLANS / "slagelse-oestre-skole.json"
SLAGELSE_SPLIT = FLOORPLANS / "slagelse-oestre-skole-split.json"
SLAGELSE_DXF = FLOORPLANS / "slagelse-oestre-skole.dxf"


def room(fid, x0, y0, x1, y1, kind="office", **props):
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"feature": "room", "name": fid, "kind": kind, **props},
    }


def small_doc() -> dict:
    """Two offices side by side on a corridor, a door each, a desk with its caseworker."""
    return {
        "type": "FeatureCollection",
        "roomplan": 1,
        "properties": {
            "name": "small",
            "units": "m",
            "staff": [
                {"id": "S1", "desk": "K1-A", "need_to_know": []},
                {"id": "S2", "desk": "K2-A"},
            ],
        },
        "features": [
            room("K1", 0, 0, 4, 5),
            room("K2", 4, 0, 8, 5),
            room("G", 0, 5, 8, 7, kind="corridor"),
            {
                "type": "Feature",
                "id": "D1",
                "geometry": {"type": "LineString", "coordinates": [[1, 5], [1.9, 5]]},
                "properties": {"feature": "door", "rooms": ["K1", "G"], "rw": 20},
            },
            {
                "type": "Feature",
                "id": "D2",
                "geometry": {"type": "LineString", "coordinates": [[5, 5], [5.9, 5]]},
                "properties": {"feature": "door", "rooms": ["K2", "G"]},
            },
            {
                "type": "Feature",
                "id": "K1-A",
                "geometry": {"type": "Point", "coordinates": [2, 2]},
                "properties": {"feature": "desk", "chair": [2, 3]},
            },
            {
                "type": "Feature",
                "id": "K2-A",
                "geometry": {"type": "Point", "coordinates": [6, 2]},
                "properties": {"feature": "desk", "room": "K2", "chair": [6, 3]},
            },
            {
                "type": "Feature",
                "id": "CAM",
                "geometry": {"type": "Point", "coordinates": [7, 6]},
                "properties": {"feature": "device", "kind": "camera", "direction_deg": 180},
            },
        ],
    }


@pytest.fixture
def doc() -> dict:
    return copy.deepcopy(small_doc())


@pytest.fixture(scope="session")
def slagelse():
    return load_plan(SLAGELSE)


@pytest.fixture(scope="session")
def slagelse_split():
    return load_plan(SLAGELSE_SPLIT)


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (make test runs two workers), the browser tests run one after the
    other on one worker: each starts a Streamlit server and a Chromium of its own."""
    for item in items:
        if item.path.name == "test_browser.py":
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for this test process: a function giving a new database's URL.
    Missing PostgreSQL skips these tests locally and fails them in CI (`.ci/run` installs it)."""
    import os

    from tests import pg

    if pg.binaries() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is missing: .ci/run installs Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    with pg.server() as database:
        yield database


@pytest.fixture(params=["sqlite", "postgres"])
def library_at(request, tmp_path):
    """Where a new, empty library lives: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "lib.sqlite"
    return request.getfixturevalue("postgres")()
