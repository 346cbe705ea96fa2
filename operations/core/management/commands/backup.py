"""`manage.py backup`: one encrypted file holding the database and the
private files (see operations.core.backups.services)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat, pluralize
from django.utils import formats, timezone

from operations.core.backups.encryption import BackupError
from operations.core.backups.encryption import new_key as make_key
from operations.core.backups.services import backup_create, backups_list


class Command(BaseCommand):
    help = "Writes an encrypted backup of the database and the private files (key: BACKUP_KEY)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", type=Path, help="the file to write (default: a new dated file in BACKUP_DIR; BACKUP_KEEP kept)"
        )
        parser.add_argument("--list", action="store_true", help="list the backups in BACKUP_DIR, newest first")
        parser.add_argument("--new-key", action="store_true", help="print a new random key for BACKUP_KEY and stop")

    def handle(self, *args, output: Path | None, list: bool, new_key: bool, **options) -> None:  # noqa: A002
        if new_key:
            self.stdout.write(make_key())
            return
        if list:
            self._list()
            return
        try:
            made = backup_create(destination=output.resolve() if output else None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backup written: {made.path} (database {filesizeformat(made.database_bytes)}, "
            f"{made.file_count} private file{pluralize(made.file_count)}, {made.seconds:.1f} s)"
        )

    def _list(self) -> None:
        backups = backups_list()
        if not backups:
            self.stdout.write(f"No backups in {settings.BACKUP_DIR}")
        for path in backups:
            stat = path.stat()
            written = timezone.localtime(datetime.fromtimestamp(stat.st_mtime, tz=UTC))
            self.stdout.write(
                f"{path.name}  {formats.date_format(written, 'DATETIME_FORMAT')}  {filesizeformat(stat.st_size)}"
            )
