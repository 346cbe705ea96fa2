"""``python manage.py import_data KIND FILE --organisation SLUG [--apply] [--valid-only] [--user USERNAME]``

The same services as the import pages, for files too large for the page
(no size limit here) or for a scripted move. A dry run unless --apply;
prints the counts and the first problems; exits 1 when any row has a
problem (or, with --apply, when nothing was imported)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from operations.core.models import Membership, Organisation, Role, User
from operations.imports import services
from operations.imports.kinds import KINDS
from operations.imports.models import ApplyMode, BatchStatus

PROBLEMS_PRINTED = 20


class Command(BaseCommand):
    help = "Checks (and with --apply imports) a CSV or .xlsx file of one kind for one organisation."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="What the file holds.")
        parser.add_argument("file", help="The CSV or .xlsx file.")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--apply", action="store_true", help="Import it (default: a dry run that writes nothing).")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows and skip the others (default: all or none).",
        )
        parser.add_argument("--user", default="", help="The manager the import is recorded as (default: none).")

    def handle(self, *args, kind: str, file: str, organisation: str, **options) -> None:
        found = Organisation.objects.filter(slug=organisation).first()
        if found is None:
            raise CommandError(f"No organisation with the slug {organisation!r}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if (
                actor is None
                or not Membership.objects.filter(
                    user=actor, organisation=found, role=Role.MANAGER, is_active=True
                ).exists()
            ):
                raise CommandError(f"{options['user']!r} is not a manager of {organisation!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            batch = services.batch_create(organisation=found, actor=actor, kind=kind, source=path, file_name=path.name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        unmapped = [header for index, header in enumerate(batch.headers) if not batch.mapping.get(str(index))]
        if unmapped:
            self.stdout.write(f"Ignored columns (not recognised): {', '.join(unmapped)}")
        batch = services.batch_check(batch=batch, actor=actor, inline=True)
        self.stdout.write(
            f"Import {batch.pk}: {batch.rows_total} rows checked, {batch.rows_ok} ready, "
            f"{batch.rows_with_problems} with problems."
        )
        self._print_problems(batch)
        if not options["apply"]:
            self.stdout.write("Dry run: nothing was written. Add --apply to import.")
            if batch.rows_with_problems:
                raise SystemExit(1)
            return
        mode = ApplyMode.VALID_ONLY if options["valid_only"] else ApplyMode.ALL_OR_NOTHING
        try:
            batch = services.batch_apply(batch=batch, actor=actor, mode=mode, inline=True)
        except ValidationError as error:
            self.stdout.write("Nothing was imported: " + " ".join(error.messages))
            raise SystemExit(1) from None
        if batch.status != BatchStatus.APPLIED:
            self.stdout.write(f"Nothing was imported: {batch.error or batch.get_status_display()}")
            self._print_problems(batch)
            raise SystemExit(1)
        self.stdout.write(
            f"Imported: {batch.created_count} created, {batch.updated_count} updated, "
            f"{batch.unchanged_count} unchanged, {batch.skipped_count} skipped."
        )
        if batch.skipped_count:
            raise SystemExit(1)

    def _print_problems(self, batch) -> None:
        problems = list(batch.problems.all()[:PROBLEMS_PRINTED])
        for problem in problems:
            where = f"line {problem.line}" if problem.line else "whole file"
            column = f", {problem.column}" if problem.column else ""
            self.stdout.write(f"  {where}{column}: {problem.problem} {problem.fix}")
        total = batch.problems.count()
        if total > len(problems):
            self.stdout.write(f"  … and {total - len(problems)} more problems.")
