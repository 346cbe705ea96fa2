"""A short cache of the dashboard's rendered figures.

The figures are aggregates over a whole organisation's records (hundreds of
thousands of rows at scale): a manager moving between the dashboard, the
summary and back, or several managers of one organisation, would otherwise
repeat the same seconds of counting. They are kept for
``DASHBOARD_CACHE_SECONDS`` (0 turns the cache off) under a key of the
organisation, the viewer's role, the filters, the mode (exact figures are
never served to a view asking for suppressed ones), the day and the
disclosure threshold, so nobody is shown figures built for another
organisation, scope or mode. Nothing invalidates them on a write: a figure may be that many
seconds old, which the page says."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from operations.core.models import active_membership
from operations.dashboard.modes import Mode
from operations.dashboard.period import Filters

GENERATION_KEY = "dashboard:generation"


def cached_figures(user, filters: Filters, mode: Mode, variant: str, build: Callable[[], str]) -> str:
    """The rendered figures for ``user``'s organisation, ``filters`` and ``mode``, built
    by ``build`` when not kept (or when caching is off)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    membership = active_membership(user)
    if not seconds or membership is None:
        return build()
    generation = cache.get(GENERATION_KEY) or "0"
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            generation,
            membership.organisation_id,
            membership.role,
            variant,
            mode.value,
            filters.date_from.isoformat(),
            filters.date_to.isoformat(),
            filters.service_id or "all",
            timezone.localdate().isoformat(),
            settings.DISCLOSURE_SUPPRESS_BELOW,
        )
    )
    figures = cache.get(key)
    if figures is None:
        figures = build()
        cache.set(key, figures, seconds)
    return figures


def forget_all() -> None:
    """Every kept dashboard is rebuilt on its next view (tests, the bench's
    uncached row): a new generation makes every old key unreachable."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
