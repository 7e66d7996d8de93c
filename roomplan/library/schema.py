"""The library's tables, as numbered steps for SQLite and PostgreSQL.

A library records the step it is at (``schema_version``); opening it runs the steps it lacks,
in one transaction, so a library made by an older roomplan upgrades itself and one made by a
newer roomplan is refused rather than misread. Every table but ``roles`` keeps its rows: a
trigger refuses UPDATE and DELETE (the audit trail and the versions are append-only).
"""

from __future__ import annotations

# the tables whose rows are never changed or deleted
KEPT = ("versions", "catalogues", "audit", "adoptions", "approvals")


def _sqlite_kept(table: str, word: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_are_kept BEFORE UPDATE ON {table}"
        f" BEGIN SELECT RAISE(ABORT, '{word} are never overwritten'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_stay BEFORE DELETE ON {table}"
        f" BEGIN SELECT RAISE(ABORT, '{word} are never deleted'); END",
    ]


def _postgres_kept(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_are_kept BEFORE UPDATE OR DELETE ON {table}"
        " FOR EACH ROW EXECUTE FUNCTION roomplan_kept()",
        f"CREATE TRIGGER {table}_not_truncated BEFORE TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION roomplan_kept()",
    ]


# The column types of the two engines; the SQL itself is shared.
_TYPES = {
    "sqlite": {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "blob": "BLOB", "ref": "INTEGER"},
    "postgres": {
        "id": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "blob": "BYTEA",
        "ref": "BIGINT",
    },
}


def _step1(dialect: str) -> list[str]:
    ty = _TYPES[dialect]
    return [
        "CREATE TABLE IF NOT EXISTS versions ("
        f" id {ty['id']}, name TEXT NOT NULL, version INTEGER NOT NULL,"
        " note TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,"
        " author TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',"
        f" sha256 TEXT NOT NULL, data {ty['blob']} NOT NULL, UNIQUE (name, version))",
        "CREATE TABLE IF NOT EXISTS catalogues ("
        f" id {ty['id']}, created TEXT NOT NULL, author TEXT NOT NULL DEFAULT '',"
        f" note TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL, data {ty['blob']} NOT NULL)",
    ]


def _step2(dialect: str) -> list[str]:
    """Identities: the audit trail, adoptions of versions, approvals of reports, roles."""
    ty = _TYPES[dialect]
    return [
        "CREATE TABLE audit ("
        f" id {ty['id']}, at TEXT NOT NULL, subject TEXT NOT NULL,"
        " who TEXT NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL,"
        f" version_id {ty['ref']}, detail TEXT NOT NULL DEFAULT '')",
        "CREATE TABLE adoptions ("
        f" id {ty['id']}, version_id {ty['ref']} NOT NULL REFERENCES versions (id),"
        " name TEXT NOT NULL, at TEXT NOT NULL, subject TEXT NOT NULL, who TEXT NOT NULL,"
        " note TEXT NOT NULL DEFAULT '')",
        "CREATE TABLE approvals ("
        f" id {ty['id']}, version_id {ty['ref']} NOT NULL REFERENCES versions (id),"
        " report_sha256 TEXT NOT NULL, at TEXT NOT NULL, subject TEXT NOT NULL,"
        " who TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')",
        "CREATE TABLE roles ("
        " subject TEXT NOT NULL, role TEXT NOT NULL, at TEXT NOT NULL,"
        " granted_by TEXT NOT NULL, PRIMARY KEY (subject, role))",
        "CREATE INDEX adoptions_by_name ON adoptions (name, id)",
        "CREATE INDEX approvals_by_version ON approvals (version_id, id)",
    ]


# What a library made before ``schema_version`` holds: step 1's tables, with these columns.
_OLDEST = {
    "versions": {"id", "name", "version", "note", "created", "author", "source", "sha256", "data"},
    "catalogues": {"id", "created", "author", "note", "sha256", "data"},
}


def foreign_tables(tables: dict[str, set[str]]) -> list[str]:
    """The tables (name: columns) of a database without ``schema_version`` that no roomplan
    library holds: any means the database is another program's, to be left alone."""
    return sorted(name for name, columns in tables.items() if _OLDEST.get(name) != columns)


def steps(dialect: str) -> list[list[str]]:
    """The statements of each step, in order; step ``n`` is ``steps(d)[n - 1]``."""
    if dialect == "sqlite":
        kept1 = _sqlite_kept("versions", "versions") + _sqlite_kept("catalogues", "catalogues")
        kept2 = [
            s
            for table, word in (
                ("audit", "audit entries"),
                ("adoptions", "adoptions"),
                ("approvals", "approvals"),
            )
            for s in _sqlite_kept(table, word)
        ]
        return [_step1(dialect) + kept1, _step2(dialect) + kept2]
    if dialect == "postgres":
        function = (
            "CREATE OR REPLACE FUNCTION roomplan_kept() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION '% rows are never overwritten or deleted',"
            " TG_TABLE_NAME; END $$"
        )
        kept1 = [s for table in ("versions", "catalogues") for s in _postgres_kept(table)]
        kept2 = [s for table in ("audit", "adoptions", "approvals") for s in _postgres_kept(table)]
        return [[*_step1(dialect), function, *kept1], _step2(dialect) + kept2]
    raise ValueError(f"unknown dialect {dialect!r}")


CURRENT = len(steps("sqlite"))
