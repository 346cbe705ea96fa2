#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "operations.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from operations.env import SettingError

    try:
        settings.INSTALLED_APPS  # noqa: B018 - load settings now to report a bad variable in one line
    except SettingError as exc:
        sys.exit(f"Configuration error: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
