"""The plan library: every valid plan kept as a numbered version in an embedded SQLite file.

Versions are only ever added, never overwritten or deleted: each holds the plan in the native
format, its sha256, a name, a note, the time and who uploaded it (as they typed it). The file
lives at ``$ROOMPLAN_LIBRARY`` or, by default, ``roomplan/library.sqlite`` under the user's data
directory (``$XDG_DATA_HOME``, else ``~/.local/share``). A damaged or locked file gives a
:class:`LibraryError` that says what to do, and nothing already saved is touched.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from roomplan.i18n import DEFAULT_LANG, t
from roomplan.plan.files import load_plan, plan_bytes
from roomplan.plan.model import Plan
from roomplan.plan.problems import PlanError

ENV = "ROOMPLAN_LIBRARY"
SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (name, version)
);
CREATE TRIGGER IF NOT EXISTS versions_are_kept BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are never overwritten'); END;
CREATE TRIGGER IF NOT EXISTS versions_stay BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are never deleted'); END;
CREATE TABLE IF NOT EXISTS catalogues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS catalogues_are_kept BEFORE UPDATE ON catalogues
BEGIN SELECT RAISE(ABORT, 'catalogues are never overwritten'); END;
CREATE TRIGGER IF NOT EXISTS catalogues_stay BEFORE DELETE ON catalogues
BEGIN SELECT RAISE(ABORT, 'catalogues are never deleted'); END;
"""


def default_path() -> Path:
    """Where the library lives (see the module docstring)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "roomplan" / "library.sqlite"


class LibraryError(RuntimeError):
    """The library cannot be read or written: ``key`` selects the words (``library.error.*``)."""

    def __init__(self, key: str, **params: object):
        self.key, self.params = key, params
        super().__init__(self.message(DEFAULT_LANG))

    def message(self, lang: str | None = None) -> str:
        return t(f"library.error.{self.key}", lang, **self.params)


# SQLite's own error names, so each cause gets the advice that fits it
_CAUSES = {
    "SQLITE_BUSY": "locked",
    "SQLITE_LOCKED": "locked",
    "SQLITE_READONLY": "readonly",
    "SQLITE_FULL": "full",
    "SQLITE_CANTOPEN": "cannot_open",
    "SQLITE_NOTADB": "damaged",
    "SQLITE_CORRUPT": "damaged",
}


def _error(exc: sqlite3.DatabaseError, path: Path) -> LibraryError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    cause = next((v for k, v in _CAUSES.items() if name.startswith(k)), None)
    if cause is None:
        text = str(exc).lower()
        cause = "locked" if ("locked" in text or "busy" in text) else "failed"
    return LibraryError(cause, path=str(path), env=ENV, error=name or type(exc).__name__)


@dataclass(frozen=True)
class Version:
    """One stored plan version (without its bytes)."""

    id: int
    name: str
    version: int
    note: str
    created: str
    author: str
    source: str
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


@dataclass(frozen=True)
class CatalogueVersion:
    """A saved catalogue of measures: when, by whom and why."""

    id: int | None
    created: str
    author: str
    note: str


class Library:
    """A plan library in the SQLite file at ``path`` (:func:`default_path` when None)."""

    def __init__(self, path: str | Path | None = None, timeout_s: float = 3.0):
        self.path = Path(path) if path is not None else default_path()
        self.timeout_s = timeout_s
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise LibraryError("cannot_open", path=str(self.path), env=ENV) from exc
        try:
            db.execute("PRAGMA foreign_keys = ON")
            yield db
        except sqlite3.DatabaseError as exc:
            raise _error(exc, self.path) from exc
        finally:
            db.close()

    # -- reading ----------------------------------------------------------------------
    def versions(self, name: str | None = None) -> list[Version]:
        """Every version, newest first (of one plan name, or all)."""
        query = "SELECT id, name, version, note, created, author, source, sha256 FROM versions"
        args: tuple = ()
        if name is not None:
            query += " WHERE name = ?"
            args = (name,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY created DESC, id DESC", args).fetchall()
        return [Version(*row) for row in rows]

    def names(self) -> list[str]:
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT DISTINCT name FROM versions ORDER BY name")]

    def data(self, version_id: int) -> bytes:
        with self._connect() as db:
            row = db.execute(
                "SELECT data, sha256 FROM versions WHERE id = ?", (version_id,)
            ).fetchone()
        if row is None:
            raise LibraryError("no_version", id=version_id)
        data, sha = bytes(row[0]), row[1]
        if hashlib.sha256(data).hexdigest() != sha:
            raise LibraryError("checksum", id=version_id)
        return data

    def load(self, version_id: int) -> Plan:
        """The plan of a version."""
        try:
            return load_plan(self.data(version_id), "json")
        except PlanError as exc:  # stored plans were valid when saved: the file is damaged
            raise LibraryError("checksum", id=version_id) from exc

    def get(self, version_id: int) -> Version:
        for v in self.versions():
            if v.id == version_id:
                return v
        raise LibraryError("no_version", id=version_id)

    # -- writing ----------------------------------------------------------------------
    def add(
        self,
        plan: Plan,
        name: str | None = None,
        note: str = "",
        author: str = "",
        source: str = "",
    ) -> Version:
        """``plan`` saved as the next version of ``name`` (its own name by default)."""
        name = (name or plan.name or "plan").strip()[:200]
        data = plan_bytes(plan)
        sha = hashlib.sha256(data).hexdigest()
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                (latest,) = db.execute(
                    "SELECT COALESCE(MAX(version), 0) FROM versions WHERE name = ?", (name,)
                ).fetchone()
                cur = db.execute(
                    "INSERT INTO versions"
                    " (name, version, note, created, author, source, sha256, data)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (name, latest + 1, note[:2000], created, author[:200], source[:200], sha, data),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return Version(cur.lastrowid, name, latest + 1, note, created, author, source, sha)

    # -- the library's catalogue of measures -------------------------------------------
    def catalogue(self) -> tuple[CatalogueVersion, bytes] | None:
        """The catalogue of measures saved last (its JSON), or None: the bundled one is used.
        Saved catalogues are kept, like plan versions; the newest is the library's."""
        with self._connect() as db:
            row = db.execute(
                "SELECT id, created, author, note, sha256, data FROM catalogues"
                " ORDER BY id DESC LIMIT 1"
            ).fetchone()
        if row is None:
            return None
        data = bytes(row[5])
        if hashlib.sha256(data).hexdigest() != row[4]:
            raise LibraryError("catalogue_checksum", id=row[0])
        return CatalogueVersion(*row[:4]), data

    def add_catalogue(self, data: bytes, author: str = "", note: str = "") -> CatalogueVersion:
        """``data`` (a catalogue's JSON, checked by the caller) saved as the library's
        catalogue; the earlier ones are kept."""
        created = datetime.now(UTC).isoformat(timespec="seconds")
        sha = hashlib.sha256(data).hexdigest()
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO catalogues (created, author, note, sha256, data)"
                " VALUES (?, ?, ?, ?, ?)",
                (created, author[:200], note[:2000], sha, data),
            )
        return CatalogueVersion(cur.lastrowid, created, author[:200], note[:2000])

    def seed(self, paths: Iterable[Path], author: str = "roomplan") -> list[Version]:
        """The bundled plans added once, on first start (when the library is empty), in one
        transaction, so two sessions starting together do not both seed it."""
        if self.versions():
            return []
        rows = []
        created = datetime.now(UTC).isoformat(timespec="seconds")
        for path in paths:
            plan = load_plan(path)
            data = plan_bytes(plan)
            rows.append((plan.name, path.name, data, hashlib.sha256(data).hexdigest()))
        out = []
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]:
                    db.execute("ROLLBACK")
                    return []
                for name, source, data, sha in rows:
                    cur = db.execute(
                        "INSERT INTO versions"
                        " (name, version, note, created, author, source, sha256, data)"
                        " VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
                        (name, t("library.seeded"), created, author, source, sha, data),
                    )
                    out.append(
                        Version(
                            cur.lastrowid,
                            name,
                            1,
                            t("library.seeded"),
                            created,
                            author,
                            source,
                            sha,
                        )
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return out
