"""One access helper per object: scoped through ``visible_to``, 404 otherwise."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from referrals.online.models import OnlineSubmission


def get_submission_for(user, pk: int) -> OnlineSubmission:
    return get_object_or_404(OnlineSubmission.objects.visible_to(user).select_related("referral", "service"), pk=pk)
