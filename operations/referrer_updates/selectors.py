"""Reads of word back to the referrer."""

from __future__ import annotations

from django.db.models import QuerySet

from operations.referrer_updates.models import ReferrerUpdate, ReferrerUpdateSettings


def settings_for(organisation_id: int) -> ReferrerUpdateSettings:
    """The organisation's settings (made with the organisation; the
    defaults, unsaved, for one made some other way: reading never writes)."""
    return ReferrerUpdateSettings.objects.filter(organisation_id=organisation_id).first() or ReferrerUpdateSettings(
        organisation_id=organisation_id
    )


def updates_of(user, referral_id: int) -> QuerySet[ReferrerUpdate]:
    """What the referral's referrer was told, oldest first, with the outbox
    row that says whether it went (one query)."""
    return (
        ReferrerUpdate.objects.visible_to(user)
        .filter(referral_id=referral_id)
        .select_related("notification", "referrer", "sent_by")
        .order_by("created_at", "pk")
    )
