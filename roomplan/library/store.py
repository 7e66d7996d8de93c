"""The plan library: every valid plan kept as a numbered version, with who did what.

Versions are only ever added, never overwritten or deleted: each holds the plan in the native
format, its sha256, a name, a note, the time and the identity that saved it. One version of a
plan name is the one in force (adopted by facilities); reports of a version are approved by
security; every write, and every write refused for want of a role, is in the append-only audit
trail. The library lives in the SQLite file at ``$ROOMPLAN_LIBRARY`` (default ``roomplan/
library.sqlite`` under ``$XDG_DATA_HOME``, else ``~/.local/share``), or in PostgreSQL when
``$ROOMPLAN_LIBRARY`` is a ``postgresql://`` URL. A damaged, locked or unreachable library
gives a :class:`LibraryError` that says what to do, and nothing already saved is touched.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from roomplan.access import AccessDenied, Identity, Role, parse_role, require
from roomplan.i18n import t
from roomplan.library import schema
from roomplan.library.backends import (
    ENV,
    Db,
    LibraryError,
    is_postgres,
    postgres_db,
    sqlite_db,
)
from roomplan.plan.files import load_plan, plan_bytes
from roomplan.plan.model import Plan
from roomplan.plan.problems import PlanError

# who seeds the bundled plans and runs the command line on the server
SYSTEM = Identity("roomplan", "roomplan", frozenset(Role), signed_in=False)


def default_path() -> Path:
    """Where the SQLite library lives (see the module docstring)."""
    if os.environ.get(ENV) and not is_postgres(os.environ[ENV]):
        return Path(os.environ[ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "roomplan" / "library.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail: who tried what, when, and whether it was done."""

    id: int
    at: str
    subject: str
    who: str
    action: str
    outcome: str  # "done" or "refused"
    version_id: int | None
    detail: str


@dataclass(frozen=True)
class Approval:
    """A report of a plan version approved by security."""

    id: int
    version_id: int
    report_sha256: str
    at: str
    subject: str
    who: str
    note: str


_VERSION_COLUMNS = "id, name, version, note, created, author, source, sha256"


class Library:
    """A plan library at ``location``: a SQLite file path, or a ``postgresql://`` URL
    (``$ROOMPLAN_LIBRARY``, else :func:`default_path`, when None)."""

    def __init__(self, location: str | Path | None = None, timeout_s: float = 3.0):
        if location is None:
            location = os.environ.get(ENV) or default_path()
        self.url = str(location) if is_postgres(location) else None
        self.path = None if self.url else Path(location).expanduser()
        self.timeout_s = timeout_s
        self._upgrade()

    @contextmanager
    def _connect(self) -> Iterator[Db]:
        if self.url is not None:
            with postgres_db(self.url, self.timeout_s) as db:
                yield db
        else:
            assert self.path is not None
            with sqlite_db(self.path, self.timeout_s) as db:
                yield db

    def _upgrade(self) -> None:
        """Run the schema steps this library lacks (see :mod:`roomplan.library.schema`); a
        library already at the current step is only read, not locked."""
        with self._connect() as db:
            if self._step(db) == schema.CURRENT:
                return
            with db.write():
                at = self._step(db)  # again, under the lock: another process may have done it
                if at is None or at == 0:
                    self._refuse_foreign(db)
                if at is None:  # a schema_version of another program's, in another schema
                    raise LibraryError(
                        "not_library", path=db.location, env=ENV, tables="schema_version"
                    )
                if at > schema.CURRENT:
                    raise LibraryError(
                        "newer_schema", path=db.location, found=at, known=schema.CURRENT
                    )
                for statements in schema.steps(db.dialect)[at:]:
                    for statement in statements:
                        db.execute(statement)
                if at < schema.CURRENT:
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
                    )
                    db.execute("DELETE FROM schema_version")
                    db.execute("INSERT INTO schema_version (version) VALUES (?)", (schema.CURRENT,))

    @staticmethod
    def _step(db: Db) -> int | None:
        """The schema step the library is at (0: none yet), or None when its
        ``schema_version`` table is not one roomplan made."""
        if not db.has_table("schema_version"):
            return 0
        if db.tables("schema_version").get("schema_version") != {"version"}:
            return None
        at = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
        return at if isinstance(at, int) and not isinstance(at, bool) else None

    @staticmethod
    def _refuse_foreign(db: Db) -> None:
        """Another program's database is left alone: not a table is added to it."""
        foreign = schema.foreign_tables(db.tables())
        if foreign:
            shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
            raise LibraryError("not_library", path=db.location, env=ENV, tables=shown)

    @property
    def schema_version(self) -> int:
        with self._connect() as db:
            return db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]

    # -- reading ----------------------------------------------------------------------
    def versions(self, name: str | None = None) -> list[Version]:
        """Every version, newest first (of one plan name, or all)."""
        query = f"SELECT {_VERSION_COLUMNS} FROM versions"
        args: tuple = ()
        if name is not None:
            query += " WHERE name = ?"
            args = (name,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY created DESC, id DESC", args).fetchall()
        return [Version(*row) for row in rows]

    def names(self) -> list[str]:
        with self._connect() as db:
            rows = db.execute("SELECT DISTINCT name FROM versions ORDER BY name").fetchall()
        return [r[0] for r in rows]

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
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE id = ?", (version_id,)
            ).fetchone()
        if row is None:
            raise LibraryError("no_version", id=version_id)
        return Version(*row)

    # -- the audit trail --------------------------------------------------------------
    def _check(self, who: Identity, action: str, version_id: int | None = None) -> None:
        """Refuse ``action`` unless ``who`` holds a role for it; a refusal is recorded."""
        try:
            require(who, action)
        except AccessDenied:
            with self._connect() as db:
                self._record(db, who, action, "refused", version_id)
            raise

    @staticmethod
    def _record(
        db: Db, who: Identity, action: str, outcome: str, version_id: int | None, detail=""
    ) -> AuditEntry:
        row = (_now(), who.subject[:200], who.shown[:200], action, outcome, version_id, detail)
        (entry_id,) = db.execute(
            "INSERT INTO audit (at, subject, who, action, outcome, version_id, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            row,
        ).fetchone()
        return AuditEntry(entry_id, *row)

    def audit(self, limit: int | None = None) -> list[AuditEntry]:
        """The audit trail, newest first."""
        query = (
            "SELECT id, at, subject, who, action, outcome, version_id, detail FROM audit"
            " ORDER BY id DESC"
        )
        args: tuple = ()
        if limit is not None:
            query += " LIMIT ?"
            args = (int(limit),)
        with self._connect() as db:
            return [AuditEntry(*row) for row in db.execute(query, args).fetchall()]

    def record(
        self, who: Identity, action: str, version_id: int | None = None, detail: str = ""
    ) -> AuditEntry:
        """``action`` done by ``who`` outside the library (a report exported), checked
        against the roles and written to the audit trail."""
        self._check(who, action, version_id)
        with self._connect() as db, db.write():
            return self._record(db, who, action, "done", version_id, detail[:2000])

    # -- writing ----------------------------------------------------------------------
    def add(
        self,
        plan: Plan,
        name: str | None = None,
        note: str = "",
        *,
        by: Identity,
        source: str = "",
        upload: bool = False,
    ) -> Version:
        """``plan`` saved by ``by`` as the next version of ``name`` (its own name by default).
        An ``upload`` (a new file, ``source`` its name) needs the facilities role; saving an
        edited plan a planner or facilities role. (A script run by the library's operator
        passes :data:`SYSTEM`, or ``Identity.local(name)`` for the single local user.)"""
        who = by
        name = (name or plan.name or "plan").strip()[:200] or "plan"
        action = "upload" if upload else "save_version"
        self._check(who, action)
        data = plan_bytes(plan)
        sha = hashlib.sha256(data).hexdigest()
        created = _now()
        with self._connect() as db, db.write():
            (latest,) = db.execute(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE name = ?", (name,)
            ).fetchone()
            (vid,) = db.execute(
                "INSERT INTO versions (name, version, note, created, author, source, sha256, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (name, latest + 1, note[:2000], created, who.shown[:200], source[:200], sha, data),
            ).fetchone()
            self._record(db, who, action, "done", vid, f"{name} v{latest + 1}")
        return Version(vid, name, latest + 1, note[:2000], created, who.shown[:200], source, sha)

    def adopt(self, version_id: int, by: Identity, note: str = "") -> Version:
        """Make ``version_id`` the version of its plan in force (facilities only)."""
        self._check(by, "adopt", version_id)
        version = self.get(version_id)
        with self._connect() as db, db.write():
            db.execute(
                "INSERT INTO adoptions (version_id, name, at, subject, who, note)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (version_id, version.name, _now(), by.subject[:200], by.shown[:200], note[:2000]),
            )
            self._record(db, by, "adopt", "done", version_id, version.label)
        return version

    def adopted(self, name: str) -> Version | None:
        """The version of plan ``name`` in force: the one adopted last, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT version_id FROM adoptions WHERE name = ? ORDER BY id DESC LIMIT 1", (name,)
            ).fetchone()
        return None if row is None else self.get(row[0])

    def approve(
        self, version_id: int, report_sha256: str, by: Identity, note: str = ""
    ) -> Approval:
        """Security approves the report (its PDF's sha256) of ``version_id``."""
        self._check(by, "approve_report", version_id)
        self.get(version_id)
        at = _now()
        with self._connect() as db, db.write():
            (aid,) = db.execute(
                "INSERT INTO approvals (version_id, report_sha256, at, subject, who, note)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (version_id, report_sha256, at, by.subject[:200], by.shown[:200], note[:2000]),
            ).fetchone()
            self._record(db, by, "approve_report", "done", version_id, report_sha256)
        return Approval(aid, version_id, report_sha256, at, by.subject[:200], by.shown[:200], note)

    def approvals(self, version_id: int) -> list[Approval]:
        """The approvals of reports of ``version_id``, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, version_id, report_sha256, at, subject, who, note FROM approvals"
                " WHERE version_id = ? ORDER BY id",
                (version_id,),
            ).fetchall()
        return [Approval(*row) for row in rows]

    # -- roles ------------------------------------------------------------------------
    def roles(self, subject: str) -> frozenset[Role]:
        """The roles the library's role table gives ``subject`` (the identity provider's
        subject or e-mail address)."""
        with self._connect() as db:
            rows = db.execute("SELECT role FROM roles WHERE subject = ?", (subject,)).fetchall()
        return frozenset(Role(r[0]) for r in rows)

    def set_role(self, subject: str, role: str, granted: bool = True, by: Identity = SYSTEM):
        """Grant (or take back) ``role`` for ``subject``; run by the server's operator."""
        r = parse_role(role)
        subject = subject.strip()
        if not subject:
            raise ValueError("the subject (user id or e-mail address) is empty")
        with self._connect() as db, db.write():
            db.execute("DELETE FROM roles WHERE subject = ? AND role = ?", (subject, r.value))
            if granted:
                db.execute(
                    "INSERT INTO roles (subject, role, at, granted_by) VALUES (?, ?, ?, ?)",
                    (subject, r.value, _now(), by.shown[:200]),
                )
            action = "grant_role" if granted else "revoke_role"
            self._record(db, by, action, "done", None, f"{subject}: {r.value}")

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

    def add_catalogue(self, data: bytes, *, by: Identity, note: str = "") -> CatalogueVersion:
        """``data`` (a catalogue's JSON, checked by the caller) saved by ``by`` as the
        library's catalogue; the earlier ones are kept."""
        who = by
        self._check(who, "catalogue")
        created = _now()
        sha = hashlib.sha256(data).hexdigest()
        with self._connect() as db, db.write():
            (cid,) = db.execute(
                "INSERT INTO catalogues (created, author, note, sha256, data)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (created, who.shown[:200], note[:2000], sha, data),
            ).fetchone()
            self._record(db, who, "catalogue", "done", None, sha)
        return CatalogueVersion(cid, created, who.shown[:200], note[:2000])

    def seed(self, paths: Iterable[Path]) -> list[Version]:
        """The bundled plans added once, on first start (when the library is empty), in one
        transaction, so two sessions starting together do not both seed it."""
        if self.versions():
            return []
        rows = []
        for path in paths:
            plan = load_plan(path)
            data = plan_bytes(plan)
            rows.append((plan.name, path.name, data, hashlib.sha256(data).hexdigest()))
        out = []
        created, note = _now(), t("library.seeded")
        with self._connect() as db, db.write():
            if db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]:
                return []
            for name, source, data, sha in rows:
                (vid,) = db.execute(
                    "INSERT INTO versions"
                    " (name, version, note, created, author, source, sha256, data)"
                    " VALUES (?, 1, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (name, note, created, SYSTEM.shown, source, sha, data),
                ).fetchone()
                self._record(db, SYSTEM, "save_version", "done", vid, f"{name} v1")
                out.append(Version(vid, name, 1, note, created, SYSTEM.shown, source, sha))
        return out
