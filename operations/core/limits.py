"""Counting posts to a public endpoint in a fixed window, in Django's cache
(shared by every web process when Redis is configured; per process
otherwise). Without a cache the count is 0: an endpoint stays open rather
than turning everyone away because a counter cannot be read."""

from __future__ import annotations

import logging
import time

import redis.exceptions
from django.core.cache import cache

logger = logging.getLogger(__name__)


def count_in_window(name: str, *, window_seconds: int) -> int:
    """This window's count for ``name`` (a key without personal data beyond
    an address), after adding this one."""
    window = int(time.time()) // window_seconds
    key = f"{name}:{window}"
    try:
        cache.add(key, 0, timeout=window_seconds + 60)
        return cache.incr(key)
    except ValueError:
        # The key expired or the cache is unreachable between add and incr.
        return 0
    except redis.exceptions.RedisError as exc:
        logger.warning("rate limit not counted: cache unavailable (%s)", type(exc).__name__)
        return 0
