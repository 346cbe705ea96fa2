"""One access helper per object: scoped through ``visible_to``, 404 otherwise."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from referrals.partners.models import PartnerCredential


def get_credential_for(user, pk: int) -> PartnerCredential:
    return get_object_or_404(
        PartnerCredential.objects.visible_to(user).select_related("referring_organisation", "referrer"), pk=pk
    )
