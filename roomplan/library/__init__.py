"""The plan library shared by everyone: versions, adoptions, approvals and the audit trail,
in an embedded SQLite file or a PostgreSQL server (see :mod:`roomplan.library.store`)."""

from roomplan.library.backends import ENV, LibraryError, redacted
from roomplan.library.store import (
    SYSTEM,
    Approval,
    AuditEntry,
    CatalogueVersion,
    Library,
    Version,
    default_path,
)

__all__ = [
    "ENV",
    "SYSTEM",
    "Approval",
    "AuditEntry",
    "CatalogueVersion",
    "Library",
    "LibraryError",
    "Version",
    "default_path",
    "redacted",
]
