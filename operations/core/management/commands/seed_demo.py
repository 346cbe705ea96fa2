from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.core import conventions
from operations.core.demo import FEDERATION, FEDERATION_OFFICER, USERS, seed_base


class Command(BaseCommand):
    help = "Loads fictional demo organisations, services, people and records. Safe to run twice."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load demo data even with DEBUG off (never on a live service)."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: this looks like a production database. "
                "Use --force only on a test installation."
            )
        organisations, users = seed_base()
        # Each app above the base layer adds its own records through a
        # `demo.seed` function, in INSTALLED_APPS order (lower layers first),
        # so this base command never imports a higher layer.
        for module in conventions.app_modules("demo"):
            module.seed(organisations=organisations, users=users)

        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Development only: these logins are public."))
        self.stdout.write(f"Every demo user's password is {settings.DEMO_PASSWORD}")
        for username, _first, _last, slug, role in USERS:
            self.stdout.write(f"  {username:<14} {role.label:<26} {organisations[slug].name}")
        self.stdout.write(f"  {FEDERATION_OFFICER[0]:<14} {'Federation officer':<26} {FEDERATION['name']}")
