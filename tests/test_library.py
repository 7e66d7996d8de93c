"""The plan library: versions are only added, damage and locks are reported, nothing is lost."""

import hashlib
import sqlite3

import pytest

from roomplan.library import ENV, Library, LibraryError, default_path
from roomplan.plan.files import plan_bytes
from tests.conftest import SLAGELSE, SLAGELSE_SPLIT


def test_versions_are_numbered_per_name_and_keep_their_bytes(tmp_path, slagelse):
    lib = Library(tmp_path / "lib.sqlite")
    first = lib.add(slagelse, note="som fundet", author="IT-sikkerhed")
    edited = slagelse.with_room(slagelse.room("1.11").replace(name="Samtalerum A"))
    second = lib.add(edited, name=slagelse.name, note="nyt navn")
    assert (first.version, second.version) == (1, 2)
    assert [v.version for v in lib.versions(slagelse.name)] == [2, 1]
    assert lib.load(first.id) == slagelse
    assert lib.load(second.id).room("1.11").name == "Samtalerum A"
    assert first.sha256 == hashlib.sha256(plan_bytes(slagelse)).hexdigest()
    assert lib.get(second.id).author == ""


def test_versions_can_never_be_overwritten_or_deleted(tmp_path, slagelse):
    path = tmp_path / "lib.sqlite"
    Library(path).add(slagelse)
    db = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="never overwritten"):
        db.execute("UPDATE versions SET note = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        db.execute("DELETE FROM versions")
    db.close()


def test_seeding_happens_once(tmp_path):
    lib = Library(tmp_path / "lib.sqlite")
    assert len(lib.seed([SLAGELSE, SLAGELSE_SPLIT])) == 2
    assert lib.seed([SLAGELSE]) == []
    assert {v.source for v in lib.versions()} == {SLAGELSE.name, SLAGELSE_SPLIT.name}


def test_a_damaged_file_is_reported_and_not_touched(tmp_path):
    path = tmp_path / "lib.sqlite"
    path.write_bytes(b"garbage" * 500)
    with pytest.raises(LibraryError) as err:
        Library(path)
    assert err.value.key == "damaged" and ENV in err.value.message("en")
    assert path.read_bytes() == b"garbage" * 500


def test_a_locked_library_says_try_again_and_saves_nothing(tmp_path, slagelse):
    path = tmp_path / "lib.sqlite"
    lib = Library(path, timeout_s=0.2)
    lib.add(slagelse)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LibraryError) as err:
            lib.add(slagelse)
        assert err.value.key == "locked"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [v.version for v in lib.versions()] == [1]


def test_a_changed_stored_plan_fails_its_checksum(tmp_path, slagelse):
    path = tmp_path / "lib.sqlite"
    v = Library(path).add(slagelse)
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER versions_are_kept")
    db.execute("UPDATE versions SET data = ? WHERE id = ?", (b"{}", v.id))
    db.commit()
    db.close()
    with pytest.raises(LibraryError) as err:
        Library(path).load(v.id)
    assert err.value.key == "checksum"


def test_the_path_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV, str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv(ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_path() == tmp_path / "roomplan" / "library.sqlite"


@pytest.mark.parametrize(
    "name, key",
    [
        ("SQLITE_READONLY", "readonly"),
        ("SQLITE_FULL", "full"),
        ("SQLITE_BUSY", "locked"),
        ("SQLITE_NOTADB", "damaged"),
        ("SQLITE_IOERR", "failed"),
    ],
)
def test_each_cause_gets_its_own_advice(tmp_path, name, key):
    from roomplan.library import _error

    exc = sqlite3.OperationalError("x")
    exc.sqlite_errorname = name
    error = _error(exc, tmp_path / "lib.sqlite")
    assert error.key == key and error.message("en") != error.message("da")
