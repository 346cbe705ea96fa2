"""How many form posts the public forms take: per address and per
organisation, per clock hour, counted in Django's cache (shared by every
web process when Redis is configured; per process otherwise).

A fixed hourly window is enough here: the limits are set well above what
a person filling the form needs (a check or two and a send), and only stop
a script from filling the board or the outbox. Without a cache (Redis
down) the forms stay open: a parent asking for help is not turned away
because a counter cannot be read."""

from __future__ import annotations

import logging
import time

import redis.exceptions
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def _count(key: str) -> int:
    """This window's count for ``key``, after adding this post."""
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired or the cache is unreachable between add and incr.
        return 0
    except redis.exceptions.RedisError as exc:
        logger.warning("online form rate limit not counted: cache unavailable (%s)", type(exc).__name__)
        return 0


def over_limit(*, address: str | None, organisation_id: int) -> bool:
    """Counts this post; True when it is one too many for its address or its organisation."""
    window = int(time.time()) // WINDOW_SECONDS
    by_address = _count(f"online-referrals:address:{address or 'unknown'}:{window}")
    by_organisation = _count(f"online-referrals:organisation:{organisation_id}:{window}")
    return (
        by_address > settings.ONLINE_REFERRAL_LIMIT_PER_ADDRESS
        or by_organisation > settings.ONLINE_REFERRAL_LIMIT_PER_ORGANISATION
    )
