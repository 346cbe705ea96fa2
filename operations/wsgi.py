import os
import sys

from django.core.wsgi import get_wsgi_application

from operations.env import SettingError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "operations.settings")

try:
    application = get_wsgi_application()
except SettingError as exc:
    sys.exit(f"Configuration error: {exc}")
