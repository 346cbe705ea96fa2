"""Every security test starts with an empty cache: counters kept there (the
referrer status page's rate limit) would otherwise carry over from earlier
tests, or from an earlier run when the cache is Redis."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
