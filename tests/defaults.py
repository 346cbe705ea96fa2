"""Loaded as a pytest plugin (-p tests.defaults) before Django reads its
settings: tests run in development mode unless told otherwise, so no
production secrets are needed to run them."""

import os

os.environ.setdefault("DEBUG", "1")
