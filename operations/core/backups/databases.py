"""Copying a whole database out to a file and back, for each engine.

PostgreSQL: pg_dump in its custom format takes one consistent snapshot
while the app keeps running; the restore turns it back into SQL
(pg_restore) and runs it in ONE transaction (psql --single-transaction),
so a failure half-way leaves the database as it was. Ownership and grants
are left out: the restoring role owns what it creates.

SQLite: the online backup API (sqlite3.Connection.backup) copies a
consistent snapshot page by page while the web app, worker and beat keep
the file open; restoring writes the pages back the same way, atomically.

A dump restores onto the engine it came from only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

from operations.core.backups.encryption import BackupError

POSTGRESQL = "postgresql"
SQLITE = "sqlite"

# libpq reads these from the environment: the password never appears in a
# process list. OPTIONS keys are libpq's own names (sslmode and friends).
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "postgresql":
        return POSTGRESQL
    if connection.vendor == "sqlite":
        return SQLITE
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.display_name}.")


def dump_file_name(engine: str) -> str:
    return "database.pgdump" if engine == POSTGRESQL else "database.sqlite3"


def table_names(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def dump(connection: BaseDatabaseWrapper, destination: Path) -> None:
    if engine_of(connection) == POSTGRESQL:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={destination}"],
            env=_libpq_environment(connection),
        )
    else:
        _sqlite_copy(Path(connection.settings_dict["NAME"]), destination)


def load(connection: BaseDatabaseWrapper, source: Path, *, replace: bool) -> None:
    """Writes the dump into the database. With ``replace``, whatever is in
    it goes in the same transaction; without, the caller made sure it holds
    no tables."""
    connection.close()  # no connection of ours keeps a view of the old tables
    if engine_of(connection) == POSTGRESQL:
        _load_postgresql(connection, source, replace=replace)
    else:
        _sqlite_copy(source, Path(connection.settings_dict["NAME"]))


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while others have either
    file open; the target's pages are replaced in one transaction (waiting
    up to 20 s, as the app does, for a writer to finish)."""
    reading = sqlite3.connect(source, timeout=20)
    writing = sqlite3.connect(target, timeout=20)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def _load_postgresql(connection: BaseDatabaseWrapper, source: Path, *, replace: bool) -> None:
    environment = _libpq_environment(connection)
    drop = ""
    if replace and (tables := table_names(connection)):
        quoted = ", ".join(connection.ops.quote_name(name) for name in tables)
        drop = f"DROP TABLE IF EXISTS {quoted} CASCADE;\n"
        connection.close()
    if not (shutil.which("pg_restore") and shutil.which("psql")):
        raise BackupError("pg_restore and psql are not installed: install the postgresql-client package.")
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        restore = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(source)],  # noqa: S607 - from PATH
            stdout=subprocess.PIPE,
            stderr=restore_errors,
            env=environment,
        )
        psql = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=-"],  # noqa: S607
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=environment,
        )
        assert restore.stdout is not None  # noqa: S101 - PIPE was asked for
        assert psql.stdin is not None  # noqa: S101
        try:
            psql.stdin.write(drop.encode())
            shutil.copyfileobj(restore.stdout, psql.stdin, 1024 * 1024)
        except BrokenPipeError:
            pass  # psql stopped at an error: its exit code and message tell
        finally:
            psql.stdin.close()
            restore.stdout.close()
        restore_code, psql_code = restore.wait(), psql.wait()
        for tool, code, errors in (("pg_restore", restore_code, restore_errors), ("psql", psql_code, psql_errors)):
            if code != 0:
                errors.seek(0)
                raise BackupError(f"{tool} failed (exit {code}), nothing was changed: {_first_error(errors.read())}")


def _libpq_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    settings_dict = connection.settings_dict
    environment = dict(os.environ)
    for key, variable in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    if settings_dict.get("HOST"):
        environment["PGHOST"] = str(settings_dict["HOST"])
    if settings_dict.get("PORT"):
        environment["PGPORT"] = str(settings_dict["PORT"])
    for option, variable in _LIBPQ_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(option):
            environment[variable] = str(settings_dict["OPTIONS"][option])
    return environment


def _run(command: list[str], *, env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, check=False)  # noqa: S603 - no shell
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed: install the postgresql-client package.") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit {result.returncode}): {_first_error(result.stderr)}")


def _first_error(stderr: bytes) -> str:
    """The tool's error line, without the DETAIL lines where PostgreSQL
    quotes the values involved (which can be personal data)."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() or "fatal" in line.lower()]
    return (errors or lines or ["no message"])[0][:300]
