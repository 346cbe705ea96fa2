"""Backing up and restoring the whole installation: the database and the
private files, in one encrypted file.

The file is a tar stream written straight into the encryption (nothing
but the database dump touches the disk unencrypted, in a private folder
removed afterwards):

- ``manifest.json``: the format, the engine and the private folders' names;
- the database dump (``databases.dump_file_name``);
- ``files/<folder>/...``: every file of each folder in PRIVATE_FILE_DIRS.

The database is dumped before the files are read, so a file written in
between is in the backup without its record (harmless), never a record
without its file made earlier.

A restore reads and authenticates the whole file into a private staging
folder before it changes anything, so a wrong key, a damaged or altered
file, or a backup of the other engine leaves the installation untouched.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.backups import databases
from operations.core.backups.encryption import (
    BackupError,
    DamagedBackup,
    DecryptingReader,
    EncryptingWriter,
    parse_key,
)

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
NAME_PREFIX = "peer-support-"
SUFFIX = ".backup"
_ENGINE_NAMES = {databases.POSTGRESQL: "PostgreSQL", databases.SQLITE: "SQLite"}


@dataclass(frozen=True)
class BackupMade:
    path: Path
    database_bytes: int
    file_count: int
    file_bytes: int
    seconds: float


@dataclass(frozen=True)
class BackupRestored:
    made_at: datetime
    file_count: int
    seconds: float


def backup_create(*, destination: Path | None = None) -> BackupMade:
    """Writes one encrypted backup: to ``destination``, or to a new dated
    file in BACKUP_DIR (then older ones beyond BACKUP_KEEP are deleted)."""
    key = parse_key(settings.BACKUP_KEY)
    engine = databases.engine_of(connection)
    started = time.monotonic()
    path = destination or settings.BACKUP_DIR / f"{NAME_PREFIX}{timezone.now():%Y%m%d-%H%M%S}{SUFFIX}"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".partial")
    folders = _private_folders()
    try:
        # 0600: the file is encrypted, but nobody else on the host needs to read it.
        with (
            tempfile.TemporaryDirectory(dir=path.parent, prefix=".staging-") as staging,
            os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw,
        ):
            dump = Path(staging) / databases.dump_file_name(engine)
            databases.dump(connection, dump)
            writer = EncryptingWriter(raw, key)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                manifest = {
                    "format": FORMAT,
                    "engine": engine,
                    "made_at": datetime.now(tz=UTC).isoformat(),
                    "private_folders": sorted(folders),
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest).encode())
                tar.add(dump, arcname=dump.name, recursive=False)
                file_count, file_bytes = _add_private_files(tar, folders)
            writer.finish()
            database_bytes = dump.stat().st_size
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(path)  # never a half-written file under a backup's name
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    made = BackupMade(path, database_bytes, file_count, file_bytes, time.monotonic() - started)
    logger.info(
        "Backup written to %s: database %s, private files: %d (%s), backup file %s, in %.1f s",
        path.name,
        filesizeformat(database_bytes),
        file_count,
        filesizeformat(file_bytes),
        filesizeformat(path.stat().st_size),
        made.seconds,
    )
    audit_log(action=AuditAction.EXPORT, summary=f"Backup of the whole installation made ({path.name})")
    if destination is None:
        backups_rotate(keep=settings.BACKUP_KEEP)
    return made


def backup_restore(*, source: Path, replace: bool = False) -> BackupRestored:
    """Brings a backup back into an empty database and empty private
    folders; with ``replace``, into any, deleting what they hold."""
    key = parse_key(settings.BACKUP_KEY)
    engine = databases.engine_of(connection)
    started = time.monotonic()
    if not replace:
        _refuse_unless_empty()
    settings.BACKUP_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    with source.open("rb") as raw, tempfile.TemporaryDirectory(dir=settings.BACKUP_DIR, prefix=".staging-") as name:
        staging = Path(name)
        reader = DecryptingReader(raw, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                tar.extractall(staging, filter="data")
        except tarfile.TarError:
            raise DamagedBackup("This backup's contents cannot be read: nothing was restored.") from None
        reader.read_to_end()
        manifest = _manifest(staging, engine=engine)
        databases.load(connection, staging / databases.dump_file_name(engine), replace=replace)
        file_count = _place_private_files(staging / FILES, manifest["private_folders"], replace=replace)
    made_at = datetime.fromisoformat(manifest["made_at"])
    restored = BackupRestored(made_at, file_count, time.monotonic() - started)
    logger.info("Backup restored: private files: %d, in %.1f s", file_count, restored.seconds)
    made_on = formats.date_format(timezone.localtime(made_at), "DATETIME_FORMAT")
    audit_log(action=AuditAction.CHANGE, summary=f"Database and private files restored from the backup of {made_on}")
    return restored


def backups_list() -> list[Path]:
    """The backups in BACKUP_DIR, newest first (their names sort by date)."""
    if not settings.BACKUP_DIR.is_dir():
        return []
    return sorted(settings.BACKUP_DIR.glob(f"{NAME_PREFIX}*{SUFFIX}"), reverse=True)


def backups_rotate(*, keep: int) -> list[Path]:
    """Deletes all but the ``keep`` newest backups in BACKUP_DIR (0 keeps all)."""
    if keep == 0:
        return []
    old = backups_list()[keep:]
    for path in old:
        path.unlink()
    if old:
        logger.info("Deleted %d backups older than the newest %d", len(old), keep)
    return old


def _private_folders() -> dict[str, Path]:
    return {name: Path(folder) for name, folder in settings.PRIVATE_FILE_DIRS.items()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _add_private_files(tar: tarfile.TarFile, folders: dict[str, Path]) -> tuple[int, int]:
    count = size = 0
    for name, folder in folders.items():
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            # Regular files only: a link could point out of the private area.
            if path.is_file() and not path.is_symlink():
                tar.add(path, arcname=f"{FILES}/{name}/{path.relative_to(folder).as_posix()}", recursive=False)
                count += 1
                size += path.stat().st_size
    return count, size


def _refuse_unless_empty() -> None:
    if tables := databases.table_names(connection):
        raise BackupError(
            f"The database already holds {len(tables)} tables, so nothing was restored. A restore writes into an "
            "empty database only; to delete everything in this one and restore the backup, add --replace."
        )
    for name, folder in _private_folders().items():
        if folder.is_dir() and any(path.is_file() for path in folder.rglob("*")):
            raise BackupError(
                f"The private folder for {name} ({folder}) already holds files, so nothing was restored. Empty it, "
                "or add --replace to delete its files and restore the backup's."
            )


def _manifest(staging: Path, *, engine: str) -> dict:
    try:
        manifest = json.loads((staging / MANIFEST).read_text())
    except (OSError, ValueError):
        raise DamagedBackup("This backup has no readable contents list: nothing was restored.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("This backup was made by another version of the application: nothing was restored.")
    if manifest["engine"] != engine:
        raise BackupError(
            f"This backup was made from {_ENGINE_NAMES[manifest['engine']]} and restores onto "
            f"{_ENGINE_NAMES[manifest['engine']]} only; this installation uses {_ENGINE_NAMES[engine]}. "
            "Nothing was restored."
        )
    if unknown := set(manifest["private_folders"]) - set(settings.PRIVATE_FILE_DIRS):
        raise BackupError(
            f"This backup holds private folders this version does not know ({', '.join(sorted(unknown))}): "
            "upgrade the application, then restore. Nothing was restored."
        )
    return manifest


def _place_private_files(staged: Path, names: list[str], *, replace: bool) -> int:
    count = 0
    folders = _private_folders()
    for name in names:
        folder = folders[name]
        folder.mkdir(parents=True, exist_ok=True)
        if replace:
            for child in folder.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        source = staged / name
        for path in sorted(source.rglob("*")) if source.is_dir() else []:
            if path.is_file():
                target = folder / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, target)
                count += 1
    return count
