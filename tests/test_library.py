"""The plan library, in SQLite and in PostgreSQL: versions are only added, roles are checked
before anything is written, every write and refusal is in the audit trail, nothing is lost."""

import hashlib
import sqlite3
import threading

import pytest

from roomplan.access import AccessDenied, Identity, Role
from roomplan.library import ENV, Library, LibraryError, default_path
from roomplan.library import schema as library_schema
from roomplan.library.backends import redacted, sqlite_error
from roomplan.plan.files import plan_bytes
from tests.conftest import SLAGELSE, SLAGELSE_SPLIT

VIEWER = Identity("sub-viewer", "Vera Viewer", frozenset({Role.VIEWER}), signed_in=True)
PLANNER = Identity("sub-planner", "Per Planner", frozenset({Role.PLANNER}), signed_in=True)
FACILITIES = Identity("sub-fac", "Frida Facilities", frozenset({Role.FACILITIES}), signed_in=True)
SECURITY = Identity("sub-sec", "Sif Security", frozenset({Role.SECURITY}), signed_in=True)


def raw(location):
    """A connection of the library's own engine, past the library's checks."""
    if str(location).startswith("postgresql://"):
        import psycopg

        return psycopg.connect(str(location), autocommit=True)
    return sqlite3.connect(location, isolation_level=None)


def test_versions_are_numbered_per_name_and_keep_their_bytes(library_at, slagelse):
    lib = Library(library_at)
    first = lib.add(slagelse, note="som fundet", by=PLANNER)
    edited = slagelse.with_room(slagelse.room("1.11").replace(name="Samtalerum A"))
    second = lib.add(edited, name=slagelse.name, note="nyt navn", by=FACILITIES)
    assert (first.version, second.version) == (1, 2)
    assert [v.version for v in lib.versions(slagelse.name)] == [2, 1]
    assert lib.load(first.id) == slagelse
    assert lib.load(second.id).room("1.11").name == "Samtalerum A"
    assert first.sha256 == hashlib.sha256(plan_bytes(slagelse)).hexdigest()
    assert (lib.get(first.id).author, lib.get(second.id).author) == (
        "Per Planner",
        "Frida Facilities",
    )


def test_versions_can_never_be_overwritten_or_deleted(library_at, slagelse):
    lib = Library(library_at)
    v = lib.add(slagelse, by=PLANNER)
    lib.adopt(v.id, by=FACILITIES)
    lib.approve(v.id, "ab" * 32, by=SECURITY)
    lib.add_catalogue(b"{}", by=PLANNER)
    kept = library_schema.KEPT
    statements = [
        f"UPDATE {table} SET created = created"
        for table in kept
        if table in ("versions", "catalogues")
    ]
    statements += [
        f"UPDATE {table} SET at = at" for table in kept if table not in ("versions", "catalogues")
    ]
    statements += [f"DELETE FROM {table}" for table in kept]
    if str(library_at).startswith("postgresql://"):
        statements += [f"TRUNCATE {table} CASCADE" for table in kept]
    for statement in statements:
        db = raw(library_at)
        with pytest.raises(Exception, match="never"):
            db.execute(statement)
        db.close()
    trail = [(e.who, e.action) for e in lib.audit()]
    assert trail == [
        ("Per Planner", "catalogue"),
        ("Sif Security", "approve_report"),
        ("Frida Facilities", "adopt"),
        ("Per Planner", "save_version"),
    ]
    assert len(lib.versions()) == 1 and len(lib.approvals(v.id)) == 1


def test_seeding_happens_once(library_at):
    lib = Library(library_at)
    assert len(lib.seed([SLAGELSE, SLAGELSE_SPLIT])) == 2
    assert lib.seed([SLAGELSE]) == []
    assert {v.source for v in lib.versions()} == {SLAGELSE.name, SLAGELSE_SPLIT.name}


def test_a_viewer_is_refused_and_the_refusal_is_in_the_audit_trail(library_at, slagelse):
    lib = Library(library_at)
    (seeded,) = lib.seed([SLAGELSE])
    with pytest.raises(AccessDenied) as err:
        lib.adopt(seeded.id, by=VIEWER)
    # the message names who was refused and the role that may
    assert "Vera Viewer" in err.value.message("en") and "facilities" in err.value.message("en")
    assert lib.adopted(seeded.name) is None
    lib.adopt(seeded.id, by=FACILITIES, note="i brug fra 1. januar")
    assert lib.adopted(seeded.name) == seeded
    newest = [(e.who, e.action, e.outcome, e.version_id) for e in lib.audit()[:2]]
    assert newest == [
        ("Frida Facilities", "adopt", "done", seeded.id),
        ("Vera Viewer", "adopt", "refused", seeded.id),
    ]
    with pytest.raises(AccessDenied):
        lib.add(slagelse, by=VIEWER)
    with pytest.raises(AccessDenied):
        lib.add(slagelse, by=PLANNER, upload=True)  # uploads are for facilities
    assert len(lib.versions()) == 1
    assert [e.outcome for e in lib.audit()[:2]] == ["refused", "refused"]


def test_the_version_adopted_last_is_in_force(library_at, slagelse):
    lib = Library(library_at)
    one = lib.add(slagelse, by=FACILITIES, upload=True)
    two = lib.add(slagelse, by=PLANNER)
    lib.adopt(two.id, by=FACILITIES)
    lib.adopt(one.id, by=FACILITIES)  # back to the first: the trail keeps both
    assert lib.adopted(slagelse.name) == one
    assert lib.adopted("another plan") is None
    adoptions = [e.version_id for e in lib.audit() if e.action == "adopt"]
    assert adoptions == [one.id, two.id]


def test_reports_are_approved_by_security_only(library_at):
    lib = Library(library_at)
    (v,) = lib.seed([SLAGELSE])
    with pytest.raises(AccessDenied):
        lib.approve(v.id, "ab" * 32, by=PLANNER)
    approval = lib.approve(v.id, "cd" * 32, by=SECURITY, note="godkendt")
    assert lib.approvals(v.id) == [approval]
    assert (approval.who, approval.report_sha256) == ("Sif Security", "cd" * 32)
    with pytest.raises(LibraryError) as err:
        lib.approve(9999, "ef" * 32, by=SECURITY)
    assert err.value.key == "no_version"
    with pytest.raises(AccessDenied):
        lib.record(VIEWER, "export_report", v.id)
    entry = lib.record(SECURITY, "export_report", v.id, detail="report.pdf")
    assert (entry.who, entry.action, entry.outcome) == ("Sif Security", "export_report", "done")


def test_the_role_table_grants_and_takes_back(library_at):
    lib = Library(library_at)
    lib.set_role("frida@slagelse.dk", "Facilities")
    lib.set_role("frida@slagelse.dk", "planner")
    lib.set_role("frida@slagelse.dk", "facilities")  # twice is once
    assert lib.roles("frida@slagelse.dk") == {Role.FACILITIES, Role.PLANNER}
    lib.set_role("frida@slagelse.dk", "planner", granted=False)
    assert lib.roles("frida@slagelse.dk") == {Role.FACILITIES}
    assert lib.roles("someone@slagelse.dk") == frozenset()
    with pytest.raises(ValueError, match="viewer, planner, facilities, security"):
        lib.set_role("x@slagelse.dk", "admin")
    assert [e.action for e in lib.audit()[:2]] == ["revoke_role", "grant_role"]


def test_twenty_writers_at_once_lose_nothing_and_leave_no_gap(library_at, slagelse):
    lib = Library(library_at, timeout_s=30)
    errors = []

    def write(i):
        try:
            for k in range(3):
                Library(library_at, timeout_s=30).add(slagelse, note=f"{i}-{k}", by=PLANNER)
        except Exception as exc:  # collected: the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    versions = lib.versions(slagelse.name)
    assert sorted(v.version for v in versions) == list(range(1, 61))
    assert sorted(v.note for v in versions) == sorted(
        f"{i}-{k}" for i in range(20) for k in range(3)
    )
    assert all(lib.load(v.id) == slagelse for v in versions[:5])
    assert len([e for e in lib.audit() if e.action == "save_version"]) == 60


def test_each_writer_gets_its_own_audit_entry_back(library_at):
    lib = Library(library_at, timeout_s=30)
    got: dict[int, object] = {}

    def export(i):
        got[i] = Library(library_at, timeout_s=30).record(SECURITY, "export_report", None, f"{i}")

    threads = [threading.Thread(target=export, args=(i,)) for i in range(12)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert {i: e.detail for i, e in got.items()} == {i: f"{i}" for i in range(12)}
    assert sorted(e.id for e in got.values()) == sorted(e.id for e in lib.audit())


def test_a_changed_stored_plan_fails_its_checksum(library_at, slagelse):
    v = Library(library_at).add(slagelse, by=PLANNER)
    db = raw(library_at)
    if str(library_at).startswith("postgresql://"):
        db.execute("ALTER TABLE versions DISABLE TRIGGER versions_are_kept")
        db.execute("UPDATE versions SET data = %s WHERE id = %s", (b"{}", v.id))
    else:
        db.execute("DROP TRIGGER versions_are_kept")
        db.execute("UPDATE versions SET data = ? WHERE id = ?", (b"{}", v.id))
    db.close()
    with pytest.raises(LibraryError) as err:
        Library(library_at).load(v.id)
    assert err.value.key == "checksum"


def test_a_library_from_a_newer_roomplan_is_refused_untouched(library_at, slagelse):
    lib = Library(library_at)
    lib.add(slagelse, by=PLANNER)
    assert lib.schema_version == library_schema.CURRENT
    db = raw(library_at)
    db.execute(f"UPDATE schema_version SET version = {library_schema.CURRENT + 1}")
    db.close()
    with pytest.raises(LibraryError) as err:
        Library(library_at)
    assert err.value.key == "newer_schema" and "roomplan" in err.value.message("en")
    assert len(lib.versions()) == 1


# the library as roomplan 9b6423c wrote it, before identities: no schema_version, no audit
FIRST_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, version INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, author TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL, data BLOB NOT NULL,
    UNIQUE (name, version)
);
CREATE TRIGGER IF NOT EXISTS versions_are_kept BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are never overwritten'); END;
CREATE TRIGGER IF NOT EXISTS versions_stay BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are never deleted'); END;
CREATE TABLE IF NOT EXISTS catalogues (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL, data BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS catalogues_are_kept BEFORE UPDATE ON catalogues
BEGIN SELECT RAISE(ABORT, 'catalogues are never overwritten'); END;
CREATE TRIGGER IF NOT EXISTS catalogues_stay BEFORE DELETE ON catalogues
BEGIN SELECT RAISE(ABORT, 'catalogues are never deleted'); END;
"""


def test_a_library_of_the_first_schema_upgrades_itself(tmp_path, slagelse):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(FIRST_SCHEMA)
    data = plan_bytes(slagelse)
    db.execute(
        "INSERT INTO versions (name, version, note, created, author, source, sha256, data)"
        " VALUES ('Slagelse', 1, 'gammel', '2026-01-05T09:00:00+00:00', 'IT', 'x.json', ?, ?)",
        (hashlib.sha256(data).hexdigest(), data),
    )
    db.close()
    lib = Library(path)
    assert lib.schema_version == library_schema.CURRENT
    (old,) = lib.versions()
    assert (old.note, old.author) == ("gammel", "IT") and lib.load(old.id) == slagelse
    new = lib.add(slagelse, name="Slagelse", by=PLANNER)
    assert new.version == 2 and lib.audit()[0].who == "Per Planner"


def test_a_damaged_file_is_reported_and_not_touched(tmp_path):
    path = tmp_path / "lib.sqlite"
    path.write_bytes(b"garbage" * 500)
    with pytest.raises(LibraryError) as err:
        Library(path)
    assert err.value.key == "damaged" and ENV in err.value.message("en")
    assert path.read_bytes() == b"garbage" * 500


FOREIGN = {
    # another program's database that happens to have a table called versions
    "versions": [
        "CREATE TABLE versions (id INTEGER, title TEXT)",
        "INSERT INTO versions VALUES (1, 'x')",
    ],
    "customers": ["CREATE TABLE customers (id INTEGER, name TEXT)"],
    # a migration tool's own schema_version table, its version a text
    "schema_version": [
        "CREATE TABLE schema_version (version VARCHAR(50), script TEXT)",
        "INSERT INTO schema_version VALUES ('1.2', 'V1_2__init.sql')",
    ],
}


def _contents(db, location) -> list:
    """Every table's rows, to show nothing was added or changed."""
    if str(location).startswith("postgresql://"):
        query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    names = sorted(r[0] for r in db.execute(query).fetchall())
    return [(n, sorted(map(str, db.execute(f"SELECT * FROM {n}").fetchall()))) for n in names]


@pytest.mark.parametrize("table", sorted(FOREIGN))
def test_another_programs_database_is_refused_and_not_touched(library_at, table):
    # issue 14: a foreign file with a versions table got "try again", after roomplan had
    # added its own tables to it
    db = raw(library_at)
    for statement in FOREIGN[table]:
        db.execute(statement)
    before = _contents(db, library_at)
    with pytest.raises(LibraryError) as err:
        Library(library_at)
    assert err.value.key == "not_library"
    for lang in ("da", "en"):
        text = err.value.message(lang)
        assert ENV in text and table in text, text
    assert _contents(db, library_at) == before


def test_an_empty_file_becomes_a_library(tmp_path, slagelse):
    path = tmp_path / "new.sqlite"
    path.write_bytes(b"")
    Library(path).add(slagelse, by=PLANNER)
    assert len(Library(path).versions()) == 1


def test_a_locked_library_says_try_again_and_saves_nothing(library_at, slagelse):
    lib = Library(library_at, timeout_s=0.3)
    lib.add(slagelse, by=PLANNER)
    other = raw(library_at)
    if str(library_at).startswith("postgresql://"):
        other.execute("BEGIN")
        other.execute("LOCK TABLE versions IN ACCESS EXCLUSIVE MODE")
    else:
        other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LibraryError) as err:
            lib.add(slagelse, by=PLANNER)
        assert err.value.key == "locked"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [v.version for v in lib.versions()] == [1]


def test_an_unreachable_server_is_named_without_its_password(tmp_path):
    url = f"postgresql://roomplan:hemmelig@/roomplan?host={tmp_path}&port=1"
    with pytest.raises(LibraryError) as err:
        Library(url, timeout_s=1)
    text = err.value.message("da")
    assert err.value.key == "server_cannot_open" and "hemmelig" not in text and "***" in text
    assert redacted("postgresql://a:b@host/db") == "postgresql://a:***@host/db"


def test_the_location_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV, str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    assert Library().path == tmp_path / "x.sqlite"
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
    exc = sqlite3.OperationalError("x")
    exc.sqlite_errorname = name
    error = sqlite_error(exc, tmp_path / "lib.sqlite")
    assert error.key == key and error.message("en") != error.message("da")


def test_the_app_user_of_the_deployment_guide_can_work_but_not_drop_the_triggers(
    postgres, slagelse
):
    import re
    from urllib.parse import urlsplit

    import psycopg

    from tests.conftest import ROOT

    url = postgres()
    Library(url)  # the owner opens it once: the tables are made
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    (sql,) = re.findall(r"```sql\n(.*?)```", guide, flags=re.S)
    database = urlsplit(url).path.strip("/")
    sql = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in sql.replace("DATABASE roomplan", f"DATABASE {database}").split(";"):
            if statement.strip():
                conn.execute(statement)
    app_url = url.replace("postgres@", "roomplan_app@")
    lib = Library(app_url)
    v = lib.add(slagelse, by=FACILITIES, upload=True)
    lib.adopt(v.id, by=FACILITIES)
    lib.approve(v.id, "ab" * 32, by=SECURITY)
    lib.add_catalogue(b"{}", by=PLANNER)
    lib.set_role("pia@slagelse.dk", "planner")
    assert len(lib.audit()) == 5
    with psycopg.connect(app_url, autocommit=True) as conn:
        for statement in ("DROP TRIGGER audit_are_kept ON audit", "DELETE FROM audit"):
            with pytest.raises(psycopg.Error):
                conn.execute(statement)
