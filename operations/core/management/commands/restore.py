"""`manage.py restore FILE`: brings a backup made by `manage.py backup`
back, into an empty database and empty private folders unless --replace."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import formats, timezone

from operations.core.backups.encryption import BackupError
from operations.core.backups.services import backup_restore


class Command(BaseCommand):
    help = "Restores a backup into an empty database and empty private folders (key: BACKUP_KEY)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="a file written by `manage.py backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete everything in the database and the private folders first (in the same transaction "
            "as the restore on PostgreSQL)",
        )

    def handle(self, *args, file: Path, replace: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"There is no backup file at {file}.")
        try:
            restored = backup_restore(source=file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        made_on = formats.date_format(timezone.localtime(restored.made_at), "DATETIME_FORMAT")
        files = f"{restored.file_count} private file{pluralize(restored.file_count)}"
        self.stdout.write(
            f"Restored the backup of {made_on} ({files}, {restored.seconds:.1f} s). Now run "
            "`python manage.py migrate` in case this version of the application is newer than the backup."
        )
