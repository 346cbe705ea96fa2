"""`manage.py backup` then `manage.py restore` into a fresh, empty
database: every table has the same rows, sample records read the same and
the private files come back byte for byte. And every refusal leaves the
installation as it was.

The restores run as real `manage.py` processes pointed at the fresh
database (as an administrator would run them); so do the SQLite backups,
of database files under tmp_path. On PostgreSQL the backup is of the test
database, seeded with the demo data and committed (transactional_db)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from operations.core.audit import AuditEvent
from operations.core.backups.encryption import HEADER_BYTES, new_key
from referrals.models import Parent, Referral
from tests import worker

ROOT = Path(__file__).resolve().parents[2]
KEY = new_key()
AUDIT_TABLE = AuditEvent._meta.db_table
# A record of each kind a person would miss: a parent's names, a referral's dates, an audit entry.
SAMPLES = {
    "parent": f"SELECT first_name, last_name, date_of_birth FROM {Parent._meta.db_table} ORDER BY id LIMIT 3",  # noqa: S608 - model table names
    "referral": f"SELECT received_on, eligibility_end, status FROM {Referral._meta.db_table} ORDER BY id LIMIT 3",  # noqa: S608 - model table names
    "audit": f"SELECT created_at, action, summary FROM {AUDIT_TABLE} ORDER BY id LIMIT 3",  # noqa: S608 - model table names
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Runs `python manage.py ...` as an administrator would, with its own settings."""
    environment = {
        **os.environ,
        "DEBUG": "1",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "memory://",
        "BACKUP_KEY": KEY,
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )


def sqlite_env(folder: Path) -> dict[str, str]:
    return {
        "DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "EXPORTS_DIR": str(folder / "exports"),
    }


def write_private_files(exports: Path) -> None:
    """Files larger than an encryption chunk, in a sub-folder too."""
    (exports / "2026" / "12").mkdir(parents=True)
    (exports / "evaluation-7.xlsx").write_bytes(os.urandom(150_000))
    (exports / "2026" / "12" / "evaluation-8.csv").write_bytes(b"pseudonym,score\nP-01,12\n")


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def snapshot(raw) -> dict[str, object]:
    """Row counts of every table, and the sample records."""
    cursor = raw.cursor()
    if isinstance(raw, sqlite3.Connection):
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    tables = sorted(row[0] for row in cursor.fetchall())
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    samples = {}
    for name, sql in SAMPLES.items():
        cursor.execute(sql)
        samples[name] = cursor.fetchall()
    return {"counts": counts, "samples": samples}


def assert_restored(before: dict, after: dict) -> None:
    assert len(before["counts"]) > 50, "the comparison should cover the whole schema"
    assert before["counts"][Parent._meta.db_table] > 0
    assert before["counts"][Referral._meta.db_table] > 0
    expected = dict(before["counts"])
    # The restore itself is recorded in the audit log of the restored database.
    expected[AUDIT_TABLE] += 1
    assert after["counts"] == expected
    assert after["samples"] == before["samples"]


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory) -> dict:
    """A migrated SQLite installation with the demo data and private files,
    its snapshot, and a backup of it."""
    folder = tmp_path_factory.mktemp("sqlite-source")
    env = sqlite_env(folder)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "-v0"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    write_private_files(folder / "exports")
    raw = sqlite3.connect(folder / "db.sqlite3")
    before = snapshot(raw)
    raw.close()
    backup = folder / "nightly.backup"
    result = manage("backup", "--output", str(backup), env=env)
    assert result.returncode == 0, result.stderr
    return {"folder": folder, "snapshot": before, "backup": backup}


def test_sqlite_round_trip_restores_every_row_and_file(sqlite_source, tmp_path):
    target = tmp_path / "target"

    result = manage("restore", str(sqlite_source["backup"]), env=sqlite_env(target))

    assert result.returncode == 0, result.stderr
    assert "Restored the backup of" in result.stdout
    raw = sqlite3.connect(target / "db.sqlite3")
    assert_restored(sqlite_source["snapshot"], snapshot(raw))
    raw.close()
    assert files_in(target / "exports") == files_in(sqlite_source["folder"] / "exports")


def assert_refused_and_nothing_written(result: subprocess.CompletedProcess, target: Path, message: str) -> None:
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    raw = sqlite3.connect(target / "db.sqlite3")
    assert snapshot_tables(raw) == []
    raw.close()
    assert files_in(target / "exports") == {}


def snapshot_tables(raw: sqlite3.Connection) -> list[str]:
    return [row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def test_a_wrong_key_is_refused_and_nothing_is_written(sqlite_source, tmp_path):
    env = {**sqlite_env(tmp_path), "BACKUP_KEY": new_key()}

    result = manage("restore", str(sqlite_source["backup"]), env=env)

    assert_refused_and_nothing_written(result, tmp_path, "not the key this backup was made with")


def flip_byte(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[:-1000], id="cut short"),
        pytest.param(lambda data: flip_byte(data, len(data) - 5), id="near the end"),
        pytest.param(lambda data: flip_byte(data, HEADER_BYTES + 70_000), id="in the middle"),
    ],
)
def test_a_tampered_backup_is_refused_and_nothing_is_written(sqlite_source, tmp_path, damage):
    tampered = tmp_path / "tampered.backup"
    tampered.write_bytes(damage(sqlite_source["backup"].read_bytes()))

    result = manage("restore", str(tampered), env=sqlite_env(tmp_path))

    assert_refused_and_nothing_written(result, tmp_path, "altered or is incomplete")


def test_restore_refuses_a_private_folder_that_already_holds_files(sqlite_source, tmp_path):
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "kept.csv").write_bytes(b"already here")

    result = manage("restore", str(sqlite_source["backup"]), env=sqlite_env(tmp_path))

    assert result.returncode != 0
    assert "already holds files" in result.stderr
    assert files_in(tmp_path / "exports") == {"kept.csv": b"already here"}
    raw = sqlite3.connect(tmp_path / "db.sqlite3")
    assert snapshot_tables(raw) == []
    raw.close()


def test_replace_restores_over_an_installation_in_use(sqlite_source, tmp_path):
    env = sqlite_env(tmp_path)
    assert manage("migrate", "--noinput", "-v0", env=env).returncode == 0
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "stale.csv").write_bytes(b"from before")

    result = manage("restore", "--replace", str(sqlite_source["backup"]), env=env)

    assert result.returncode == 0, result.stderr
    raw = sqlite3.connect(tmp_path / "db.sqlite3")
    assert_restored(sqlite_source["snapshot"], snapshot(raw))
    raw.close()
    assert files_in(tmp_path / "exports") == files_in(sqlite_source["folder"] / "exports")


def test_backup_without_a_key_refuses_in_words_and_writes_nothing(tmp_path):
    result = manage("backup", env={**sqlite_env(tmp_path), "BACKUP_KEY": ""})

    assert result.returncode != 0
    assert "BACKUP_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "backups").exists() or list((tmp_path / "backups").iterdir()) == []


@pytest.mark.django_db
def test_restore_into_a_database_that_holds_data_is_refused_and_changes_nothing(tmp_path, coordinator):
    exports = tmp_path / "exports"
    exports.mkdir()
    backup = tmp_path / "some.backup"
    with override_settings(BACKUP_KEY=KEY, PRIVATE_FILE_DIRS={"exports": exports}, BACKUP_DIR=tmp_path / "backups"):
        call_command("backup", output=backup, verbosity=0)
        (exports / "newer.csv").write_bytes(b"written after the backup")
        before = {table: count_rows(table) for table in connection.introspection.table_names()}

        with pytest.raises(CommandError, match="already holds .* tables"):
            call_command("restore", str(backup), verbosity=0)

    assert {table: count_rows(table) for table in connection.introspection.table_names()} == before
    assert files_in(exports) == {"newer.csv": b"written after the backup"}


def count_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def test_rotation_keeps_the_newest_backups_only(tmp_path, db):
    backups = tmp_path / "backups"
    backups.mkdir()
    for day in range(1, 6):
        (backups / f"peer-support-202612{day:02d}-020000.backup").write_bytes(b"old")
    (backups / "notes.txt").write_bytes(b"not ours")
    with override_settings(BACKUP_KEY=KEY, BACKUP_DIR=backups, BACKUP_KEEP=3, PRIVATE_FILE_DIRS={}):
        call_command("backup", verbosity=0)

    kept = sorted(path.name for path in backups.iterdir())
    dated = [name for name in kept if name.startswith("peer-support-")]
    # Today's backup and the two newest before it; a file not named as ours is left alone.
    assert dated[:2] == ["peer-support-20261204-020000.backup", "peer-support-20261205-020000.backup"]
    assert len(dated) == 3
    assert "notes.txt" in kept


# --- PostgreSQL -------------------------------------------------------------


@pytest.fixture
def fresh_postgres_database() -> Iterator[str]:
    """An empty database with a unique name on the test server; dropped after."""
    name = f"backup_restore_{uuid.uuid4().hex[:12]}"
    server = server_connection()
    server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def server_connection() -> psycopg.Connection:
    return psycopg.connect(**connection_kwargs("postgres"), autocommit=True)


def connection_kwargs(dbname: str) -> dict[str, object]:
    settings_dict = connection.settings_dict
    return {
        "dbname": dbname,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": settings_dict.get("PORT") or 5432,
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_postgresql_round_trip_into_a_fresh_database(tmp_path, fresh_postgres_database):
    call_command("seed_demo", verbosity=0)
    exports = tmp_path / "source-exports"
    write_private_files(exports)
    with psycopg.connect(**connection_kwargs(connection.settings_dict["NAME"])) as raw:
        before = snapshot(raw)
    backup = tmp_path / "nightly.backup"
    with override_settings(BACKUP_KEY=KEY, PRIVATE_FILE_DIRS={"exports": exports}, BACKUP_DIR=tmp_path / "backups"):
        call_command("backup", output=backup, verbosity=0)
    target = tmp_path / "target"
    database_url = worker.test_database_url().rsplit("/", 1)[0] + f"/{fresh_postgres_database}"

    env = {"DATABASE_URL": database_url, "DATA_DIR": str(target), "EXPORTS_DIR": str(target / "exports")}

    result = manage("restore", str(backup), env=env)

    assert result.returncode == 0, result.stderr
    with psycopg.connect(**connection_kwargs(fresh_postgres_database)) as raw:
        assert_restored(before, snapshot(raw))
    assert files_in(target / "exports") == files_in(exports)

    # Again over the restored installation: refused, then --replace swaps it
    # for the backup's state in one go (one restore entry in the audit log, not two).
    refused = manage("restore", str(backup), env=env)
    replaced = manage("restore", "--replace", str(backup), env=env)

    assert refused.returncode != 0
    assert "already holds" in refused.stderr
    assert replaced.returncode == 0, replaced.stderr
    with psycopg.connect(**connection_kwargs(fresh_postgres_database)) as raw:
        assert_restored(before, snapshot(raw))
    assert files_in(target / "exports") == files_in(exports)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_postgresql_backup_does_not_restore_onto_sqlite(tmp_path, coordinator):
    backup = tmp_path / "pg.backup"
    with override_settings(BACKUP_KEY=KEY, PRIVATE_FILE_DIRS={}, BACKUP_DIR=tmp_path / "backups"):
        call_command("backup", output=backup, verbosity=0)

    result = manage("restore", str(backup), env=sqlite_env(tmp_path / "target"))

    assert_refused_and_nothing_written(result, tmp_path / "target", "restores onto PostgreSQL only")
