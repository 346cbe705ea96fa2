"""One access helper per object: scoped through ``visible_to``, 404 otherwise."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from referrals.models import Child, Parent, Referral, Referrer, ReferringOrganisation


def get_parent_for(user, pk: int) -> Parent:
    return get_object_or_404(Parent.objects.visible_to(user).select_related("council_area", "organisation"), pk=pk)


def get_referral_for(user, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(user).select_related(
            "parent", "service", "parent__council_area", "referrer__referring_organisation"
        ),
        pk=pk,
    )


def get_child_for(user, pk: int) -> Child:
    return get_object_or_404(Child.objects.visible_to(user).select_related("parent"), pk=pk)


def get_referrer_for(user, pk: int) -> Referrer:
    """A person of the organisation's referrer directory (coordinators and managers only)."""
    return get_object_or_404(Referrer.objects.visible_to(user).select_related("referring_organisation"), pk=pk)


def get_referring_organisation_for(user, pk: int) -> ReferringOrganisation:
    """A team of the organisation's referrer directory (coordinators and managers only)."""
    return get_object_or_404(ReferringOrganisation.objects.visible_to(user), pk=pk)
