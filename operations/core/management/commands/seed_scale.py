"""Builds a national-scale fictional data set for the benchmark suite.

The base layer makes organisations (branches across all 32 council areas),
their services and staff; each app above adds its own rows through a
`scale.seed(context)` function, in INSTALLED_APPS order. Bulk inserts only.
Never run it against a live service's database."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from operations.core import conventions
from operations.core.scale import SIZES, seed_base


class Command(BaseCommand):
    help = "Fills the database with fictional national-scale data for benchmarks (bulk inserts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="full", help="full, small (2%%) or tiny (0.2%%)")
        parser.add_argument("--force", action="store_true", help="Run with DEBUG off (a benchmark database only).")

    def handle(self, *args, size: str, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to fill a database with DEBUG off; use --force on a benchmark database.")
        started = time.monotonic()
        context = seed_base(SIZES[size], log=self.stdout.write)
        for module in conventions.app_modules("scale"):
            step = time.monotonic()
            module.seed(context)
            self.stdout.write(f"  {module.__name__}: {time.monotonic() - step:.1f} s")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Bulk loads leave the planner with no statistics and no visibility
            # map until autovacuum comes round; a live database has both, so the
            # benchmarks measure it in that state (a few seconds at full size).
            step = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"  vacuum analyze: {time.monotonic() - step:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"seed_scale --size {size} done in {time.monotonic() - started:.1f} s"))
