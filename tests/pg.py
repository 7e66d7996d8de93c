"""A real PostgreSQL server for the library's tests: Debian's `postgresql` binaries, a fresh
cluster in a temporary folder, reached over its Unix socket only, removed afterwards."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def binaries() -> Path | None:
    """The folder with `initdb` and `pg_ctl` (`.ci/run` installs Debian's postgresql)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists():
            return Path(folder)
    return None


def _as_owner(user: str | None):
    """PostgreSQL refuses to run as root: as root, run its programs as ``user``."""
    if user is None:
        return None
    entry = pwd.getpwnam(user)

    def demote():
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return demote


@contextmanager
def server():
    """A running server; yields a function that makes a new empty database and returns its
    ``postgresql://`` URL."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="rp-pg-"))  # short: a socket path has 107 bytes
    data = folder / "data"
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    run = {"preexec_fn": _as_owner(user), "check": True, "capture_output": True}
    try:
        subprocess.run(
            [bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
            **run,
        )
        options = f"-c listen_addresses='' -c unix_socket_directories='{folder}' -c fsync=off"
        subprocess.run(
            [bin_dir / "pg_ctl", "-D", data, "-o", options, "-w", "-l", folder / "log", "start"],
            **run,
        )
        made = []

        def database() -> str:
            import psycopg

            name = f"roomplan_{len(made)}"
            admin = f"postgresql://postgres@/postgres?host={folder}"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {name}")
            made.append(name)
            return f"postgresql://postgres@/{name}?host={folder}"

        yield database
    finally:
        if data.exists():
            subprocess.run(
                [bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                preexec_fn=_as_owner(user),
                capture_output=True,
            )
        shutil.rmtree(folder, ignore_errors=True)
