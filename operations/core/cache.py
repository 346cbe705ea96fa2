"""Django's Redis cache, forgiving of an outage.

The cache only ever saves work (the dashboard's figures): while Redis is
down a read is a miss and a write is skipped, so pages are counted afresh
instead of failing. A warning is logged at most once a minute, so an outage
is seen without flooding the log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import redis.exceptions
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 60
_last_warning = 0.0


def _warn(exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("cache unavailable, counting afresh (%s)", type(exc).__name__)


def _forgiving(fallback: Callable[..., Any]):
    def decorate(method):
        @wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except redis.exceptions.RedisError as exc:
                _warn(exc)
                return fallback(*args, **kwargs)

        return call

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


class ForgivingRedisCache(RedisCache):
    get = _forgiving(_default)(RedisCache.get)
    get_many = _forgiving(lambda keys, *a, **k: {})(RedisCache.get_many)
    has_key = _forgiving(lambda *a, **k: False)(RedisCache.has_key)
    add = _forgiving(lambda *a, **k: False)(RedisCache.add)
    set = _forgiving(lambda *a, **k: None)(RedisCache.set)
    set_many = _forgiving(lambda data, *a, **k: list(data))(RedisCache.set_many)
    touch = _forgiving(lambda *a, **k: False)(RedisCache.touch)
    delete = _forgiving(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _forgiving(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _forgiving(lambda *a, **k: None)(RedisCache.clear)
