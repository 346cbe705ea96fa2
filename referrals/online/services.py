"""Writes of the online referral forms: typed, keyword-only, one transaction each."""

from __future__ import annotations

from referrals.online.models import OnlineReferralSettings


def online_settings_create(*, organisation_id: int) -> OnlineReferralSettings:
    """A new organisation's settings: both forms closed until a manager opens them."""
    return OnlineReferralSettings.objects.get_or_create(organisation_id=organisation_id)[0]
