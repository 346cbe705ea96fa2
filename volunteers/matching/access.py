"""One access helper per object: scoped through ``visible_to``, 404 when out
of reach, with the ``select_related`` each page needs."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from referrals.models import Referral
from volunteers.matching import selectors
from volunteers.matching.models import Match, Visit


def get_match_for(user, pk: int) -> Match:
    """Coordinators and managers: any match of their organisation; a
    volunteer or PSO: only their own."""
    return get_object_or_404(
        Match.objects.visible_to(user).select_related(
            "parent__council_area", "referral__service", "volunteer__user", "organisation"
        ),
        pk=pk,
    )


def get_referral_for_matching(user, pk: int) -> Referral:
    """Referrals are staff-only (``Referral.objects.visible_to``). Loaded
    with what ``selectors.candidates_for`` reads (the parent's area, the
    matching needs, the organisation's volunteer and matching settings),
    so the candidate page reads the referral and those settings at once."""
    return get_object_or_404(
        selectors.referrals_with_needs(Referral.objects.visible_to(user)).select_related(
            "organisation__volunteer_settings", "organisation__matching_settings"
        ),
        pk=pk,
    )


def get_visit_for(user, pk: int) -> Visit:
    """Visible exactly when its match is."""
    return get_object_or_404(Visit.objects.visible_to(user).select_related("match__volunteer"), pk=pk)
