"""The two engines a library can live in: an embedded SQLite file, or a PostgreSQL server.

Both are reached through :class:`Db`, which takes SQL with ``?`` placeholders, opens a
write transaction that serialises writers (so version numbers have no gaps), and turns the
engine's errors into a :class:`LibraryError` that says what to do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from roomplan.i18n import DEFAULT_LANG, t

ENV = "ROOMPLAN_LIBRARY"


class LibraryError(RuntimeError):
    """The library cannot be read or written: ``key`` selects the words (``library.error.*``)."""

    def __init__(self, key: str, **params: object):
        self.key, self.params = key, params
        super().__init__(self.message(DEFAULT_LANG))

    def message(self, lang: str | None = None) -> str:
        return t(f"library.error.{self.key}", lang, **self.params)


class Db:
    """One connection: ``execute`` with ``?`` placeholders, ``write`` for a transaction."""

    dialect = ""

    def __init__(self, conn: Any, location: str):
        self.conn, self.location = conn, location

    def _sql(self, sql: str) -> str:
        return sql

    def execute(self, sql: str, args: Sequence[object] = ()) -> Any:
        if not args:  # no placeholders to fill: a '%' in the SQL stays itself
            return self.conn.execute(sql)
        return self.conn.execute(self._sql(sql), tuple(args))

    def _begin(self) -> None:
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        raise NotImplementedError

    def tables(self, name: str | None = None) -> dict[str, set[str]]:
        """The tables of the library's database (its own schema), or the one called
        ``name``, with their columns."""
        raise NotImplementedError

    @contextmanager
    def write(self) -> Iterator[Db]:
        """A transaction that holds the library's write lock until it commits."""
        self._begin()
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")


class SqliteDb(Db):
    dialect = "sqlite"

    def _begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def has_table(self, name: str) -> bool:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self.execute(query, (name,)).fetchone() is not None

    def tables(self, name: str | None = None) -> dict[str, set[str]]:
        query = (
            "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p"
            " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
            " AND m.name = COALESCE(CAST(? AS TEXT), m.name)"
        )
        return _by_table(self.execute(query, (name,)).fetchall())


class PostgresDb(Db):
    dialect = "postgres"

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _begin(self) -> None:
        self.conn.execute("BEGIN")
        # one writer at a time: the next version number is read and used in one go
        self.conn.execute("SELECT pg_advisory_xact_lock(4752001)")

    def has_table(self, name: str) -> bool:
        return self.execute("SELECT to_regclass(?)", (name,)).fetchone()[0] is not None

    def tables(self, name: str | None = None) -> dict[str, set[str]]:
        # the catalogue, not information_schema: that lists only tables this user may use
        query = (
            "SELECT c.relname::text, a.attname::text FROM pg_class AS c"
            " JOIN pg_attribute AS a ON a.attrelid = c.oid"
            " WHERE c.relnamespace = current_schema()::regnamespace"
            " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0"
            " AND NOT a.attisdropped AND c.relname = COALESCE(CAST(? AS TEXT), c.relname)"
        )
        return _by_table(self.execute(query, (name,)).fetchall())


def _by_table(rows: Sequence[tuple[str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


# -- SQLite ------------------------------------------------------------------------------

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


def sqlite_error(exc: sqlite3.DatabaseError, path: Path | str) -> LibraryError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    cause = next((v for k, v in _CAUSES.items() if name.startswith(k)), None)
    if cause is None:
        text = str(exc).lower()
        cause = "locked" if ("locked" in text or "busy" in text) else "failed"
    return LibraryError(cause, path=str(path), env=ENV, error=name or type(exc).__name__)


SQLITE_NEEDED = (3, 35)  # INSERT ... RETURNING


@contextmanager
def sqlite_db(path: Path, timeout_s: float) -> Iterator[Db]:
    if sqlite3.sqlite_version_info < SQLITE_NEEDED:
        raise LibraryError("sqlite_old", found=sqlite3.sqlite_version, needed="3.35")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise LibraryError("cannot_open", path=str(path), env=ENV) from exc
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        yield SqliteDb(conn, str(path))
    except sqlite3.DatabaseError as exc:
        raise sqlite_error(exc, path) from exc
    finally:
        conn.close()


# -- PostgreSQL --------------------------------------------------------------------------


def is_postgres(location: str | Path) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


# SQLSTATE classes and codes -> the advice that fits a server (not a file)
_PG_CAUSES = {
    "55P03": "locked",  # lock_not_available
    "40P01": "locked",  # deadlock_detected
    "40001": "locked",  # serialization_failure
    "57014": "locked",  # query_canceled (the statement or lock timeout)
    "25006": "server_readonly",  # read_only_sql_transaction (a standby)
    "42501": "server_readonly",  # insufficient_privilege
    "53": "server_full",  # insufficient resources (disk full, out of memory)
    "08": "server_cannot_open",  # connection exceptions
    "28": "server_cannot_open",  # invalid authorisation
    "3D": "server_cannot_open",  # no such database
    "XX": "server_damaged",  # internal errors: data corrupted
}


def postgres_error(exc: Exception, url: str) -> LibraryError:
    code = getattr(exc, "sqlstate", None) or ""
    cause = _PG_CAUSES.get(code) or _PG_CAUSES.get(code[:2]) or "failed"
    return LibraryError(cause, path=redacted(url), env=ENV, error=code or type(exc).__name__)


@contextmanager
def postgres_db(url: str, timeout_s: float) -> Iterator[Db]:
    import psycopg  # only a server library needs it

    ms = int(timeout_s * 1000)
    try:
        conn = psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=max(1, round(timeout_s)),
            options=f"-c lock_timeout={ms} -c statement_timeout={max(ms, 30_000)}",
        )
    except psycopg.Error as exc:
        raise LibraryError("server_cannot_open", path=redacted(url), env=ENV) from exc
    try:
        yield PostgresDb(conn, redacted(url))
    except psycopg.Error as exc:
        raise postgres_error(exc, url) from exc
    finally:
        conn.close()
