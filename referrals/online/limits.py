"""How many form posts the public forms take: per address and per
organisation, per clock hour, counted in Django's cache (shared by every
web process when Redis is configured; per process otherwise).

A fixed hourly window is enough here: the limits are set well above what
a person filling the form needs (a check or two and a send), and only stop
a script from filling the board or the outbox. Without a cache (Redis
down) the forms stay open: a parent asking for help is not turned away
because a counter cannot be read."""

from __future__ import annotations

from django.conf import settings

from operations.core.limits import count_in_window

WINDOW_SECONDS = 3600


def over_limit(*, address: str | None, organisation_id: int) -> bool:
    """Counts this post; True when it is one too many for its address or its organisation."""
    by_address = count_in_window(f"online-referrals:address:{address or 'unknown'}", window_seconds=WINDOW_SECONDS)
    by_organisation = count_in_window(f"online-referrals:organisation:{organisation_id}", window_seconds=WINDOW_SECONDS)
    return (
        by_address > settings.ONLINE_REFERRAL_LIMIT_PER_ADDRESS
        or by_organisation > settings.ONLINE_REFERRAL_LIMIT_PER_ORGANISATION
    )
