"""The private link in each update: signed, so it needs no account and no
row, and expiring (``REFERRER_STATUS_LINK_DAYS``).

The link names the referral and the referrer it was sent to; it opens the
status only while that person is still the referral's referrer and the
parent's agreement stands. Every failure (forged, expired, withdrawn) reads
the same, so a link cannot be used to learn anything about a referral."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral

SALT = "referrer_updates.status_link"


def link_days() -> int:
    return settings.REFERRER_STATUS_LINK_DAYS


def status_token(*, referral_id: int, referrer_id: int) -> str:
    return signing.dumps([referral_id, referrer_id], salt=SALT)


def status_url(*, referral_id: int, referrer_id: int) -> str:
    """The link as an email carries it: absolute, from ``SITE_URL``."""
    path = reverse("referrer_updates:status", args=[status_token(referral_id=referral_id, referrer_id=referrer_id)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def link_expires_on(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=link_days())


def referral_for_token(token: str) -> Referral | None:
    """The referral a link opens, or None for every kind of failure."""
    try:
        referral_id, referrer_id = signing.loads(token, salt=SALT, max_age=timedelta(days=link_days()))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(referral_id, int) or not isinstance(referrer_id, int):
        return None
    return (
        Referral.objects.select_related("service", "organisation", "parent")
        .filter(
            pk=referral_id,
            referrer_id=referrer_id,
            referrer_updates_consent=True,
            parent__processing_restricted=False,
        )
        .first()
    )
